/**
 * `POST /api/alerts/alertmanager` with the webhook payloads of Alertmanager's documentation
 * (test/fixtures/alertmanager-*.json): a firing group opens one incident per alert, a repeat folds, the
 * resolved notification resolves them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { BUTTON_LABELS, buttonLabels, post, postedMessage, rendered } from '../helpers/alerts.js';
import { fixture } from '../fixtures/index.js';

const TOKEN = 'alertmanager-bearer-token';

interface Result {
  dedup_key: string;
  action: string;
  incident_id: string;
  status: string;
  deduplicated: boolean;
}

describe('POST /api/alerts/alertmanager', () => {
  let h: TestHikeshi;
  let url: string;
  beforeAll(async () => {
    h = await startHikeshi({ env: { ALERTS_API_TOKEN: TOKEN } });
    url = `${h.baseUrl}/api/alerts/alertmanager`;
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a wrong or missing bearer token and a malformed payload, storing nothing', async () => {
    expect((await post(url, fixture('alertmanager-firing.json'), { token: 'nope' })).status).toBe(401);
    expect((await post(url, fixture('alertmanager-firing.json'))).status).toBe(401);
    const bad = await post(url, { version: '4', status: 'firing', receiver: 'x' }, { token: TOKEN });
    expect(bad).toMatchObject({ status: 400, body: { field: 'alerts' } });
    const badAlert = await post(
      url,
      { version: '4', status: 'firing', receiver: 'x', alerts: [{ status: 'pending', labels: {} }] },
      { token: TOKEN },
    );
    expect(badAlert).toMatchObject({ status: 400, body: { field: 'alerts.0.status' } });
    expect(await h.store.incidents.listOpen()).toEqual([]);
    expect(h.emulator.workspace.postCalls()).toEqual([]);
  });

  let opened: Result[] = [];

  it('opens one incident per firing alert, each with its own message and the five buttons', async () => {
    const res = await post(url, fixture('alertmanager-firing.json'), { token: TOKEN });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ receiver: 'hikeshi', truncated_alerts: 0 });
    opened = res.body['results'] as Result[];
    expect(opened.map((r) => [r.dedup_key, r.action, r.status, r.deduplicated])).toEqual([
      ['am:1a30ba71cca2921f', 'opened', 'triggered', false],
      ['am:c6eadffa33fcdf37', 'opened', 'triggered', false],
    ]);
    expect(new Set(opened.map((r) => r.incident_id)).size).toBe(2);
    for (const result of opened) {
      const message = await postedMessage(h, result.incident_id);
      expect(buttonLabels(message)).toEqual(BUTTON_LABELS);
    }
    const first = await postedMessage(h, opened[0]!.incident_id);
    expect(rendered(first)).toContain('Disk 91% full on i-0abc123def');
    const severities = await Promise.all(
      opened.map(async (r) => (await h.app.services.incidents.get(r.incident_id))?.severity),
    );
    expect(severities).toEqual(['critical', 'warning']);
  });

  it('does not count a re-notification of the same firing (same fingerprint and startsAt)', async () => {
    // Alertmanager re-sends a firing group every group_interval and repeat_interval, and retries a failed send.
    for (let resend = 0; resend < 3; resend += 1) {
      const res = await post(url, fixture('alertmanager-firing.json'), { token: TOKEN });
      const results = res.body['results'] as Result[];
      expect(results.map((r) => [r.incident_id, r.action, r.deduplicated])).toEqual(
        opened.map((r) => [r.incident_id, 'renotified', true]),
      );
    }
    for (const { incident_id } of opened) {
      expect((await h.app.services.incidents.get(incident_id!))?.count).toBe(1);
    }
    expect(await h.store.incidents.listOpen()).toHaveLength(2);
  });

  it('counts a changed startsAt as a new firing of the same incident, once', async () => {
    const body = fixture('alertmanager-firing.json') as { alerts: { startsAt: string }[] };
    const later = { ...body, alerts: body.alerts.map((a) => ({ ...a, startsAt: '2026-01-01T02:00:00Z' })) };
    for (let resend = 0; resend < 2; resend += 1) {
      const res = await post(url, later, { token: TOKEN });
      const results = res.body['results'] as Result[];
      expect(results.map((r) => [r.incident_id, r.action])).toEqual(
        opened.map((r) => [r.incident_id, resend === 0 ? 'folded' : 'renotified']),
      );
    }
    for (const { incident_id } of opened) {
      expect((await h.app.services.incidents.get(incident_id!))?.count).toBe(2);
    }
  });

  it('resolves them with the resolved notification', async () => {
    const res = await post(url, fixture('alertmanager-resolved.json'), { token: TOKEN });
    expect(res.status).toBe(202);
    const results = res.body['results'] as Result[];
    expect(results.map((r) => [r.incident_id, r.action, r.status])).toEqual(
      opened.map((r) => [r.incident_id, 'resolved', 'resolved']),
    );
    expect(await h.app.services.incidents.listOpen()).toEqual([]);
    const message = await postedMessage(h, opened[0]!.incident_id);
    await expect
      .poll(() => rendered(h.emulator.workspace.message(message.channel, message.ts)), { timeout: 5000 })
      .toContain('Resolved');
  });

  it('answers a resolved alert with no open incident as ignored', async () => {
    const res = await post(url, fixture('alertmanager-resolved.json'), { token: TOKEN });
    expect((res.body['results'] as Result[]).map((r) => [r.action, r.incident_id])).toEqual([
      ['ignored', null],
      ['ignored', null],
    ]);
  });
});
