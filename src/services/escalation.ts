/**
 * Phone escalation (issue 7): call until someone owns it, never twice.
 *
 * - `tick(now)`, run by the scheduler every ESCALATION_TICK_SECONDS (and by the Lambda `tick` handler):
 *   for every open incident at least ESCALATE_SEVERITY, take the one step its chain is due for (start it,
 *   place the next call, re-send a start that never recorded its result, time out a call, stop it).
 *   All state is in the store, so any process can take any step, and a restart resumes where it was.
 * - `handleContactFlow`: the contact flow's describe/response invocations (escalation-contact-flow.ts).
 * - An acknowledgement or resolution anywhere (Slack, a command, an alert, the phone) stops the chain at
 *   once through the incident service's events; the check right before each call covers acks made by other
 *   processes.
 * - A reopened incident earns a chain of its own (a new episode: src/domain/reopen.ts), unless the reopen made it
 *   flapping; a snooze (`/incident snooze`) holds back the start and the next call until it ends.
 * - One call per person: a call holds its person's phone line, the one escalation policies page (flat-lines.ts).
 * The pure rules are in domain/escalation.ts; the steps with side effects in escalation-steps.ts.
 */
import { severityAtLeast } from '../domain/alert.js';
import type { CallRecord } from '../domain/call-record.js';
import type { Clock } from '../domain/clock.js';
import type { ContactFlowRequest, ContactFlowResult } from '../domain/contact-flow.js';
import {
  DEFAULT_POLICY,
  beginNextAttempt,
  currentChain,
  nextTickAction,
  resendStart,
  startChain,
  type Chain,
  type EscalationPolicy,
  type IncidentView,
} from '../domain/escalation.js';
import type { Incident } from '../domain/incident.js';
import type { CallHistoryEntry as ReportCall } from '../domain/report.js';
import type { Logger } from '../logger.js';
import type {
  CallHistoryRepository,
  CallStatusRepository,
  InProgressRepository,
} from './ports/call-stores.js';
import { createChainStore } from './escalation-chains.js';
import { createContactFlowHandler } from './escalation-contact-flow.js';
import { escalationEpisode } from '../domain/reopen.js';
import { currentOwner, openedAtOf } from './escalation-episode.js';
import { createEscalationSteps } from './escalation-steps.js';
import type { FlatLines } from './flat-lines.js';
import type { IncidentService } from './incidents.js';
import type { OncallService } from './oncall.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';
import type { Notifier } from './ports/notifier.js';
import type { PhoneCaller } from './ports/phone-caller.js';

export interface EscalationDeps {
  incidents: IncidentService;
  oncall: Pick<OncallService, 'list'>;
  callStatus: CallStatusRepository;
  inProgress: InProgressRepository;
  callHistory: CallHistoryRepository<CallRecord>;
  /** Undefined: no phone (no Connect, not the local emulator); ticks do nothing, history stays readable. */
  caller: PhoneCaller | undefined;
  /** Chatwork (or nothing): the "nobody answered" error notice. */
  notifier: Notifier;
  /** The incident thread, for the `<!channel>` reply when nobody answered. */
  thread: Pick<IncidentPublisher, 'reply'>;
  clock: Clock;
  logger: Logger;
  policy: EscalationPolicy;
  historyTtlDays: number;
  /**
   * False for an incident that follows an escalation policy of ONCALL_CONFIG (issue 19: policy-escalation.ts);
   * those are not the flat list's. Default: every incident follows the flat list.
   */
  followsFlatList?: (incident: Incident) => boolean;
  /** The phone lines policies page too: a call holds its person's line (flat-lines.ts). Absent: no holds. */
  lines?: FlatLines;
}

/** How many incidents a tick took each kind of step for. */
export type TickSummary = Partial<
  Record<'start' | 'next' | 'resend' | 'give_up' | 'timeout' | 'stop' | 'failed', number>
>;

export interface EscalationService {
  /** True when calls can be placed (a phone is configured). */
  readonly enabled: boolean;
  readonly policy: EscalationPolicy;
  tick(now?: number): Promise<TickSummary>;
  handleContactFlow(request: ContactFlowRequest): Promise<ContactFlowResult>;
  /** The chain (if any) and every recorded attempt and outcome, oldest first. */
  calls(incidentId: string): Promise<{ chain: Chain | undefined; records: CallRecord[] }>;
  /** The calls in the shape the incident report shows (ReportServiceDeps.callHistory). */
  reportCalls(incidentId: string): Promise<ReportCall[]>;
  /**
   * Stops the incident's active phone chain because a silence now covers it (src/domain/silence.ts); the held
   * incident starts no new one. False when it had no active chain.
   */
  stopSilenced(incidentId: string, by?: string): Promise<boolean>;
  /** Resolves when the stops started by incident events have finished (tests, shutdown). */
  drain(): Promise<void>;
  /** Stops listening to incident events. */
  close(): void;
}

export function createEscalationService(deps: EscalationDeps): EscalationService {
  const { incidents, inProgress, clock, policy, caller } = deps;
  const log = deps.logger.child({ component: 'escalation' });
  const chains = createChainStore({ callStatus: deps.callStatus, ttlSeconds: deps.historyTtlDays * 86_400 });
  const steps =
    caller === undefined ? undefined : createEscalationSteps({ ...deps, caller, chains, logger: log });
  const handleFlow =
    steps === undefined
      ? undefined
      : createContactFlowHandler({
          incidents,
          callHistory: deps.callHistory,
          chains,
          steps,
          clock,
          logger: log,
        });

  /** One call per person (flat-lines.ts): false while someone else calls the responder of `attempt`. */
  const holdLine = (chain: Chain, attempt: number, incident: Incident, now: number) =>
    deps.lines?.hold(chain, attempt, escalationEpisode(incident).startedAt, now) ?? Promise.resolve(true);

  /** Starts the episode's chain; `ended` is the chain of an earlier episode, which the new one replaces. */
  async function begin(incident: Incident, now: number, ended: Chain | undefined): Promise<boolean> {
    if (steps === undefined) return false;
    // Someone owns the error already (an accepted call, or another tool using the seed's table).
    if ((await currentOwner(inProgress, incident)) !== undefined) return false;
    const chain = startChain({
      incidentId: incident.id,
      responders: await deps.oncall.list(),
      rounds: policy.rounds,
      now,
      episode: escalationEpisode(incident).startedAt,
    });
    // The first responder is on another call: the chain starts when they are free (a tick re-checks).
    if (chain.phase === 'calling' && !(await holdLine(chain, chain.attempt, incident, now))) return false;
    // Another tick, process or Lambda started it (or replaced the ended one) first. (It holds the same line.)
    if (!(await (ended === undefined ? chains.create(chain) : chains.replace(ended, chain)))) return false;
    log.info({ incident: incident.id, responders: chain.responders.length }, 'phone escalation started');
    if (chain.phase === 'exhausted') await steps.announceEnd(chain, 'no_responders', now);
    else await steps.placeCall(chain, now);
    return true;
  }

  async function stepFor(incident: Incident, now: number): Promise<keyof TickSummary | undefined> {
    if (steps === undefined) return undefined;
    const stored = await chains.load(incident.id);
    // Skip an item another writer left (the seed's Lambda): it shows a call we know nothing about.
    if (stored === 'foreign') return undefined;
    const episode = escalationEpisode(incident);
    const view: IncidentView = {
      id: incident.id,
      status: incident.status,
      severity: incident.severity,
      openedAt: episode.startedAt,
      mayStartChain: episode.mayStartChain,
      ...(incident.snoozedUntil === undefined ? {} : { snoozedUntil: Date.parse(incident.snoozedUntil) }),
    };
    const action = nextTickAction({ incident: view, chain: stored, now, policy });
    switch (action.kind) {
      case 'wait':
        return undefined;
      case 'start': {
        const ended = stored !== undefined && currentChain(view, stored) === undefined ? stored : undefined;
        return (await begin(incident, now, ended)) ? 'start' : undefined;
      }
      case 'stop':
        return (await steps.stop(incident.id, action.reason, now, incident.acknowledgedBy))
          ? 'stop'
          : undefined;
    }
    if (stored === undefined) return undefined;
    switch (action.kind) {
      case 'next': {
        if (!(await holdLine(stored, stored.attempt + 1, incident, now))) return undefined;
        const next = beginNextAttempt(stored, now);
        if (!(await chains.replace(stored, next))) return undefined;
        await steps.placeCall(next, now);
        return 'next';
      }
      case 'resend': {
        if (!(await holdLine(stored, stored.attempt, incident, now))) return undefined;
        const next = resendStart(stored, now);
        if (!(await chains.replace(stored, next))) return undefined;
        log.warn(
          { incident: incident.id, attempt: next.attempt, tries: next.startTries },
          're-sending a call start',
        );
        await steps.placeCall(next, now, { resent: true });
        return 'resend';
      }
      case 'give_up':
        return (await steps.missed(stored, 'failed', now, {
          errorKind: 'UNKNOWN',
          detail: 'the call never started',
        }))
          ? 'give_up'
          : undefined;
      case 'timeout':
        return (await steps.missed(stored, 'timeout', now)) ? 'timeout' : undefined;
    }
  }

  const pending = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>) => {
    const task = promise
      .catch((error: unknown) => log.error({ err: error }, 'stopping a phone chain failed'))
      .finally(() => pending.delete(task));
    pending.add(task);
  };
  const unsubscribe =
    steps === undefined
      ? () => undefined
      : incidents.subscribe((event) => {
          if (event.type === 'acknowledged') {
            track(steps.stop(event.incident.id, 'acknowledged', clock.now(), event.incident.acknowledgedBy));
          } else if (event.type === 'resolved') {
            track(steps.stop(event.incident.id, 'resolved', clock.now(), event.incident.resolvedBy));
          }
        });

  return {
    enabled: steps !== undefined,
    policy,

    async tick(now = clock.now()) {
      const summary: TickSummary = {};
      if (steps === undefined) return summary;
      // Oldest episode first: when two incidents want the same person, the one waiting longer calls first.
      const open = (await incidents.listOpen()).sort((a, b) => openedAtOf(a) - openedAtOf(b));
      for (const incident of open) {
        if (!severityAtLeast(incident.severity, policy.severity)) continue;
        if (deps.followsFlatList?.(incident) === false) continue;
        try {
          const step = await stepFor(incident, now);
          if (step !== undefined) summary[step] = (summary[step] ?? 0) + 1;
        } catch (error) {
          // One incident's trouble (a store hiccup) must not hold up the others' calls.
          summary.failed = (summary.failed ?? 0) + 1;
          log.error({ err: error, incident: incident.id }, 'escalation step failed');
        }
      }
      return summary;
    },

    async handleContactFlow(request) {
      if (handleFlow === undefined) return { result: 'ignored', message: 'Phone escalation is not set up.' };
      return handleFlow(request);
    },

    async calls(incidentId) {
      const [stored, records] = await Promise.all([
        chains.load(incidentId),
        deps.callHistory.list(incidentId),
      ]);
      return { chain: stored === 'foreign' ? undefined : stored, records };
    },

    async reportCalls(incidentId) {
      const records = await deps.callHistory.list(incidentId);
      return records
        .filter((r) => r.event !== 'started')
        .map((r) => ({
          at: r.at,
          responder:
            r.responderId === undefined
              ? '—'
              : `${r.responderId}${r.phone === undefined ? '' : ` (${r.phone})`}`,
          outcome: r.errorKind === undefined ? r.event : `${r.event} (${r.errorKind})`,
        }));
    },

    stopSilenced: async (incidentId, by) =>
      (await steps?.stop(incidentId, 'silenced', clock.now(), by)) ?? false,

    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    close() {
      unsubscribe();
    },
  };
}

/** The policy from the configuration's seconds (config.escalation). */
export function escalationPolicyFrom(settings: {
  severity: EscalationPolicy['severity'];
  afterSeconds: number;
  retrySeconds: number;
  rounds: number;
  answerTimeoutSeconds: number;
}): EscalationPolicy {
  return {
    ...DEFAULT_POLICY,
    severity: settings.severity,
    afterMs: settings.afterSeconds * 1000,
    retryMs: settings.retrySeconds * 1000,
    rounds: settings.rounds,
    answerTimeoutMs: settings.answerTimeoutSeconds * 1000,
  };
}
