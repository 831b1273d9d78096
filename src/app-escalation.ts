/**
 * The escalation capability: the phone (Amazon Connect, the local phone in emulator mode, or none), the flat
 * list's escalation (issue 7) and the escalation policies of routed incidents (issue 19, app-policies.ts), each on
 * the scheduler's tick; a contact-flow event goes to the chain that placed the call.
 */
import type { Config } from './config/index.js';
import type { CallRecord } from './domain/call-record.js';
import type { Clock } from './domain/clock.js';
import type { WebClient } from '@slack/web-api';
import { buildPolicyEscalation, followsFlatList } from './app-policies.js';
import { buildPhone } from './integrations/phone.js';
import type { MetricsRegistry } from './integrations/prometheus-metrics.js';
import type { Logger } from './logger.js';
import { createEscalationService, escalationPolicyFrom } from './services/escalation.js';
import type { IncidentService } from './services/incidents.js';
import { meterCallHistory, meterCaller } from './services/metered.js';
import type { OncallService } from './services/oncall.js';
import type { IncidentPublisher } from './services/ports/incident-publisher.js';
import type { Notifier } from './services/ports/notifier.js';
import type { OncallConfigSource } from './services/oncall-config.js';
import type { Scheduler } from './services/scheduler.js';
import type { ScheduleService } from './services/schedules.js';
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
    oncallConfig: OncallConfigSource;
    schedules: Pick<ScheduleService, 'whoIsOnCall'>;
    slackClient: WebClient;
    clock: Clock;
    logger: Logger;
    metrics: MetricsRegistry;
  },
) {
  const { store, metrics } = deps;
  const phone = buildPhone(config, deps.logger);
  const callHistory = meterCallHistory(store.callHistory as CallHistoryRepository<CallRecord>, metrics);
  const caller = phone.caller === undefined ? undefined : meterCaller(phone.caller, metrics);
  // Issue 19: routed incidents follow their escalation policy (Slack and phone steps, one call per person).
  const policies = buildPolicyEscalation(config, {
    oncallConfig: deps.oncallConfig,
    store,
    client: deps.slackClient,
    incidents: deps.incidents,
    oncall: deps.oncall,
    schedules: deps.schedules,
    caller,
    callHistory,
    thread: deps.publisher,
    notifier: deps.notifier,
    clock: deps.clock,
    logger: deps.logger,
  });
  const flatEscalation = createEscalationService({
    incidents: deps.incidents,
    oncall: deps.oncall,
    callStatus: store.callStatus,
    inProgress: store.inProgress,
    callHistory,
    caller,
    notifier: deps.notifier,
    thread: deps.publisher,
    clock: deps.clock,
    logger: deps.logger,
    policy: escalationPolicyFrom(config.escalation),
    historyTtlDays: config.historyTtlDays,
    followsFlatList: followsFlatList(deps.oncallConfig),
    // One call per person: the flat list's calls hold the phone lines policies page (flat-lines.ts).
    ...(policies.flatLines === undefined ? {} : { lines: policies.flatLines }),
  });
  const { policyEscalation, contacts } = policies;
  const escalation = {
    ...flatEscalation,
    handleContactFlow: (request: Parameters<typeof flatEscalation.handleContactFlow>[0]) =>
      policies.handleContactFlow(request, flatEscalation.handleContactFlow),
  };
  deps.scheduler.add({
    name: 'escalation.policies',
    intervalMs: config.escalation.tickSeconds * 1000,
    run: (now) => policyEscalation.tick(now),
  });
  if (escalation.enabled) {
    deps.scheduler.add({
      name: 'escalation',
      intervalMs: config.escalation.tickSeconds * 1000,
      run: (now) => escalation.tick(now),
    });
  }
  return { phone, escalation, policyEscalation, contacts };
}
