/**
 * `POST /api/alerts` over HTTP against the whole app (real Bolt, emulator, dynalite): one living message per
 * incident, folding under concurrency, and every refusal leaving nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEV_TOKEN } from '../../src/ingress/auth.js';
import { MAX_BODY_BYTES } from '../../src/ingress/router.js';
import { captureLogs } from '../helpers/log-capture.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import {
  ALERT_CHANNEL,
  BUTTON_LABELS,
  alertMessages,
  buttonLabels,
  post,
  postedMessage,
  rendered,
} from '../helpers/alerts.js';

const TOKEN = 'alerts-token-for-tests';

describe('POST /api/alerts', () => {
  let h: TestHikeshi;
  let url: string;
  beforeAll(async () => {
    h = await startHikeshi({ env: { ALERTS_API_TOKEN: TOKEN } });
    url = `${h.baseUrl}/api/alerts`;
  });
  afterAll(async () => {
    await h.close();
  });

  it('opens an incident: 202, one message in the alert channel with the five buttons', async () => {
    const res = await post(
      url,
      {
        title: 'Checkout API 5xx above 5%',
        message: 'p99 latency 4.2 s',
        severity: 'critical',
        source: 'grafana',
        details: { region: 'ap-northeast-1' },
        links: [{ title: 'Dashboard', url: 'https://grafana.example.com/d/checkout' }],
      },
      { token: TOKEN },
    );
    expect(res).toEqual({
      status: 202,
      body: {
        incident_id: expect.stringMatching(/^INC-\d+$/) as unknown,
        status: 'triggered',
        deduplicated: false,
      },
    });
    const message = await postedMessage(h, String(res.body['incident_id']));
    expect(message.channel).toBe(ALERT_CHANNEL);
    expect(buttonLabels(message)).toEqual(BUTTON_LABELS);
    expect(rendered(message)).toContain('Checkout API 5xx above 5%');
    expect(alertMessages(h).filter((m) => rendered(m).includes('Checkout API 5xx'))).toHaveLength(1);
  });

  it('folds 50 identical concurrent alerts into one message whose count reaches 50', async () => {
    const before = alertMessages(h).length;
    const alert = { title: 'Queue depth above 10k', source: 'cloudwatch-agent', severity: 'warning' };
    const results = await Promise.all(Array.from({ length: 50 }, () => post(url, alert, { token: TOKEN })));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const ids = new Set(results.map((r) => r.body['incident_id']));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.body['deduplicated'] === false)).toHaveLength(1);
    const [id] = [...ids];
    const message = await postedMessage(h, String(id));
    await expect
      .poll(() => rendered(h.emulator.workspace.message(message.channel, message.ts)), { timeout: 10_000 })
      .toContain('seen *50* times');
    expect(alertMessages(h)).toHaveLength(before + 1);
    expect((await h.app.services.incidents.get(String(id)))?.count).toBe(50);
  });
});

describe('POST /api/alerts refuses bad requests, storing and posting nothing', () => {
  let h: TestHikeshi;
  let url: string;
  beforeAll(async () => {
    h = await startHikeshi({ env: { ALERTS_API_TOKEN: TOKEN } });
    url = `${h.baseUrl}/api/alerts`;
  });
  afterAll(async () => {
    await h.close();
  });

  const cases: [string, () => ReturnType<typeof post>, number, Record<string, unknown>][] = [
    [
      'no token',
      () => post(url, { title: 'x' }),
      401,
      { error: 'missing bearer token', code: 'UNAUTHORIZED' },
    ],
    [
      'a wrong token',
      () => post(url, { title: 'x' }, { token: `${TOKEN}x` }),
      401,
      { error: 'invalid bearer token', code: 'UNAUTHORIZED' },
    ],
    [
      'another auth scheme',
      () => post(url, { title: 'x' }, { headers: { authorization: `Basic ${TOKEN}` } }),
      401,
      { error: 'missing bearer token' },
    ],
    [
      'a wrong content type',
      () => post(url, 'title=x', { token: TOKEN, contentType: 'application/x-www-form-urlencoded' }),
      415,
      { error: 'content-type must be application/json, got application/x-www-form-urlencoded' },
    ],
    [
      'malformed JSON',
      () => post(url, '{"title": "x"', { token: TOKEN }),
      400,
      { field: 'body', error: expect.stringMatching(/^body is not valid JSON/) as unknown },
    ],
    [
      'a missing title',
      () => post(url, { message: 'no title' }, { token: TOKEN }),
      400,
      { field: 'title', error: 'title: is required' },
    ],
    [
      'a title of the wrong type',
      () => post(url, { title: 42 }, { token: TOKEN }),
      400,
      { field: 'title', error: expect.stringContaining('expected string') as unknown },
    ],
    [
      'an unknown severity',
      () => post(url, { title: 'x', severity: 'sev1' }, { token: TOKEN }),
      400,
      { field: 'severity' },
    ],
    [
      'a bad link',
      () => post(url, { title: 'x', links: [{ url: 'javascript:alert(1)' }] }, { token: TOKEN }),
      400,
      { field: 'links.0.url' },
    ],
    ['an array body', () => post(url, [{ title: 'x' }], { token: TOKEN }), 400, { field: 'body' }],
    [
      'a body over 1 MB',
      () => post(url, { title: 'big', message: 'x'.repeat(MAX_BODY_BYTES) }, { token: TOKEN }),
      413,
      { code: 'PAYLOAD_TOO_LARGE' },
    ],
  ];

  it.each(cases)('%s', async (_name, send, status, body) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject(body);
  });

  it('stored nothing and posted nothing for any of them', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await h.store.incidents.listOpen()).toEqual([]);
    expect(h.emulator.workspace.postCalls()).toEqual([]);
  });
});

describe('ALERTS_API_TOKEN unset', () => {
  it('in emulator mode accepts the documented local default token, and warns once', async () => {
    const logs = captureLogs();
    const h = await startHikeshi({ logger: logs.logger });
    try {
      const ok = await post(`${h.baseUrl}/api/alerts`, { title: 'local try' }, { token: LOCAL_DEV_TOKEN });
      expect(ok.status).toBe(202);
      const wrong = await post(`${h.baseUrl}/api/alerts`, { title: 'local try' }, { token: 'guess' });
      expect(wrong.status).toBe(401);
      const warnings = logs.lines().filter((l) => l.includes('ALERTS_API_TOKEN is not set'));
      expect(warnings).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('with a real Slack configuration refuses every request, saying the token is not configured', async () => {
    const h = await startHikeshi({
      env: { SLACK_BOT_TOKEN: 'xoxb-not-used', SLACK_SIGNING_SECRET: 'not-used-either' },
    });
    try {
      const res = await post(`${h.baseUrl}/api/alerts`, { title: 'x' }, { token: LOCAL_DEV_TOKEN });
      expect(res).toEqual({
        status: 401,
        body: { error: 'ALERTS_API_TOKEN is not configured', code: 'UNAUTHORIZED' },
      });
      expect(await h.store.incidents.listOpen()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
