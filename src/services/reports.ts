/**
 * Reporting: the incident and its whole Slack thread, summarised into a report page.
 *
 * `request` (the button, `/incident report`) posts "Writing the report…" in the thread and defers the slow part
 * (job `report.run`): read every page of the thread, summarise it — with the Bedrock agent when one is configured
 * (falling back to the deterministic local summary if it fails), otherwise locally — build the storage-format
 * body, and publish it through the ReportPublisher (Confluence, or a local HTML file). Publishing is idempotent by
 * incident id, so a rerun updates the same page as a new version. The link replaces the placeholder and is stored
 * on the incident (`incident.report`). Failures are told in the thread and sent to Chatwork.
 */
import { noThreadYetText } from '../blocks/outcomes.js';
import * as z from '../domain/zod.js';
import { reportFailedReply, reportPublishedReply, writingReportReply } from '../blocks/report-replies.js';
import { buildReportStorage } from '../blocks/report-storage.js';
import type { ThreadLine } from '../domain/analysis-input.js';
import type { Incident } from '../domain/incident.js';
import { analysisFailedNotice, reportFailedNotice } from '../domain/notices.js';
import {
  parseReportSections,
  participantIds,
  reportPrompt,
  reportTitle,
  summariseLocally,
  type CallHistoryEntry,
  type ReportSections,
} from '../domain/report.js';
import { AppError, ErrorCode } from '../errors.js';
import { AnalysisError, type AnalysisPort } from './ports/analysis.js';
import type { DeferredHandlers } from './ports/defer.js';
import type { IncidentWorkRequester } from './ports/incident-work.js';
import type { ReportDestination, ReportPublisher } from './ports/report-publisher.js';
import { threadJobFields, threadLines, type ThreadWorkDeps } from './thread-lines.js';

export const REPORT_JOB = 'report.run';

export interface ReportService extends IncidentWorkRequester {
  /** Deferred-work handlers by job name, for `services.deferredHandlers`. */
  handlers: DeferredHandlers;
}

export type { ReportDestination } from './ports/report-publisher.js';

export interface ReportServiceDeps extends ThreadWorkDeps {
  publisher: ReportPublisher;
  destination: ReportDestination;
  /** The Bedrock agent; absent: the local deterministic summary. */
  summariser?: AnalysisPort;
  /** Escalation calls of an incident, once escalation lands; absent: the report says none were set up. */
  callHistory?: (incidentId: string) => Promise<CallHistoryEntry[]>;
}

const jobSchema = z.object({
  ...threadJobFields,
});
type ReportJob = z.infer<typeof jobSchema>;

export function createReportService(deps: ReportServiceDeps): ReportService {
  const { incidents, slack, clock } = deps;
  const log = deps.logger.child({ component: 'reports' });
  const target = deps.destination.kind;

  async function summarise(
    incident: Incident,
    thread: readonly ThreadLine[],
  ): Promise<{ sections: ReportSections; by: 'agent' | 'local'; agentFailure?: string }> {
    if (deps.summariser === undefined) return { sections: summariseLocally(incident, thread), by: 'local' };
    let answer = '';
    try {
      for await (const chunk of deps.summariser.analyze({
        // Its own session: the summary request should not become part of the analysis conversation.
        sessionId: `${incident.id}-report`,
        inputText: reportPrompt(incident, thread),
      })) {
        answer += chunk;
      }
      return { sections: parseReportSections(answer), by: 'agent' };
    } catch (error) {
      const failure = error instanceof AnalysisError ? error : new AnalysisError('UNKNOWN', String(error));
      log.warn(
        { incident: incident.id, kind: failure.kind, err: failure },
        'report summary by the agent failed',
      );
      await deps.notifier.error(
        analysisFailedNotice(
          {
            incidentId: incident.id,
            kind: failure.kind,
            message: failure.message,
            ...(deps.agentIds === undefined ? {} : { agent: deps.agentIds }),
          },
          new Date(clock.now()),
        ),
      );
      return { sections: summariseLocally(incident, thread), by: 'local', agentFailure: failure.kind };
    }
  }

  async function build(job: ReportJob, incident: Incident): Promise<{ title: string; storageBody: string }> {
    const thread = await slack.replies(job.channel, job.threadTs);
    // The parent is the incident message (its facts are in the report) and the placeholder is ours.
    const lines = threadLines(thread, new Set([job.threadTs, job.replyTs]));
    const [summary, participants, threadUrl, calls] = await Promise.all([
      summarise(incident, lines),
      Promise.all(
        participantIds(incident, thread).map(async (id) => {
          const name = await slack.userName(id);
          return name === undefined ? { id } : { id, name };
        }),
      ),
      slack.permalink(job.channel, job.threadTs),
      deps.callHistory?.(incident.id),
    ]);
    const storageBody = buildReportStorage({
      incident,
      sections: summary.sections,
      participants,
      generatedAt: clock.now(),
      summarisedBy: summary.by,
      ...(threadUrl === undefined ? {} : { threadUrl }),
      ...(calls === undefined ? {} : { calls }),
      ...(summary.agentFailure === undefined ? {} : { agentFailure: summary.agentFailure }),
    });
    return { title: reportTitle(incident), storageBody };
  }

  async function run(payload: Record<string, unknown>): Promise<void> {
    const job = jobSchema.parse(payload);
    const incident = await incidents.get(job.incidentId);
    if (!incident) {
      await slack.update(job.channel, job.replyTs, { text: `⚠️ ${job.incidentId} no longer exists.` });
      return;
    }
    try {
      const { title, storageBody } = await build(job, incident);
      const published = await deps.publisher.publish({ key: incident.id, title, storageBody });
      await incidents.recordReport(
        incident.id,
        { url: published.url, id: published.id, version: published.version },
        job.requestedBy,
        target === 'confluence' ? 'Confluence' : 'a local HTML report',
      );
      await slack.update(
        job.channel,
        job.replyTs,
        reportPublishedReply({ incidentId: incident.id, title, ...published, target }),
      );
      log.info({ incident: incident.id, target, version: published.version }, 'report published');
    } catch (error) {
      await fail(job, error);
    }
  }

  async function fail(job: ReportJob, error: unknown): Promise<void> {
    const known = error instanceof AppError ? error : undefined;
    log.error({ err: error, incident: job.incidentId }, 'report failed');
    const userMessage = known?.userMessage ?? 'Something went wrong on our side; it has been logged.';
    await slack
      .update(job.channel, job.replyTs, reportFailedReply(job.incidentId, userMessage))
      .catch((updateError: unknown) => log.warn({ err: updateError }, 'could not tell the thread'));
    const reason = known?.details?.['reason'];
    const action = known?.details?.['action'];
    await deps.notifier.error(
      reportFailedNotice(
        {
          incidentId: job.incidentId,
          reason: typeof reason === 'string' ? reason : 'unknown',
          action: typeof action === 'string' ? action : (known?.code ?? 'report'),
          message: error instanceof Error ? error.message : String(error),
          target,
          ...(deps.destination.kind === 'confluence' ? { spaceKey: deps.destination.spaceKey } : {}),
        },
        new Date(clock.now()),
      ),
    );
  }

  return {
    async request(incidentId, { requestedBy }) {
      const id = incidents.parseId(incidentId) ?? incidentId;
      const incident = await incidents.get(id);
      if (!incident) {
        throw new AppError(ErrorCode.NotFound, `incident ${id} not found`, {
          userMessage: `There is no incident ${incidentId}. Try \`/incident list\`.`,
        });
      }
      if (incident.slack === undefined) {
        throw new AppError(ErrorCode.Conflict, `${incident.id} has no Slack message yet`, {
          userMessage: noThreadYetText(incident),
        });
      }
      const { channel, ts: threadTs } = incident.slack;
      const replyTs = await slack.post(
        channel,
        threadTs,
        writingReportReply(incident.id, requestedBy, target),
      );
      const job: ReportJob = { incidentId: incident.id, channel, threadTs, replyTs, requestedBy };
      deps.defer({ name: REPORT_JOB, payload: { ...job } });
    },
    handlers: { [REPORT_JOB]: run },
  };
}
