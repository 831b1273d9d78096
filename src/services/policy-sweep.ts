/**
 * The sweep for escalation chains never started. A new incident's chain is created by the `opened` event's handler
 * (policy-escalation.ts), in the process that stored the incident; if that process dies in between, nothing else
 * would ever start it (the policy tick reads only the due index). So the intake first leaves a marker in the
 * Escalations table (`expect`), due SWEEP_AFTER_MS later, then stores the incident; the event's handler drops the
 * marker once the chain exists. A marker still there when it comes due is swept by the tick: the chain is started
 * if the incident still wants one (open, unacknowledged, unsilenced, severe enough, on a policy), by the same
 * conditional write as the event's, so exactly once however many ticks or processes sweep it.
 */
import type { Severity } from '../domain/alert.js';
import type { Clock } from '../domain/clock.js';
import type { Incident } from '../domain/incident.js';
import type { OncallConfig } from '../domain/oncall-config.js';
import { chainPolicyOf } from '../domain/policy-chain.js';
import type { Logger } from '../logger.js';
import { inParallel } from './in-parallel.js';
import type { EscalationStore } from './ports/escalation-store.js';

/** How long after an incident is stored its chain must exist before the sweep starts it: four ticks of 15 s. */
export const SWEEP_AFTER_MS = 60_000;

/** The intake's hook, called before a new incident is stored: the marker, if the incident will want a chain. */
export function createChainMarkers(deps: {
  store: Pick<EscalationStore, 'expectChain'>;
  config: () => OncallConfig;
  /** ESCALATE_SEVERITY. */
  severity: Severity;
  clock: Clock;
  logger: Logger;
}): (incident: Incident) => Promise<void> {
  return async (incident) => {
    if (chainPolicyOf(incident, deps.config(), deps.severity) === undefined) return;
    try {
      await deps.store.expectChain(incident.id, deps.clock.now() + SWEEP_AFTER_MS);
    } catch (error) {
      // The incident still opens, and its chain still starts as usual; only the crash insurance is missing.
      deps.logger.error({ err: error, incident: incident.id }, 'could not leave the escalation sweep marker');
    }
  };
}

/**
 * Sweeps the due markers: starts each missing chain (`ensureChain`: false when it exists or is not wanted) and drops
 * the marker. Resolves with how many chains it started and how many markers failed (kept for the next tick).
 */
export async function sweepMarkers(
  incidentIds: readonly string[],
  deps: {
    store: Pick<EscalationStore, 'chainStarted'>;
    get(incidentId: string): Promise<Incident | undefined>;
    ensureChain(incident: Incident): Promise<boolean>;
    concurrency: number;
    logger: Logger;
  },
): Promise<{ started: number; failed: number }> {
  const outcome = { started: 0, failed: 0 };
  await inParallel(incidentIds, deps.concurrency, async (id) => {
    try {
      const incident = await deps.get(id);
      // No incident: its opener died before storing it (or it expired); the marker is all that is left.
      if (incident !== undefined && (await deps.ensureChain(incident))) {
        outcome.started += 1;
        deps.logger.warn({ incident: id }, 'escalation chain started by the sweep: its opener never did');
      }
      await deps.store.chainStarted(id);
    } catch (error) {
      outcome.failed += 1;
      deps.logger.error({ err: error, incident: id }, 'sweeping an escalation marker failed');
    }
  });
  return outcome;
}
