/**
 * What the thread-reading work (To Bedrock Agent's analysis, Reporting's report) shares: the thread as lines,
 * and the fields of its deferred job (where the reply goes, who asked).
 */
import type { ThreadLine } from '../domain/analysis-input.js';
import type { Clock } from '../domain/clock.js';
import * as z from '../domain/zod.js';
import type { Logger } from '../logger.js';
import type { IncidentService } from './incidents.js';
import type { Defer } from './ports/defer.js';
import type { Notifier } from './ports/notifier.js';
import type { ThreadMessage, SlackThread } from './ports/slack-thread.js';

/** What both thread-reading services are built on: the incident, the thread, slow work, notices. */
export interface ThreadWorkDeps {
  incidents: IncidentService;
  slack: SlackThread;
  defer: Defer;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  /** The Bedrock agent in use; absent when the local analyser answers. */
  agentIds?: { agentId: string; agentAliasId: string };
}

/** The deferred job's fields that say which thread, which reply to edit, and who asked. */
export const threadJobFields = {
  incidentId: z.string(),
  channel: z.string(),
  threadTs: z.string(),
  replyTs: z.string(),
  requestedBy: z.string(),
};

/** A Slack thread as the lines an analysis or a report reads: who said what, skipping `skip` and blanks. */
export function threadLines(thread: readonly ThreadMessage[], skip: ReadonlySet<string>): ThreadLine[] {
  return thread
    .filter((m) => !skip.has(m.ts) && m.text.trim() !== '')
    .map((m) => ({ who: m.botId !== undefined ? 'Hikeshi' : (m.user ?? 'someone'), text: m.text }));
}
