import type { AnalysisService } from './analysis.js';
import type { EscalationService } from './escalation.js';
import type { DigestListService } from './digest-list.js';
import type { IncidentService } from './incidents.js';
import type { JobService } from './jobs.js';
import type { Defer, DeferredHandlers } from './ports/defer.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';
import type { Notifier } from './ports/notifier.js';
import type { IncidentWorkRequester } from './ports/incident-work.js';
import type { OncallService } from './oncall.js';
import type { TaskService } from './tasks.js';
import type { HandoffService } from './handoffs.js';
import type { OncallConfigSource } from './oncall-config.js';
import type { ScheduleFeeds } from './schedule-feeds.js';
import type { ScheduleService } from './schedules.js';
import type { SwapService } from './swaps.js';
import type { SilenceService } from './silences.js';
import type { ContactService } from './contacts.js';
import type { PolicyEscalationService } from './policy-escalation.js';

/** The use cases the listeners and routes call. Grows with each feature; built only in app.ts. */
export interface Services {
  incidents: IncidentService;
  /** Storm digests: their incidents page by page, and opening one (its own message). */
  digests: DigestListService;
  publisher: IncidentPublisher;
  oncall: OncallService;
  /** To Bedrock Agent: analysis of an incident, answered in its thread. */
  analysis: AnalysisService;
  /** Reporting: the thread summarised into a Confluence page (or a local HTML report). */
  reports: IncidentWorkRequester;
  /** Out-of-Slack notices (Chatwork, or nothing); best effort, never throws. */
  notifier: Notifier;
  defer: Defer;
  /** Named slow-work handlers `defer` dispatches to; each service registers its own. */
  deferredHandlers: DeferredHandlers;
  /** Job monitoring: reports, schedules, missed runs. */
  jobs: JobService;
  /** GitHub/GitLab webhook tasks: queued by the webhook routes, posted to Slack by the consumer. */
  tasks: TaskService;
  /** Phone escalation through Amazon Connect (or the local phone): chains, contact-flow outcomes, history. */
  escalation: EscalationService;
  /** On-call schedules (issue 18): ONCALL_CONFIG in force, who is on call, overrides, swaps, handoffs, feeds. */
  oncallConfig: OncallConfigSource;
  schedules: ScheduleService;
  swaps: SwapService;
  handoffs: HandoffService;
  feeds: ScheduleFeeds;
  /** Silences and maintenance windows (issue 20). */
  silences: SilenceService;
  /** People's own phone numbers (issue 19: `/oncall phone`). */
  contacts: ContactService;
  /** Escalation policies (issue 19): routed incidents' Slack and phone steps, one call per person. */
  policyEscalation: PolicyEscalationService;
}
