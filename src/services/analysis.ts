/**
 * To Bedrock Agent: explain an incident in its Slack thread.
 *
 * `request` (the button, `/incident analyze`) and `followUp` (a mention in the thread) answer fast: they post
 * "Analysing…" in the incident's thread and defer the slow part (job `analysis.run`). The job asks the
 * AnalysisPort — the Bedrock agent, or the local rule-based analyser — with the incident id as the session id, so
 * follow-ups keep their context; it edits the placeholder as chunks arrive (at most once per
 * STREAM_UPDATE_INTERVAL_MS), then replaces it with the full answer, split over more messages when long.
 * A failure is classified (domain/classify.ts): the thread says what happened and what to do, and Chatwork gets an
 * error notice naming the function and the agent/alias ids.
 */
import { noThreadYetText } from '../blocks/outcomes.js';
import * as z from '../domain/zod.js';
import {
  analysingReply,
  analysisFailedReplies,
  answerReplies,
  streamingReply,
  type AnalysisHeader,
} from '../blocks/analysis-replies.js';
import { buildAnalysisInput, mentionQuestion, type ThreadLine } from '../domain/analysis-input.js';
import type { Incident } from '../domain/incident.js';
import { analysisFailedNotice } from '../domain/notices.js';
import { AppError, ErrorCode } from '../errors.js';
import { AnalysisError, type AnalysisPort } from './ports/analysis.js';
import type { DeferredHandlers } from './ports/defer.js';
import type { IncidentWorkRequester } from './ports/incident-work.js';
import type { ThreadText } from './ports/slack-thread.js';
import { threadJobFields, threadLines, type ThreadWorkDeps } from './thread-lines.js';

export const ANALYSIS_JOB = 'analysis.run';
/**
 * The issue asks for at most one edit per second; chat.update is Tier 3 (about 50 a minute per workspace), so a
 * little over a second keeps one long stream from being rate limited by itself.
 */
export const STREAM_UPDATE_INTERVAL_MS = 1_200;

export interface AnalysisService extends IncidentWorkRequester {
  /**
   * A mention of the app in a thread: when it is an incident's thread, asks the agent the mention's question in
   * the incident's session and resolves true; otherwise resolves false and does nothing.
   */
  followUp(input: { channel: string; threadTs: string; userId: string; text: string }): Promise<boolean>;
  /**
   * To Bedrock Agent on a GitHub/GitLab task message: the same flow, in the task message's thread, with the task
   * id as the session id (tasks are not incidents, so there is no timeline note).
   */
  requestForTask(input: {
    taskId: string;
    channel: string;
    threadTs: string;
    inputText: string;
    requestedBy: string;
  }): Promise<void>;
  /** Deferred-work handlers by job name, for `services.deferredHandlers`. */
  handlers: DeferredHandlers;
}

export interface AnalysisServiceDeps extends ThreadWorkDeps {
  analysis: AnalysisPort;
  updateIntervalMs?: number;
}

const jobSchema = z.object({
  ...threadJobFields,
  postedAt: z.number(),
  question: z.optional(z.string()),
  /** Set for a task message: what to ask, since there is no incident to read it from. */
  taskInput: z.optional(z.string()),
});
type AnalysisJob = z.infer<typeof jobSchema>;

const INCIDENT_ID_IN_TEXT = /\bINC-\d+\b/;

function notFound(id: string): AppError {
  return new AppError(ErrorCode.NotFound, `incident ${id} not found`, {
    userMessage: `There is no incident ${id}. Try \`/incident list\`.`,
  });
}

export function createAnalysisService(deps: AnalysisServiceDeps): AnalysisService {
  const { incidents, slack, clock } = deps;
  const log = deps.logger.child({ component: 'analysis' });
  const engine = deps.agentIds === undefined ? 'local' : 'agent';
  const interval = deps.updateIntervalMs ?? STREAM_UPDATE_INTERVAL_MS;

  const headerOf = (job: Pick<AnalysisJob, 'incidentId' | 'requestedBy' | 'question'>): AnalysisHeader => ({
    incidentId: job.incidentId,
    requestedBy: job.requestedBy,
    engine,
    ...(job.question === undefined ? {} : { question: job.question }),
  });

  async function start(incident: Incident, requestedBy: string, question?: string): Promise<void> {
    if (incident.slack === undefined) {
      throw new AppError(ErrorCode.Conflict, `${incident.id} has no Slack message yet`, {
        userMessage: noThreadYetText(incident),
      });
    }
    const base = { incidentId: incident.id, requestedBy, ...(question === undefined ? {} : { question }) };
    const { channel, ts: threadTs } = incident.slack;
    const replyTs = await slack.post(channel, threadTs, analysingReply(headerOf(base)));
    const job: AnalysisJob = { ...base, channel, threadTs, replyTs, postedAt: clock.now() };
    deps.defer({ name: ANALYSIS_JOB, payload: { ...job } });
  }

  /** The first message replaces the placeholder; the others follow it in the thread. */
  async function publish(job: AnalysisJob, messages: readonly ThreadText[]): Promise<void> {
    const [first, ...rest] = messages;
    if (first !== undefined) await slack.update(job.channel, job.replyTs, first);
    for (const message of rest) await slack.post(job.channel, job.threadTs, message);
  }

  async function recentThread(job: AnalysisJob): Promise<ThreadLine[]> {
    try {
      // The parent is the incident message, whose facts are already in the input.
      return threadLines(
        await slack.replies(job.channel, job.threadTs),
        new Set([job.threadTs, job.replyTs]),
      );
    } catch (error) {
      log.warn({ err: error, incident: job.incidentId }, 'could not read the thread; analysing without it');
      return [];
    }
  }

  async function run(payload: Record<string, unknown>): Promise<void> {
    const job = jobSchema.parse(payload);
    const header = headerOf(job);
    if (job.taskInput !== undefined) {
      await runForTask(job, header, job.taskInput);
      return;
    }
    const incident = await incidents.get(job.incidentId);
    if (!incident) {
      await slack.update(job.channel, job.replyTs, { text: `⚠️ ${job.incidentId} no longer exists.` });
      return;
    }
    const inputText = buildAnalysisInput(incident, await recentThread(job), job.question);
    let answer = '';
    let lastEdit = job.postedAt;
    try {
      for await (const chunk of deps.analysis.analyze({ sessionId: incident.id, inputText })) {
        answer += chunk;
        const now = clock.now();
        if (now - lastEdit < interval) continue;
        lastEdit = now;
        // A preview that fails to show (rate limit, Slack hiccup) is not worth stopping the answer for.
        await slack
          .update(job.channel, job.replyTs, streamingReply(header, answer))
          .catch((error: unknown) => {
            log.warn({ err: error, incident: incident.id }, 'streaming preview update failed');
          });
      }
    } catch (error) {
      await fail(job, header, error, answer);
      return;
    }
    await publish(job, answerReplies(header, answer));
    log.info({ incident: incident.id, engine, chars: answer.length }, 'analysis answered');
    const asked = job.question === undefined ? 'Analysis' : 'Follow-up';
    await incidents.note(incident.id, {
      kind: 'analysis',
      actor: job.requestedBy,
      text: `${asked} by ${engine === 'agent' ? 'the Bedrock agent' : 'the local analyser'} posted in the thread`,
    });
  }

  async function runForTask(job: AnalysisJob, header: AnalysisHeader, inputText: string): Promise<void> {
    let answer = '';
    try {
      for await (const chunk of deps.analysis.analyze({ sessionId: job.incidentId, inputText }))
        answer += chunk;
    } catch (error) {
      await fail(job, header, error, answer);
      return;
    }
    await publish(job, answerReplies(header, answer));
    log.info({ task: job.incidentId, engine, chars: answer.length }, 'task analysis answered');
  }

  async function fail(
    job: AnalysisJob,
    header: AnalysisHeader,
    error: unknown,
    partial: string,
  ): Promise<void> {
    const failure =
      error instanceof AnalysisError
        ? error
        : new AnalysisError('UNKNOWN', error instanceof Error ? error.message : String(error), {}, error);
    log.warn(
      { incident: job.incidentId, kind: failure.kind, err: failure, ...deps.agentIds },
      'analysis failed',
    );
    try {
      await publish(job, analysisFailedReplies(header, failure.kind, partial));
    } finally {
      await deps.notifier.error(
        analysisFailedNotice(
          {
            incidentId: job.incidentId,
            kind: failure.kind,
            message: failure.message,
            ...(deps.agentIds === undefined ? {} : { agent: deps.agentIds }),
          },
          new Date(clock.now()),
        ),
      );
    }
  }

  /** The incident whose thread this is: open ones are indexed; a resolved one is named by its message. */
  async function incidentOfThread(channel: string, threadTs: string): Promise<Incident | undefined> {
    const open = await incidents.findByThread(channel, threadTs);
    if (open) return open;
    const [parent] = await slack.replies(channel, threadTs).catch(() => []);
    const id = parent === undefined ? undefined : INCIDENT_ID_IN_TEXT.exec(parent.text)?.[0];
    const incident = id === undefined ? undefined : await incidents.get(id);
    return incident?.slack?.channel === channel && incident.slack.ts === threadTs ? incident : undefined;
  }

  return {
    async request(incidentId, options) {
      const id = incidents.parseId(incidentId) ?? incidentId;
      const incident = await incidents.get(id);
      if (!incident) throw notFound(incidentId);
      await start(incident, options.requestedBy, options.question);
    },

    async followUp({ channel, threadTs, userId, text }) {
      const incident = await incidentOfThread(channel, threadTs);
      if (!incident) return false;
      const question = mentionQuestion(text);
      await start(incident, userId, question === '' ? undefined : question);
      return true;
    },

    async requestForTask({ taskId, channel, threadTs, inputText, requestedBy }) {
      const base = { incidentId: taskId, requestedBy };
      const replyTs = await slack.post(channel, threadTs, analysingReply(headerOf(base)));
      const job: AnalysisJob = {
        ...base,
        channel,
        threadTs,
        replyTs,
        postedAt: clock.now(),
        taskInput: inputText,
      };
      deps.defer({ name: ANALYSIS_JOB, payload: { ...job } });
    },

    handlers: { [ANALYSIS_JOB]: run },
  };
}
