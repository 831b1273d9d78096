/**
 * Escalation policies (issue 19): incidents whose route gave them a policy of ONCALL_CONFIG walk its steps;
 * the flat list (`responders`) stays with the phone chain of escalation.ts, unchanged.
 *
 * - A chain starts when its incident opens (or reopens, or is raised to ESCALATE_SEVERITY, or is given a policy
 *   with `/incident policy`): step 1 is due at once.
 * - `tick(now)` reads only the due work (a Query on the Escalations table's due index, never every incident):
 *   chains whose step starts or whose wait is over, and phone lines with a call to place or to time out. Lines paged
 *   in this tick are dialled in it too, after every chain has paged, so three incidents at once make one call.
 * - Every acknowledgement or resolve (button, command, phone, API, any process) stops the chain at once through
 *   the incident events, and withdraws its waiting pages; a line checks each incident again right before dialling.
 * - A restart resumes each chain at its step: a step whose start never finished is re-run after a lease, and its
 *   notifications already claimed are skipped. A chain whose opener died before creating it is started by the
 *   tick's sweep (policy-sweep.ts).
 * - A tick takes up to TICK_CONCURRENCY chains at once; the scheduler never runs a tick while the last one is still
 *   going (scheduler.ts), and other processes' ticks lose each step's conditional write.
 */
import type { Severity } from '../domain/alert.js';
import type { Clock } from '../domain/clock.js';
import { spokenDescription } from '../domain/call-speech.js';
import type { ContactFlowRequest, ContactFlowResult } from '../domain/contact-flow.js';
import { parsePhoneResponse } from '../domain/contact-flow.js';
import type { Incident } from '../domain/incident.js';
import { policyOf } from '../domain/incident-policy.js';
import { RESPONDERS_POLICY_ID, type OncallConfig } from '../domain/oncall-config.js';
import { spokenPages } from '../domain/phone-line.js';
import {
  chainPolicyOf,
  policyFor,
  policyTickAction,
  startPolicyChain,
  type PolicyChain,
} from '../domain/policy-chain.js';
import { escalationEpisode } from '../domain/reopen.js';
import type { Logger } from '../logger.js';
import type { IncidentEvent, IncidentService } from './incidents.js';
import { LineAttributes, type PhoneLines } from './phone-lines.js';
import { inParallel } from './in-parallel.js';
import type { PolicySteps, TargetResolver } from './policy-steps.js';
import { sweepMarkers } from './policy-sweep.js';
import type { EscalationStore } from './ports/escalation-store.js';

/**
 * Chains (and lines, and swept markers) a tick works on at once. Each first step costs two conditional writes,
 * which the store cannot batch, so a tick of a thousand starts is bound by the store's round trips: 32 in flight
 * keep the embedded store busy (B8) without queueing a whole tick's work at once.
 */
const TICK_CONCURRENCY = 32;

/** `swept`: chains the sweep started because their opener never did (policy-sweep.ts). */
export type PolicyTickSummary = Partial<
  Record<'start' | 'resume' | 'advance' | 'stop' | 'line' | 'swept' | 'failed', number>
>;

export interface PolicyEscalationService {
  tick(now?: number): Promise<PolicyTickSummary>;
  /** The incident's chain, if it follows a policy. */
  chain(incidentId: string): Promise<PolicyChain | undefined>;
  /** True for a contact-flow event of a line's call (it names a line), which `handleContactFlow` answers. */
  handles(request: ContactFlowRequest): boolean;
  handleContactFlow(request: ContactFlowRequest): Promise<ContactFlowResult>;
  /** Resolves when the starts and stops begun by incident events have finished (tests, shutdown). */
  drain(): Promise<void>;
  close(): void;
}

export interface PolicyEscalationDeps {
  incidents: Pick<IncidentService, 'get' | 'subscribe'>;
  config: () => OncallConfig;
  store: EscalationStore;
  steps: PolicySteps;
  /** Undefined without a phone: pages are never left, so no line has work. */
  lines: PhoneLines | undefined;
  /** ESCALATE_SEVERITY: incidents at least this severe are escalated, by policy as by the flat list. */
  severity: Severity;
  clock: Clock;
  logger: Logger;
}

export function createPolicyEscalationService(deps: PolicyEscalationDeps): PolicyEscalationService {
  const { store, steps, lines, clock } = deps;
  const log = deps.logger;

  /** Starts the incident's chain if it should have one and has none for this episode and policy. */
  async function ensureChain(incident: Incident, now: number): Promise<boolean> {
    const policy = chainPolicyOf(incident, deps.config(), deps.severity);
    if (policy === undefined) return false;
    const episode = escalationEpisode(incident);
    const stored = await store.chain(incident.id);
    const current =
      stored !== undefined && stored.episode === episode.startedAt && stored.policy === policy.id;
    if (current) return false;
    if (stored !== undefined && stored.phase !== 'ended') {
      // Another policy (changed by hand): the old chain ends here, its waiting pages withdrawn.
      await steps.stop(incident.id, 'replaced', now);
    }
    const latest = stored === undefined ? undefined : await store.chain(incident.id);
    const chain = startPolicyChain({
      incidentId: incident.id,
      policy: policy.id,
      episode: episode.startedAt,
      now,
      after: latest?.version ?? 0,
    });
    const started = await store.saveChain(chain, latest?.version ?? 0);
    if (started) log.info({ incident: incident.id, policy: policy.id }, 'escalation policy started');
    return started;
  }

  const pending = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>) => {
    const task = promise
      .catch((error: unknown) => log.error({ err: error }, 'escalation policy event failed'))
      .finally(() => pending.delete(task));
    pending.add(task);
  };
  const onEvent = (event: IncidentEvent) => {
    const { incident } = event;
    if (event.type === 'acknowledged' || event.type === 'resolved') {
      const by = event.type === 'acknowledged' ? incident.acknowledgedBy : incident.resolvedBy;
      track(steps.stop(incident.id, event.type, clock.now(), by));
    } else if (event.type === 'opened' || event.type === 'reopened' || event.type === 'changed') {
      track(
        (async () => {
          // A policy changed to the flat list ends the chain; the flat list's chain takes over. (A policy this
          // process does not know, in a Lambda function without the on-call file, is left to the tick.)
          // A new incident on the flat list never had a chain: no read for it (one GetItem per new alert).
          if (policyOf(incident) === RESPONDERS_POLICY_ID) {
            if (event.type !== 'opened') await steps.stop(incident.id, 'replaced', clock.now());
          } else await ensureChain(incident, clock.now());
          // The chain exists: the marker the intake left for it (policy-sweep.ts) has done its job.
          if (event.type === 'opened' && chainPolicyOf(incident, deps.config(), deps.severity) !== undefined)
            await store.chainStarted(incident.id);
        })(),
      );
    } else if (event.raisedFrom !== undefined) {
      track(ensureChain(incident, clock.now()));
    }
  };
  const unsubscribe = deps.incidents.subscribe(onEvent);

  async function chainStep(
    chain: PolicyChain,
    now: number,
    targets: TargetResolver,
  ): Promise<keyof PolicyTickSummary | undefined> {
    const incident = await deps.incidents.get(chain.incidentId);
    const view =
      incident === undefined
        ? undefined
        : {
            status: incident.status,
            ...(incident.snoozedUntil === undefined
              ? {}
              : { snoozedUntil: Date.parse(incident.snoozedUntil) }),
          };
    const action = policyTickAction({ chain, incident: view, now });
    // The step reuses what this read: no second read of the incident, targets resolved once per tick.
    const known = { ...(incident === undefined ? {} : { incident }), targets };
    const policy = policyFor(deps.config(), chain.policy);
    if (action.kind === 'stop' || policy === 'responders') {
      // Acknowledged or resolved where no event reached us (another process), or a policy a reload removed.
      const reason = action.kind === 'stop' ? action.reason : 'replaced';
      return (await steps.stop(chain.incidentId, reason, now)) ? 'stop' : undefined;
    }
    switch (action.kind) {
      case 'wait':
        return undefined;
      case 'start':
      case 'resume':
        return (await steps.runStep(chain, policy, now, known)) ? action.kind : undefined;
      case 'advance': {
        const next = await steps.advance(chain, policy, now);
        if (next === undefined) return undefined;
        // The next step is due now: take it in this tick.
        if (next.phase === 'pending') await steps.runStep(next, policy, now, known);
        return 'advance';
      }
    }
  }

  return {
    async tick(now = clock.now()) {
      const summary: PolicyTickSummary = {};
      const count = (key: keyof PolicyTickSummary) => (summary[key] = (summary[key] ?? 0) + 1);
      let due = await store.due(now);
      const markers = due.flatMap((w) => (w.kind === 'start' ? [w.incidentId] : []));
      if (markers.length > 0) {
        const swept = await sweepMarkers(markers, {
          store,
          get: (id) => deps.incidents.get(id),
          ensureChain: (incident) => ensureChain(incident, now),
          concurrency: TICK_CONCURRENCY,
          logger: log,
        });
        if (swept.started > 0) summary.swept = swept.started;
        if (swept.failed > 0) summary.failed = swept.failed;
        // The chains just started have their first step due now: take it in this tick.
        if (swept.started > 0) due = await store.due(now);
      }
      const chains = due.flatMap((w) => (w.kind === 'chain' ? [w.chain] : []));
      const targets = steps.targetsAt(now);
      // Chains are independent (each step is won by a conditional write), so several go at once.
      await inParallel(chains, TICK_CONCURRENCY, async (chain) => {
        try {
          const step = await chainStep(chain, now, targets);
          if (step !== undefined) count(step);
        } catch (error) {
          count('failed');
          log.error({ err: error, incident: chain.incidentId }, 'escalation policy step failed');
        }
      });
      if (lines === undefined) return summary;
      // The lines due before this tick, and those its steps just paged: one call each, naming all their incidents.
      const users = new Set(due.flatMap((w) => (w.kind === 'line' ? [w.line.userId] : [])));
      for (const work of await store.due(now)) if (work.kind === 'line') users.add(work.line.userId);
      await inParallel([...users], TICK_CONCURRENCY, async (user) => {
        try {
          if (await lines.process(user, now)) count('line');
        } catch (error) {
          count('failed');
          log.error({ err: error, user }, 'phone line step failed');
        }
      });
      return summary;
    },

    chain: (incidentId) => store.chain(incidentId),

    handles: (request) => request.attributes[LineAttributes.lineToken] !== undefined,

    async handleContactFlow(request) {
      const ids = (request.attributes[LineAttributes.incidentIds] ?? '').split(',').filter((id) => id !== '');
      if (lines === undefined) return { result: 'ignored', message: 'Phone escalation is not set up.' };
      if (request.action === 'describe') {
        const named = await lines.stillWanted(ids);
        const [only] = named;
        if (only === undefined) {
          return {
            message: 'This is Hikeshi. The incidents of this call are already taken care of. Goodbye.',
            known: 'false',
          };
        }
        return {
          message: named.length === 1 ? spokenDescription(only) : spokenPages(named),
          known: 'true',
          incidentId: only.id,
          incidents: String(named.length),
        };
      }
      const outcome = parsePhoneResponse(request.response);
      const answered = await lines.answer(request.attributes, outcome, request.contactId);
      const message =
        answered.result === 'accepted'
          ? `Thank you. ${answered.incidents.length === 1 ? 'The incident is' : `${answered.incidents.length} incidents are`} now acknowledged by you. Goodbye.`
          : answered.result === 'ignored'
            ? 'These incidents no longer need you on this call. Thank you. Goodbye.'
            : 'Understood. Hikeshi will call the next person. Goodbye.';
      return { result: answered.result, message };
    },

    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    close() {
      unsubscribe();
    },
  };
}
