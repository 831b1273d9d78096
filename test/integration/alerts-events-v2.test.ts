/**
 * The PagerDuty Events API v2 shape at `/api/alerts/events-v2` (and `/v2/enqueue`), with the trigger,
 * acknowledge and resolve examples of PagerDuty's documentation (test/fixtures/events-v2-*.json).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { BUTTON_LABELS, buttonLabels, post, postedMessage } from '../helpers/alerts.js';
import { fixture } from '../fixtures/index.js';

// The routing key of PagerDuty's own examples, so the documented payloads are sent unchanged.
const ROUTING_KEY = 'e93facc04764012d7bfb002500d5d1a6';
const example = (name: string) => fixture(`events-v2-${name}.json`) as Record<string, unknown>;

describe('POST /api/alerts/events-v2', () => {
  let h: TestHikeshi;
  let url: string;
  beforeAll(async () => {
    h = await startHikeshi({
      env: { EVENTS_V2_ROUTING_KEY: ROUTING_KEY, ALERTS_API_TOKEN: 'a-different-token' },
    });
    url = `${h.baseUrl}/api/alerts/events-v2`;
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a wrong routing key (401) and invalid events (400, PagerDuty-shaped), storing nothing', async () => {
    const wrong = await post(url, { ...example('trigger'), routing_key: 'a-different-token' });
    expect(wrong).toEqual({
      status: 401,
      body: { status: 'unauthorized', message: 'Invalid routing key', errors: ['Invalid routing key'] },
    });
    const { routing_key: _omit, ...noKey } = example('trigger');
    expect(await post(url, noKey)).toEqual({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["'routing_key' is required"],
      },
    });
    const noSummary = example('trigger');
    noSummary['payload'] = { source: 'x', severity: 'error' };
    expect(await post(url, noSummary)).toMatchObject({
      status: 400,
      body: { status: 'invalid event', errors: ["'payload.summary' is required"] },
    });
    expect(await post(url, '{"routing_key":', {})).toMatchObject({
      status: 400,
      body: { status: 'invalid event' },
    });
    expect((await post(url, example('trigger'), { contentType: 'text/plain' })).status).toBe(415);
    expect(await h.store.incidents.listOpen()).toEqual([]);
    expect(h.emulator.workspace.postCalls()).toEqual([]);
  });

  let incidentId = '';

  it('trigger opens an incident and answers like PagerDuty', async () => {
    const res = await post(url, example('trigger'));
    expect(res).toEqual({
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: 'srv01/mysql' },
    });
    const [incident] = await h.app.services.incidents.listOpen();
    expect(incident).toMatchObject({
      title: 'DISK at 99% on machine prod-datapipe03.example.com',
      severity: 'critical',
    });
    incidentId = incident!.id;
    expect(buttonLabels(await postedMessage(h, incidentId))).toEqual(BUTTON_LABELS);
  });

  it('a repeated trigger folds; acknowledge acknowledges; resolve resolves', async () => {
    expect((await post(url, example('trigger'))).status).toBe(202);
    expect((await h.app.services.incidents.get(incidentId))?.count).toBe(2);

    expect(await post(url, example('acknowledge'))).toMatchObject({
      status: 202,
      body: { dedup_key: 'srv01/mysql' },
    });
    expect((await h.app.services.incidents.get(incidentId))?.status).toBe('acknowledged');

    expect((await post(`${h.baseUrl}/v2/enqueue`, example('resolve'))).status).toBe(202);
    expect((await h.app.services.incidents.get(incidentId))?.status).toBe('resolved');
    expect(await h.app.services.incidents.listOpen()).toEqual([]);
  });

  it('returns a dedup_key for a trigger without one, which a later resolve can use', async () => {
    const { dedup_key: _omit, ...trigger } = example('trigger');
    const res = await post(`${h.baseUrl}/v2/enqueue`, trigger);
    expect(res.status).toBe(202);
    const dedupKey = String(res.body['dedup_key']);
    expect(dedupKey).toMatch(/^[0-9a-f]{64}$/);
    expect(await h.app.services.incidents.listOpen()).toHaveLength(1);
    await post(url, { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: dedupKey });
    expect(await h.app.services.incidents.listOpen()).toEqual([]);
  });

  it('answers success for an acknowledge with no open incident, changing nothing', async () => {
    const res = await post(url, { ...example('acknowledge'), dedup_key: 'never-triggered' });
    expect(res).toMatchObject({ status: 202, body: { status: 'success', dedup_key: 'never-triggered' } });
    expect(await h.app.services.incidents.listOpen()).toEqual([]);
  });
});

describe('Events v2 routing key falls back to ALERTS_API_TOKEN', () => {
  it('accepts ALERTS_API_TOKEN as the routing_key when EVENTS_V2_ROUTING_KEY is unset', async () => {
    const h = await startHikeshi({ env: { ALERTS_API_TOKEN: 'shared-alerts-token' } });
    try {
      const url = `${h.baseUrl}/api/alerts/events-v2`;
      expect((await post(url, example('trigger'))).status).toBe(401);
      expect((await post(url, { ...example('trigger'), routing_key: 'shared-alerts-token' })).status).toBe(
        202,
      );
    } finally {
      await h.close();
    }
  });
});
