/**
 * Issue 19, routing over HTTP for every source: each incident gets its policy from the first matching route when
 * it opens (Alertmanager labels and receiver, Events v2 routing_key and custom details, job keys, the generic API's
 * source, dedup_key and details), a route's channel is where it posts, the message shows the policy, and
 * `/incident policy` changes it (over a signed Slack request).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, postedMessage, rendered } from '../helpers/alerts.js';
import { startPhoneFakes, type PhoneFakes } from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { ephemeralTexts } from '../helpers/oncall.js';
import {
  ALICE,
  PAYMENTS_CHANNEL,
  TOKEN,
  alertmanagerAlert,
  openedId,
  postAlertmanager,
  startWithPolicies,
  type PolicyHikeshi,
} from '../helpers/policies.js';

const JOB_SECRET = 'job-secret-routing-19';

let fakes: PhoneFakes;
let running: PolicyHikeshi;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  running = await startWithPolicies(fakes, {
    env: { EVENTS_V2_ROUTING_KEY: 'payments-key', JOB_REPORT_SECRET: JOB_SECRET },
  });
  h = running.h;
});
afterAll(async () => {
  await running?.close();
  await fakes?.close();
});

const policyOf = async (id: string) => (await h.app.services.incidents.get(id))?.policy;

async function eventsV2(body: Record<string, unknown>): Promise<string> {
  const posted = await post(`${h.baseUrl}/v2/enqueue`, body);
  expect(posted.status).toBe(202);
  const key = posted.body['dedup_key'] as string;
  const incident = (await h.app.services.incidents.listOpen()).find((i) => i.fingerprint === key);
  if (incident === undefined) throw new Error(`no incident for ${key}`);
  return incident.id;
}

async function generic(body: Record<string, unknown>): Promise<string> {
  const posted = await post(`${h.baseUrl}/api/alerts`, body, { token: TOKEN });
  expect(posted.status).toBe(202);
  return (posted.body['incident_id'] ??
    (posted.body['incident'] as { id?: string } | undefined)?.id) as string;
}

describe('routing, for every source', () => {
  it('Alertmanager labels: team=payments → payments, posted in the route’s channel, the message says the policy', async () => {
    const id = openedId(
      await postAlertmanager(h, alertmanagerAlert({ team: 'payments' }, 'Card auth errors')),
    );
    expect(await policyOf(id)).toBe('payments');
    const message = await postedMessage(h, id);
    expect(message.channel).toBe(PAYMENTS_CHANNEL);
    expect(rendered(message)).toContain('Policy: payments');
  });

  it('Alertmanager labels: team=ops → page-now; no match → the flat list (responders)', async () => {
    const ops = openedId(await postAlertmanager(h, alertmanagerAlert({ team: 'ops' }, 'Disk almost full')));
    expect(await policyOf(ops)).toBe('page-now');
    const other = openedId(await postAlertmanager(h, alertmanagerAlert({ team: 'search' }, 'Index lag')));
    expect(await policyOf(other)).toBe('responders');
    expect((await postedMessage(h, other)).channel).toBe('C0ALERTS1');
  });

  it('Events v2: custom details and the routing_key', async () => {
    const byDetails = await eventsV2({
      routing_key: 'payments-key',
      event_action: 'trigger',
      dedup_key: 'ev2-flat-1',
      payload: {
        summary: 'Flat job',
        source: 'batch-01',
        severity: 'critical',
        custom_details: { team: 'flat' },
      },
    });
    expect(await policyOf(byDetails)).toBe('flat');
    const byKey = await eventsV2({
      routing_key: 'payments-key',
      event_action: 'trigger',
      dedup_key: 'ev2-key-1',
      payload: { summary: 'Payout delayed', source: 'payouts-01', severity: 'error' },
    });
    expect(await policyOf(byKey)).toBe('payments');
    // The routing key is matched, never stored.
    expect(JSON.stringify(await h.app.services.incidents.get(byKey))).not.toContain('payments-key');
  });

  it('job keys: a failed billing-* job → payments', async () => {
    const response = await fetch(`${h.baseUrl}/api/monitor/job-report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-TC-Portal-Webhook-Secret': JOB_SECRET },
      body: JSON.stringify({
        job_key: 'billing-nightly',
        title: 'Nightly billing',
        status: 'error',
        finished_at: '2026-01-07T11:58:00Z',
        message: 'exit 1',
      }),
    });
    expect(response.status).toBe(200);
    await expect
      .poll(
        async () =>
          (await h.app.services.incidents.listOpen()).find((i) => i.source === 'job:billing-nightly')?.policy,
        {
          timeout: 5000,
        },
      )
      .toBe('payments');
  });

  it('the generic API: source and dedup_key, and details as labels', async () => {
    const byKey = await generic({
      title: 'Checkout 502s',
      source: 'checkout-api',
      dedup_key: 'pay-502',
      severity: 'critical',
    });
    expect(await policyOf(byKey)).toBe('payments');
    const byDetails = await generic({
      title: 'Cron late',
      source: 'cron',
      severity: 'critical',
      details: { team: 'ops' },
    });
    expect(await policyOf(byDetails)).toBe('page-now');
  });

  it('`/incident policy` changes it; an unknown policy is refused with the list', async () => {
    const id = openedId(await postAlertmanager(h, alertmanagerAlert({ team: 'search' }, 'Query timeouts')));
    const command = (text: string) =>
      h.emulator.actions.runCommand({ userId: ALICE, channelId: 'C0ALERTS1', command: '/incident', text });
    let before = ephemeralTexts(h, ALICE).length;
    await command(`policy ${id} nope`);
    await expect.poll(() => ephemeralTexts(h, ALICE).length, { timeout: 5000 }).toBeGreaterThan(before);
    expect(ephemeralTexts(h, ALICE).at(-1)).toContain(
      'There is no escalation policy `nope` (policies: responders, payments, flat, page-now)',
    );
    before = ephemeralTexts(h, ALICE).length;
    await command(`policy ${id} payments`);
    await expect.poll(() => ephemeralTexts(h, ALICE).length, { timeout: 5000 }).toBeGreaterThan(before);
    expect(await policyOf(id)).toBe('payments');
    await h.app.services.policyEscalation.drain();
    expect(await h.app.services.policyEscalation.chain(id)).toMatchObject({ policy: 'payments', step: 0 });
    await expect
      .poll(async () => rendered(await postedMessage(h, id)), { timeout: 5000 })
      .toContain('Policy: payments');
  });
});
