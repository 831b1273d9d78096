/**
 * The escalation capability (issue 7): the phone (Amazon Connect, the local phone in emulator mode, or none)
 * and the escalation service on the scheduler's tick.
 */
import type { Config } from './config/index.js';
import type { CallRecord } from './domain/call-record.js';
import type { Clock } from './domain/clock.js';
import { buildPhone } from './integrations/phone.js';
import type { MetricsRegistry } from './integrations/prometheus-metrics.js';
import type { Logger } from './logger.js';
import { createEscalationService, escalationPolicyFrom } from './services/escalation.js';
import type { IncidentService } from './services/incidents.js';
import { meterCallHistory, meterCaller } from './services/metered.js';
import type { OncallService } from './services/oncall.js';
import type { IncidentPublisher } from './services/ports/incident-publisher.js';
import type { Notifier } from './services/ports/notifier.js';
import type { Scheduler } from './services/scheduler.js';
import type { CallHistoryRepository } from './store/call-history-repository.js';
import type { Store } from './store/index.js';

export function buildEscalation(
  config: Config,
  deps: {
    store: Store;
    incidents: IncidentService;
    oncall: OncallService;
    notifier: Notifier;
    publisher: IncidentPublisher;
    scheduler: Scheduler;
    clock: Clock;
    logger: Logger;
    metrics: MetricsRegistry;
  },
) {
  const { store, metrics } = deps;
  const phone = buildPhone(config, deps.logger);
  const escalation = createEscalationService({
    incidents: deps.incidents,
    oncall: deps.oncall,
    callStatus: store.callStatus,
    inProgress: store.inProgress,
    callHistory: meterCallHistory(store.callHistory as CallHistoryRepository<CallRecord>, metrics),
    caller: phone.caller === undefined ? undefined : meterCaller(phone.caller, metrics),
    notifier: deps.notifier,
    thread: deps.publisher,
    clock: deps.clock,
    logger: deps.logger,
    policy: escalationPolicyFrom(config.escalation),
    historyTtlDays: config.historyTtlDays,
  });
  if (escalation.enabled) {
    deps.scheduler.add({
      name: 'escalation',
      intervalMs: config.escalation.tickSeconds * 1000,
      run: (now) => escalation.tick(now),
    });
  }
  return { phone, escalation };
}
