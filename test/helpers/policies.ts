/**
 * Escalation-policy tests (issue 19): Hikeshi over signed HTTP with an ONCALL_CONFIG file of schedules, policies
 * and routes, the Connect and Chatwork fakes, the manual clock, and the few reads the tests repeat.
 */
import { seedChannel } from '@hikeshi/slack-emulator';
import type { Logger } from '../../src/logger.js';
import { post, type Posted } from './alerts.js';
import type { PhoneFakes } from './escalation.js';
import type { TestHikeshi } from './hikeshi.js';
import {
  ALICE,
  BOB,
  CAROL,
  TOKEN,
  WEDNESDAY_NOON,
  oncallFile,
  startWithSchedules,
  type OncallFile,
} from './oncall.js';

export { ALICE, BOB, CAROL, TOKEN, WEDNESDAY_NOON };
export const PAYMENTS_CHANNEL = 'C0PAYMENTS';
export const MINUTE = 60_000;

/**
 * payments-primary: Alice this week (Bob next). Policies:
 * - payments: Slack to the primary, phone to the primary 5 minutes later, then phone to the manager (Carol);
 * - flat: the flat list by phone, twice;
 * - page-now: the primary by phone at once (three incidents at once share one call).
 */
export const POLICIES_YAML = `schedules:
  - id: payments-primary
    time_zone: Europe/Berlin
    layers:
      - rotation: weekly
        handoff: "09:00"
        handoff_day: monday
        start: "2026-01-05"
        users: [${ALICE}, ${BOB}]
escalation_policies:
  - id: payments
    steps:
      - targets: [{schedule: payments-primary}]
        notify: [slack]
        wait_minutes: 5
      - targets: [{schedule: payments-primary}]
        notify: [phone]
        wait_minutes: 5
      - targets: [{user: ${CAROL}}]
        notify: [phone]
        wait_minutes: 5
  - id: flat
    steps:
      - targets: [{responders: default}]
        notify: [phone]
        wait_minutes: 5
      - targets: [{responders: default}]
        notify: [phone]
        wait_minutes: 5
  - id: page-now
    steps:
      - targets: [{schedule: payments-primary}]
        notify: [phone]
        wait_minutes: 10
routes:
  - match: ['source="alertmanager"', 'label:team="payments"']
    policy: payments
    channel: ${PAYMENTS_CHANNEL}
  - match: ['label:team="flat"']
    policy: flat
  - match: ['label:team="ops"']
    policy: page-now
  - match: ['source="job"', 'label:job_key=~"billing-.*"']
    policy: payments
  - match: ['label:routing_key="payments-key"']
    policy: payments
  - match: ['source="checkout-api"', 'dedup_key=~"pay-.*"']
    policy: payments
`;

export interface PolicyHikeshi {
  h: TestHikeshi;
  file: OncallFile;
  close(): Promise<void>;
}

export async function startWithPolicies(
  fakes: PhoneFakes,
  options: { env?: Record<string, string>; logger?: Logger; yaml?: string } = {},
): Promise<PolicyHikeshi> {
  const file = await oncallFile(options.yaml ?? POLICIES_YAML);
  const h = await startWithSchedules(file, {
    env: { ...fakes.env, ...options.env },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  h.emulator.workspace.addChannel(seedChannel(PAYMENTS_CHANNEL, 'payments'));
  return {
    h,
    file,
    async close() {
      await h.close();
      await file.remove();
    },
  };
}

/** An Alertmanager webhook with one firing alert. */
export function alertmanagerAlert(labels: Record<string, string>, summary: string): Record<string, unknown> {
  return {
    version: '4',
    status: 'firing',
    receiver: 'team-pager',
    groupLabels: {},
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: [
      {
        status: 'firing',
        labels: { severity: 'critical', ...labels },
        annotations: { summary },
        startsAt: '2026-01-07T11:59:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example:9090/graph',
        fingerprint: summary.replace(/\W/g, '').toLowerCase().slice(0, 16),
      },
    ],
  };
}

export function postAlertmanager(h: TestHikeshi, body: unknown): Promise<Posted> {
  return post(`${h.baseUrl}/api/alerts/alertmanager`, body, { token: TOKEN });
}

/** The id of the incident the result of an Alertmanager post opened. */
export function openedId(posted: Posted): string {
  const results = posted.body['results'] as { incident_id?: string }[] | undefined;
  const id = results?.[0]?.incident_id;
  if (id === undefined) throw new Error(`no incident in ${JSON.stringify(posted.body)}`);
  return id;
}

/** `/oncall phone <number>` typed by `user`, over a signed request. */
/** `/oncall phone <phone>` as `user`, resolved once the number is stored (the command is acked before that). */
export async function setOwnPhone(h: TestHikeshi, user: string, phone: string): Promise<void> {
  await h.emulator.actions.runCommand({
    userId: user,
    channelId: 'C0ALERTS1',
    command: '/oncall',
    text: `phone ${phone}`,
  });
  for (let i = 0; i < 100 && (await h.app.services.contacts.phoneOf(user)) === undefined; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
