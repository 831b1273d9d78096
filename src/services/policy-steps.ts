/**
 * The steps of an escalation policy that touch the outside (issue 19): start a step (resolve its targets now,
 * mention them in the incident thread, DM them the buttons, leave a page on their phone lines), move on, stop,
 * and say "nobody answered". Each first wins the chain's conditional write (src/domain/policy-chain.ts); starting a
 * step claims every notification in that same write, before any is sent, so a restart mid-step resumes it without
 * notifying anyone twice, and a tick starting a thousand chains pays two writes for each.
 */
import { buildEscalationDm, stepNoteText } from '../blocks/escalation-dm.js';
import { nobodyAnsweredText } from '../blocks/calls.js';
import type { Clock } from '../domain/clock.js';
import type { Incident } from '../domain/incident.js';
import type { EscalationPolicy, Target } from '../domain/oncall-config.js';
import {
  advanceChain,
  claimStep,
  endPolicyChain,
  phonedBy,
  stepDone,
  stepLabel,
  stepOf,
  type PolicyChain,
  type PolicyEndReason,
} from '../domain/policy-chain.js';
import type { Logger } from '../logger.js';
import type { IncidentService } from './incidents.js';
import type { EscalationStore } from './ports/escalation-store.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';
import type { Notifier } from './ports/notifier.js';
import type { OncallMessenger } from './ports/oncall-messenger.js';

export interface PolicyStepDeps {
  store: EscalationStore;
  incidents: Pick<IncidentService, 'get'>;
  /** Who a target means now, overrides included (ScheduleService.whoIsOnCall). */
  whoIsOnCall(target: Target, at: number): Promise<string[]>;
  messenger: Pick<OncallMessenger, 'direct'>;
  thread: Pick<IncidentPublisher, 'reply'>;
  notifier: Notifier;
  /** False without a phone (no Connect, not the local emulator): phone steps notify nobody by phone. */
  phoneEnabled: boolean;
  clock: Clock;
  logger: Logger;
}

export function createPolicySteps(deps: PolicyStepDeps) {
  const { store, incidents } = deps;
  const log = deps.logger;

  /**
   * Who each target means at `now`, each distinct target resolved once: a tick that starts a thousand chains over
   * fifty policies reads each schedule's overrides once, not a thousand times.
   */
  function targetsAt(now: number): TargetResolver {
    const known = new Map<string, Promise<string[]>>();
    return (target) => {
      const key = JSON.stringify(target);
      let users = known.get(key);
      if (users === undefined) {
        users = deps.whoIsOnCall(target, now);
        known.set(key, users);
      }
      return users;
    };
  }

  /**
   * Starts (or resumes) the chain's step; false when another writer took it first. The targets are resolved
   * first (reads only); then ONE conditional write wins the step and claims every notification it will send
   * (`slack:U1`, `phone:U1`, `note`), so however many processes try, each is sent once. A crash after that write
   * loses the sends not yet made (never doubles one); the step is resumed after its lease for anyone who came on
   * call meanwhile. `known` passes what the tick already read: the incident, and its per-tick target resolver.
   */
  async function runStep(
    chain: PolicyChain,
    policy: EscalationPolicy,
    now: number,
    known: { incident?: Incident; targets?: TargetResolver } = {},
  ): Promise<boolean> {
    const step = stepOf(chain, policy);
    const incident = known.incident ?? (await incidents.get(chain.incidentId));
    const resolve = known.targets ?? targetsAt(now);
    const users =
      step === undefined || incident === undefined
        ? []
        : [...new Set((await Promise.all(step.targets.map(resolve))).flat())];
    const wanted =
      step === undefined || incident === undefined
        ? []
        : [
            ...(step.notify.includes('slack') ? users.map((u) => `slack:${u}`) : []),
            ...(step.notify.includes('phone') && deps.phoneEnabled ? users.map((u) => `phone:${u}`) : []),
            'note',
          ];
    const claimed = claimStep(chain, now, wanted);
    if (!(await store.saveChain(claimed, chain.version))) return false;
    if (step === undefined || incident === undefined) return true;
    const before = chain.phase === 'notifying' ? chain.notified : [];
    const mine = (key: string) => wanted.includes(key) && !before.includes(key);
    const slackTo = users.filter((u) => mine(`slack:${u}`));
    const phoneTo = users.filter((u) => mine(`phone:${u}`));
    await Promise.all([
      ...slackTo.map(async (user) => {
        try {
          await deps.messenger.direct(user, buildEscalationDm(incident, policy, claimed));
        } catch (error) {
          log.warn({ err: error, incident: incident.id, user }, 'could not DM an escalation target');
        }
      }),
      ...phoneTo.map((user) => store.page(user, incident.id, now)),
    ]);
    const label = stepLabel(claimed, policy);
    if (mine('note')) {
      // A plain thread reply, not a timeline note: a note's text is escaped, and this one must mention people.
      deps.thread.reply(
        incident.id,
        stepNoteText({
          policy: policy.id,
          label,
          users,
          slackTo,
          phoneTo,
          phone: step.notify.includes('phone'),
          phoneEnabled: deps.phoneEnabled,
        }),
      );
    }
    log.info(
      { incident: incident.id, policy: policy.id, step: label, slack: slackTo.length, phone: phoneTo.length },
      'escalation step started',
    );
    await store.saveChain(stepDone(claimed, policy, claimed.notified), claimed.version);
    return true;
  }

  /** Withdraws the pages the chain's current step left on phone lines that have not called yet. */
  async function withdrawPages(chain: PolicyChain): Promise<void> {
    await Promise.all(phonedBy(chain).map((user) => store.withdraw(user, chain.incidentId)));
  }

  /** The step's wait is over: the next step (started at once), the next pass, or "nobody answered". */
  async function advance(
    chain: PolicyChain,
    policy: EscalationPolicy,
    now: number,
  ): Promise<PolicyChain | undefined> {
    const next = advanceChain(chain, policy, now);
    if (!(await store.saveChain(next, chain.version))) return undefined;
    // A person still on another call when this step ends is not waited for any longer: the chain moves on.
    await withdrawPages(chain);
    if (next.phase === 'ended') await nobodyAnswered(next, policy, now);
    return next;
  }

  async function nobodyAnswered(chain: PolicyChain, policy: EscalationPolicy, now: number): Promise<void> {
    const incident = await incidents.get(chain.incidentId);
    const title = incident?.title ?? chain.incidentId;
    deps.thread.reply(chain.incidentId, nobodyAnsweredText({ id: chain.incidentId, title }, 'exhausted'));
    log.warn({ incident: chain.incidentId, policy: policy.id }, 'escalation policy ended: nobody took it');
    await deps.notifier
      .error({
        system: '',
        occurredAt: new Date(now),
        kind: 'ESCALATION_EXHAUSTED',
        message: `Nobody answered for ${chain.incidentId} (policy ${policy.id}): ${title}`,
        details: {
          incident: chain.incidentId,
          severity: incident?.severity ?? 'unknown',
          policy: policy.id,
          steps: policy.steps.length,
          passes: policy.repeat + 1,
        },
      })
      .catch((error: unknown) => log.error({ err: error }, 'could not send the nobody-answered notice'));
  }

  /** Ends the chain (ack, resolve, a new policy) and withdraws its pending pages; retries while it moves. */
  async function stop(
    incidentId: string,
    reason: PolicyEndReason,
    now: number,
    by?: string,
  ): Promise<boolean> {
    for (let i = 0; i < 5; i += 1) {
      const chain = await store.chain(incidentId);
      if (chain === undefined || chain.phase === 'ended') return false;
      if (await store.saveChain(endPolicyChain(chain, reason, now, by), chain.version)) {
        await withdrawPages(chain);
        log.info({ incident: incidentId, reason, step: chain.step }, 'escalation policy stopped');
        return true;
      }
    }
    return false;
  }

  return { targetsAt, runStep, advance, stop };
}

export type PolicySteps = ReturnType<typeof createPolicySteps>;

/** Who a target means, as one tick sees it (PolicySteps.targetsAt). */
export type TargetResolver = (target: Target) => Promise<string[]>;
