/**
 * The steps of an escalation policy that touch the outside (issue 19): start a step (resolve its targets now,
 * mention them in the incident thread, DM them the buttons, leave a page on their phone lines), move on, stop,
 * and say "nobody answered". Each first wins the chain's conditional write (src/domain/policy-chain.ts), and each
 * notification is claimed on the chain before it is sent, so a restart mid-step resumes it without notifying
 * anyone twice.
 */
import { buildEscalationDm, stepNoteText } from '../blocks/escalation-dm.js';
import { nobodyAnsweredText } from '../blocks/calls.js';
import type { Clock } from '../domain/clock.js';
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

  async function targetsOf(policy: EscalationPolicy, chain: PolicyChain, now: number): Promise<string[]> {
    const step = stepOf(chain, policy);
    if (step === undefined) return [];
    const lists = await Promise.all(step.targets.map((t) => deps.whoIsOnCall(t, now)));
    return [...new Set(lists.flat())];
  }

  /** Starts (or resumes) the chain's step; false when another writer took it first. */
  async function runStep(chain: PolicyChain, policy: EscalationPolicy, now: number): Promise<boolean> {
    const claimed = claimStep(chain, now);
    if (!(await store.saveChain(claimed, chain.version))) return false;
    const step = stepOf(claimed, policy);
    const incident = await incidents.get(claimed.incidentId);
    if (step === undefined || incident === undefined) return true;
    const users = await targetsOf(policy, claimed, now);
    const notified = [...claimed.notified];
    const claim = async (key: string): Promise<boolean> => {
      if (notified.includes(key)) return false;
      if (!(await store.claimNotification(claimed.incidentId, claimed.version, key))) return false;
      notified.push(key);
      return true;
    };
    const slackTo: string[] = [];
    const phoneTo: string[] = [];
    for (const user of users) {
      if (step.notify.includes('slack') && (await claim(`slack:${user}`))) {
        slackTo.push(user);
        try {
          await deps.messenger.direct(user, buildEscalationDm(incident, policy, claimed));
        } catch (error) {
          log.warn({ err: error, incident: incident.id, user }, 'could not DM an escalation target');
        }
      }
      if (step.notify.includes('phone') && deps.phoneEnabled && (await claim(`phone:${user}`))) {
        phoneTo.push(user);
        await store.page(user, incident.id, now);
      }
    }
    const label = stepLabel(claimed, policy);
    if (await claim('note')) {
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
    await store.saveChain(stepDone(claimed, policy, notified), claimed.version);
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

  return { runStep, advance, stop };
}

export type PolicySteps = ReturnType<typeof createPolicySteps>;
