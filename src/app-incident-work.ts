/**
 * The work people ask of an incident after the ack: To Bedrock Agent (analysis in the thread), Reporting (the
 * thread as a Confluence page or a local report) and the Chatwork notices; each registers its deferred handlers.
 */
import type { WebClient } from '@slack/web-api';
import type { Clock } from './domain/clock.js';
import type { Integrations } from './integrations/index.js';
import { createSlackThread } from './integrations/slack-thread.js';
import type { Logger } from './logger.js';
import { createAnalysisService } from './services/analysis.js';
import type { EscalationService } from './services/escalation.js';
import { createIncidentNotices } from './services/incident-notices.js';
import type { IncidentService } from './services/incidents.js';
import type { Defer, DeferredHandlers } from './services/ports/defer.js';
import { createReportService } from './services/reports.js';
import type { Store } from './store/index.js';

export function buildIncidentWork(deps: {
  outside: Integrations;
  store: Store;
  slackClient: WebClient;
  incidents: IncidentService;
  escalation: Pick<EscalationService, 'reportCalls'>;
  defer: Defer;
  deferredHandlers: DeferredHandlers;
  clock: Clock;
  logger: Logger;
}) {
  const { outside, incidents, defer, clock, logger } = deps;
  const thread = createSlackThread({
    client: deps.slackClient,
    logger: logger.child({ component: 'slack-thread' }),
  });
  const incidentWork = { incidents, slack: thread, defer, notifier: outside.notifier, clock, logger };
  const agent = outside.agent;
  const analysis = createAnalysisService({
    ...incidentWork,
    analysis: outside.analysis,
    ...(agent ? { agentIds: agent.ids } : {}),
  });
  const reports = createReportService({
    ...incidentWork,
    publisher: outside.reportPublisher,
    destination: outside.reportDestination,
    ...(agent ? { summariser: agent.port, agentIds: agent.ids } : {}),
    callHistory: (id) => deps.escalation.reportCalls(id),
  });
  const notices = outside.notifying
    ? createIncidentNotices({ incidents, notifier: outside.notifier, defer, clock, claims: deps.store.dedup })
    : undefined;
  Object.assign(deps.deferredHandlers, analysis.handlers, reports.handlers, notices?.handlers);
  return { analysis, reports, notices };
}
