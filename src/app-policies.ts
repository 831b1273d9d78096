/**
 * The escalation-policy part of the composition root (issue 19): app-escalation.ts calls `buildPolicyEscalation`
 * and nothing else does. It builds the Escalations and Contacts repositories (here, not in
 * the store, like the Oncall table's), the contact service behind `/oncall phone`, the policy steps, the phone
 * lines, and the policy escalation service, and routes each contact-flow event to the chain that placed the call.
 */
import type { WebClient } from '@slack/web-api';
import type { Config } from './config/index.js';
import type { CallRecord } from './domain/call-record.js';
import type { Clock } from './domain/clock.js';
import type { ContactFlowRequest, ContactFlowResult } from './domain/contact-flow.js';
import type { Incident } from './domain/incident.js';
import { policyOf } from './domain/incident-policy.js';
import { policyFor } from './domain/policy-chain.js';
import { routeOf } from './domain/routing.js';
import type { AlertSignal } from './domain/alert.js';
import { createSlackOncallMessenger } from './integrations/slack-oncall.js';
import type { Logger } from './logger.js';
import { createContactService, type ContactService } from './services/contacts.js';
import type { IncidentService } from './services/incidents.js';
import type { OncallConfigSource } from './services/oncall-config.js';
import type { OncallService } from './services/oncall.js';
import { escalationPolicyFrom } from './services/escalation.js';
import { createFlatLines, type FlatLines } from './services/flat-lines.js';
import { createPhoneLines } from './services/phone-lines.js';
import { createPolicyEscalationService, type PolicyEscalationService } from './services/policy-escalation.js';
import { createPolicySteps } from './services/policy-steps.js';
import { createChainMarkers } from './services/policy-sweep.js';
import type { CallHistoryRepository } from './services/ports/call-stores.js';
import type { IncidentPublisher } from './services/ports/incident-publisher.js';
import type { Notifier } from './services/ports/notifier.js';
import type { PhoneCaller } from './services/ports/phone-caller.js';
import type { ScheduleService } from './services/schedules.js';
import { createContactsRepository } from './store/contacts-repository.js';
import { createEscalationsRepository } from './store/escalations-repository.js';
import type { Store } from './store/index.js';

/** The route of each new incident under the ONCALL_CONFIG in force (domain/routing.ts's `routeOf`). */
export function routeFor(oncallConfig: OncallConfigSource) {
  return (signal: AlertSignal) => routeOf(oncallConfig.current(), signal);
}

/** True when the incident is the flat list's (escalation.ts), not a policy's (policy-escalation.ts). */
export function followsFlatList(oncallConfig: OncallConfigSource) {
  return (incident: Incident) => policyFor(oncallConfig.current(), policyOf(incident)) === 'responders';
}

/** The Escalations table's repository: chains, phone lines and the sweep's markers. */
function escalationsOf(config: Config, store: Store, clock: Clock) {
  return createEscalationsRepository({
    doc: store.doc,
    tableName: store.tables.escalations,
    clock,
    keepDays: config.historyTtlDays,
  });
}

/** The marker the intake leaves before storing a new incident that will want a chain (policy-sweep.ts). */
export function chainMarkersFor(
  config: Config,
  deps: { oncallConfig: OncallConfigSource; store: Store; clock: Clock; logger: Logger },
) {
  return createChainMarkers({
    store: escalationsOf(config, deps.store, deps.clock),
    config: () => deps.oncallConfig.current(),
    severity: config.escalation.severity,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'escalation-policies' }),
  });
}

export interface PolicyEscalationParts {
  contacts: ContactService;
  /** The lines the flat list's calls hold too (one call per person); undefined without a phone. */
  flatLines: FlatLines | undefined;
  policyEscalation: PolicyEscalationService;
  /** Contact-flow events: a line's call to the policy escalation, any other to the flat list's handler. */
  handleContactFlow(
    request: ContactFlowRequest,
    flat: (request: ContactFlowRequest) => Promise<ContactFlowResult>,
  ): Promise<ContactFlowResult>;
}

export function buildPolicyEscalation(
  config: Config,
  deps: {
    oncallConfig: OncallConfigSource;
    store: Store;
    client: WebClient;
    incidents: IncidentService;
    oncall: OncallService;
    schedules: Pick<ScheduleService, 'whoIsOnCall'>;
    caller: PhoneCaller | undefined;
    callHistory: CallHistoryRepository<CallRecord>;
    thread: Pick<IncidentPublisher, 'reply'>;
    notifier: Notifier;
    clock: Clock;
    logger: Logger;
  },
): PolicyEscalationParts {
  const { store, clock, caller } = deps;
  const logger = deps.logger.child({ component: 'escalation-policies' });
  const escalations = escalationsOf(config, store, clock);
  const contacts = createContactService({
    store: createContactsRepository({ doc: store.doc, tableName: store.tables.contacts, clock }),
    oncall: deps.oncall,
    clock,
    phoneRegion: config.defaultPhoneRegion,
  });
  const steps = createPolicySteps({
    store: escalations,
    incidents: deps.incidents,
    whoIsOnCall: (target, at) => deps.schedules.whoIsOnCall(target, at),
    messenger: createSlackOncallMessenger(deps.client),
    thread: deps.thread,
    notifier: deps.notifier,
    phoneEnabled: caller !== undefined,
    clock,
    logger,
  });
  const lines =
    caller === undefined
      ? undefined
      : createPhoneLines({
          store: escalations,
          incidents: deps.incidents,
          phones: (users) => contacts.phones(users),
          caller,
          callHistory: deps.callHistory,
          clock,
          logger,
          answerTimeoutMs: config.escalation.answerTimeoutSeconds * 1000,
          historyTtlDays: config.historyTtlDays,
        });
  const policyEscalation = createPolicyEscalationService({
    incidents: deps.incidents,
    config: () => deps.oncallConfig.current(),
    store: escalations,
    steps,
    lines,
    severity: config.escalation.severity,
    clock,
    logger,
  });
  return {
    contacts,
    flatLines:
      caller === undefined
        ? undefined
        : createFlatLines({ store: escalations, policy: escalationPolicyFrom(config.escalation), logger }),
    policyEscalation,
    handleContactFlow: (request, flat) =>
      policyEscalation.handles(request) ? policyEscalation.handleContactFlow(request) : flat(request),
  };
}
