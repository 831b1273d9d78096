/**
 * Issue 20, silences over the wire: `POST/GET/DELETE /api/silences` behind Bearer ALERTS_API_TOKEN (401s, 400s
 * naming the field, nothing stored for a rejected request); a silenced alert is stored and counted, answers
 * `"silenced": true`, and posts nothing; when the silence ends (DELETE, or its end passing with two processes
 * ticking at once) what it held that is still firing is listed in exactly one message. Slack is read back through
 * the emulator's Web API (conversations.history), as a Slack client would.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_CHANNEL, post } from '../helpers/alerts.js';
import { startHikeshi, startPeer, type TestHikeshi } from '../helpers/hikeshi.js';
import { emulatorWebClient } from '@hikeshi/slack-emulator/testing';

const TOKEN = 'silences-alerts-token-3c9d';
const HOUR = 3_600_000;

let h: TestHikeshi;
let slack: WebClient;

beforeAll(async () => {
  h = await startHikeshi({ env: { ALERTS_API_TOKEN: TOKEN, SLACK_ALERT_CHANNEL: ALERT_CHANNEL } });
  slack = emulatorWebClient(h.emulator);
});
afterAll(async () => {
  await h.close();
});

const at = (ms: number) => new Date(ms).toISOString();
const silenceBody = (overrides: Record<string, unknown> = {}) => ({
  matchers: ['label:service="payments"'],
  starts_at: at(h.clock.now()),
  ends_at: at(h.clock.now() + 2 * HOUR),
  comment: 'payments DB failover',
  ...overrides,
});
/** `token` null: no Authorization header. */
const createSilence = (body: unknown, token: string | null = TOKEN) =>
  post(`${h.baseUrl}/api/silences`, body, token === null ? {} : { token });
const alert = (body: Record<string, unknown>) => post(`${h.baseUrl}/api/alerts`, body, { token: TOKEN });
async function request(method: string, path: string, token: string | null = TOKEN) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Every top-level message text in the alert channel, through the Web API. */
async function channelTexts(): Promise<string[]> {
  const history = await slack.conversations.history({ channel: ALERT_CHANNEL, limit: 200 });
  return (history.messages ?? []).map((m) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`);
}
const mentioning = async (text: string) => (await channelTexts()).filter((t) => t.includes(text));

describe('the API refuses what it must, and stores nothing then', () => {
  it('401 without the bearer token, or with a wrong one, on every route', async () => {
    expect((await createSilence(silenceBody(), null)).status).toBe(401);
    expect((await createSilence(silenceBody(), 'wrong-token')).status).toBe(401);
    expect((await request('GET', '/api/silences', null)).status).toBe(401);
    expect((await request('DELETE', '/api/silences/sil-0000abcd', 'wrong-token')).status).toBe(401);
    expect(await h.store.silences.list()).toEqual([]);
  });

  it.each([
    ['a bad matcher', { matchers: ['label:service~payments'] }, 'matchers.0'],
    ['an unknown field', { matchers: ['team=payments'] }, 'matchers.0'],
    ['a bad regex', { matchers: ['title=~"disk ("'] }, 'matchers.0'],
    ['no matcher', { matchers: [] }, 'matchers'],
    ['matchers that match everything', { matchers: ['label:team=~".*"'] }, 'matchers'],
    ['an end before the start', { ends_at: '2000-01-01T00:00:00Z' }, 'ends_at'],
    ['an end that is no date', { ends_at: 'tomorrow' }, 'ends_at'],
    ['a start that is no date', { starts_at: '10:00' }, 'starts_at'],
    ['no comment', { comment: '  ' }, 'comment'],
  ])('400 for %s, naming %s', async (_what, overrides, field) => {
    const answer = await createSilence(silenceBody(overrides));
    expect(answer.status).toBe(400);
    expect(answer.body['field']).toBe(field);
    expect(String(answer.body['error'])).toContain(field);
    expect(await h.store.silences.list()).toEqual([]);
  });

  it('400 for more than 30 days, and for an end in the past', async () => {
    const long = await createSilence(silenceBody({ ends_at: at(h.clock.now() + 31 * 24 * HOUR) }));
    expect(long).toMatchObject({ status: 400, body: { field: 'ends_at' } });
    expect(String(long.body['error'])).toContain('30 days');
    const past = await createSilence(
      silenceBody({ starts_at: at(h.clock.now() - 2 * HOUR), ends_at: at(h.clock.now() - HOUR) }),
    );
    expect(past).toMatchObject({ status: 400, body: { field: 'ends_at' } });
    expect(await h.store.silences.list()).toEqual([]);
  });

  it('404 for DELETE of an unknown silence', async () => {
    expect((await request('DELETE', '/api/silences/sil-0000abcd')).status).toBe(404);
    expect((await request('DELETE', '/api/silences/not-an-id')).status).toBe(404);
  });
});

describe('a silence holds matching alerts back', () => {
  it('201 {id}; listed; a matching alert is stored and counted but posts nothing; DELETE lists it once', async () => {
    const created = await createSilence(silenceBody());
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    expect(id).toMatch(/^sil-[0-9a-f]{8}$/);
    const listed = await request('GET', '/api/silences');
    expect(listed.body['silences']).toEqual([
      expect.objectContaining({
        id,
        status: 'active',
        matchers: ['label:service="payments"'],
        comment: 'payments DB failover',
        created_by: 'api',
      }),
    ]);

    const first = await alert({
      title: 'Payments DB replica lag',
      dedup_key: 'silence-api-1',
      severity: 'critical',
      details: { service: 'payments' },
    });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'triggered', deduplicated: false, silenced: true });
    const incidentId = String(first.body['incident_id']);
    const again = await alert({
      title: 'Payments DB replica lag',
      dedup_key: 'silence-api-1',
      details: { service: 'payments' },
    });
    expect(again.body).toMatchObject({ incident_id: incidentId, deduplicated: true, silenced: true });
    // Another service is not silenced: its incident is posted as usual (and shows the held one was not).
    const other = await alert({
      title: 'Search is slow',
      dedup_key: 'silence-api-2',
      details: { service: 'search' },
    });
    expect(other.body['silenced']).toBeUndefined();
    const otherId = String(other.body['incident_id']);
    await expect.poll(() => mentioning(otherId), { timeout: 5000 }).toHaveLength(1);
    await h.app.services.incidents.flush();
    const held = await h.app.services.incidents.get(incidentId);
    expect(held).toMatchObject({ count: 2, silencedBy: [id] });
    expect(held?.slack).toBeUndefined();
    await h.app.services.publisher.flush();
    expect(await mentioning(incidentId)).toEqual([]);

    const ended = await request('DELETE', `/api/silences/${id}`);
    expect(ended).toMatchObject({ status: 200, body: { id, status: 'expired', summarised: 1 } });
    await expect.poll(() => mentioning(incidentId), { timeout: 5000 }).toHaveLength(1);
    const [summary] = await mentioning(incidentId);
    expect(summary).toContain(`Silence ${id} ended`);
    expect(summary).toContain('Payments DB replica lag');
    // Released, listed by the summary only; a second DELETE changes nothing.
    const released = await h.app.services.incidents.get(incidentId);
    expect(released?.silencedBy).toBeUndefined();
    expect(released?.silenceSummary).toBe(id);
    expect((await request('DELETE', `/api/silences/${id}`)).body).toMatchObject({ summarised: 0 });
    // A restart's resync finishes unposted incidents, but not one the summary stands for.
    expect(await h.app.services.incidents.resync()).toMatchObject({ posts: 0 });
    await h.app.services.publisher.flush();
    expect(await mentioning(incidentId)).toHaveLength(1);
    const after = await request('GET', '/api/silences');
    expect(after.body['silences']).toEqual([
      expect.objectContaining({ id, status: 'expired', expired_by: 'api' }),
    ]);
  });

  it('a silence made to start later holds nothing until then; at its start the tick holds what it matches', async () => {
    const starts = h.clock.now() + HOUR;
    const created = await createSilence(
      silenceBody({ matchers: ['source=cron'], starts_at: at(starts), ends_at: at(starts + HOUR) }),
    );
    const id = String(created.body['id']);
    expect((await request('GET', '/api/silences')).body['silences']).toContainEqual(
      expect.objectContaining({ id, status: 'pending' }),
    );
    const before = await alert({ title: 'Backup late', source: 'cron', dedup_key: 'silence-pending-1' });
    expect(before.body['silenced']).toBeUndefined();
    const incidentId = String(before.body['incident_id']);
    await expect.poll(() => mentioning(incidentId), { timeout: 5000 }).toHaveLength(1);
    h.clock.advance(HOUR);
    expect(await h.app.services.silences.tick()).toMatchObject({ applied: 1 });
    expect((await h.app.services.incidents.get(incidentId))?.silencedBy).toEqual([id]);
    const during = await alert({ title: 'Backup late', source: 'cron', dedup_key: 'silence-pending-1' });
    expect(during.body).toMatchObject({ incident_id: incidentId, silenced: true });
    expect(await h.app.services.silences.tick()).toMatchObject({ applied: 0 });
    expect((await request('DELETE', `/api/silences/${id}`)).body).toMatchObject({ summarised: 1 });
  });

  it('at its end, two processes ticking at once post exactly one summary, listing only what still fires', async () => {
    const id = String(
      (await createSilence(silenceBody({ matchers: ['source=batch', 'severity!=info'] }))).body['id'],
    );
    const fire = (key: string) =>
      alert({ title: `Nightly export failed [${key}]`, source: 'batch', dedup_key: key, severity: 'error' });
    const firing = String((await fire('silence-tick-1')).body['incident_id']);
    const resolved = String((await fire('silence-tick-2')).body['incident_id']);
    await alert({ dedup_key: 'silence-tick-2', status: 'resolved' });
    const peer = await startPeer(h, { env: { ALERTS_API_TOKEN: TOKEN, SLACK_ALERT_CHANNEL: ALERT_CHANNEL } });
    try {
      h.clock.advance(2 * HOUR + 1);
      const ticks = await Promise.all([
        h.app.services.silences.tick(),
        peer.services.silences.tick(),
        h.app.services.silences.tick(),
      ]);
      expect(ticks.reduce((n, t) => n + t.finished, 0)).toBe(1);
      await expect.poll(() => mentioning(`Silence ${id} ended`), { timeout: 5000 }).toHaveLength(1);
      const [summary] = await mentioning(`Silence ${id} ended`);
      expect(summary).toContain(firing);
      expect(summary).not.toContain(resolved);
      await Promise.all([h.app.services.silences.tick(), peer.services.silences.tick()]);
      await peer.settle();
      expect(await mentioning(`Silence ${id} ended`)).toHaveLength(1);
      expect((await h.store.silences.get(id))?.summary).toMatchObject({ incidents: 1 });
    } finally {
      await peer.stop();
    }
  });
});
