/**
 * Issue 11, operational visibility: `GET /metrics` in the Prometheus text format after real traffic — alerts
 * received and folded, incidents by status, calls placed and their outcomes, job reports, queue publishes and
 * consumes, Slack API calls and errors, HTTP answers — behind METRICS_TOKEN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../src/ingress/router.js';
import { metricsRoutes } from '../../src/ingress/routes/metrics.js';
import { createLogger } from '../../src/logger.js';
import { post } from '../helpers/alerts.js';
import { ALICE, BOB, SECOND, respond, startPhoneFakes, type PhoneFakes } from '../helpers/escalation.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';
import { githubExample, postGitHub, taskMessages } from '../helpers/webhooks.js';

const TOKEN = 'metrics-token-2f9a61';
const ALERTS = 'metrics-alerts-token-77';
const JOBS = 'metrics-job-secret-31';
const GITHUB = 'metrics-github-secret-c0';

let fakes: PhoneFakes;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  h = await startHikeshi({
    env: {
      ...fakes.env,
      METRICS_TOKEN: TOKEN,
      ALERTS_API_TOKEN: ALERTS,
      JOB_REPORT_SECRET: JOBS,
      GITHUB_WEBHOOK_SECRET: GITHUB,
    },
  });
  await h.app.services.oncall.replace([ALICE, BOB]);
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});

/** `null`: no Authorization header. */
async function scrape(token: string | null = TOKEN) {
  const response = await fetch(`${h.baseUrl}/metrics`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** `name{labels} value` → value, for the exact series. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts real traffic, in the Prometheus text format', async () => {
    const alert = { title: 'Metrics drill', severity: 'error', dedup_key: 'metrics-drill' };
    await post(`${h.baseUrl}/api/alerts`, alert, { token: ALERTS });
    await post(`${h.baseUrl}/api/alerts`, alert, { token: ALERTS });
    await post(`${h.baseUrl}/api/alerts`, alert, { token: 'wrong' });
    await post(
      `${h.baseUrl}/api/monitor/job-report`,
      {
        job_key: 'metrics-job',
        title: 'Metrics job',
        status: 'success',
        finished_at: '2026-01-01T00:00:00Z',
        message: 'ok',
      },
      { headers: { 'x-tc-portal-webhook-secret': JOBS } },
    );
    await postGitHub(h.baseUrl, GITHUB, 'issues', githubExample('issues', 'labeled'));
    await expect.poll(() => taskMessages(h.emulator).length).toBe(1);
    const { id } = await openIncident(h, { severity: 'critical' });
    h.clock.advance(300 * SECOND);
    await h.app.services.escalation.tick(h.clock.now());
    const dial = fakes.connect.dials.find((d) => d.attributes['incidentId'] === id)!;
    await respond(h, dial, '1');
    await h.app.settle();

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    // Every family: HELP, then TYPE, then its samples; every sample line well formed.
    const lines = text.trimEnd().split('\n');
    const declared = new Map<string, string>();
    for (const [index, line] of lines.entries()) {
      const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/.exec(line);
      if (help) {
        expect(lines[index + 1]).toMatch(new RegExp(`^# TYPE ${help[1]} (counter|gauge)$`));
        continue;
      }
      const typed = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
      if (typed) {
        declared.set(typed[1]!, typed[2]!);
        continue;
      }
      const match =
        /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|[+-]Inf)$/.exec(
          line,
        );
      expect(match, line).not.toBeNull();
      expect(declared.has(match![1]!), `${match![1]} sampled before its TYPE`).toBe(true);
    }
    for (const [name, kind] of declared) if (kind === 'counter') expect(name).toMatch(/_total$/);

    expect(sample(text, 'hikeshi_alerts_total{action="opened"}')).toBe(2); // the drill and the escalated one
    expect(sample(text, 'hikeshi_alerts_total{action="folded"}')).toBe(1);
    expect(sample(text, 'hikeshi_alerts_received_total{source="other"}')).toBe(2);
    expect(sample(text, 'hikeshi_incidents{status="triggered"}')).toBe(1);
    expect(sample(text, 'hikeshi_incidents{status="acknowledged"}')).toBe(1);
    expect(sample(text, 'hikeshi_call_requests_total{result="ok"}')).toBe(1);
    expect(sample(text, 'hikeshi_calls_total{event="started"}')).toBe(1);
    expect(sample(text, 'hikeshi_calls_total{event="accepted"}')).toBe(1);
    expect(sample(text, 'hikeshi_job_reports_total{duplicate="false",status="success"}')).toBe(1);
    expect(sample(text, 'hikeshi_queue_published_total{result="ok"}')).toBe(1);
    expect(sample(text, 'hikeshi_queue_consumed_total{result="ok"}')).toBe(1);
    expect(sample(text, 'hikeshi_queue_dead_lettered_total{reason="failed"}')).toBe(0);
    expect(
      sample(text, 'hikeshi_slack_api_requests_total{method="chat.postMessage",result="ok"}'),
    ).toBeGreaterThan(2);
    expect(sample(text, 'hikeshi_slack_publisher_failures_total{permanent="false"}')).toBe(0);
    expect(sample(text, 'hikeshi_http_requests_total{method="POST",route="/api/alerts",status="202"}')).toBe(
      2,
    );
    expect(sample(text, 'hikeshi_http_requests_total{method="POST",route="/api/alerts",status="401"}')).toBe(
      1,
    );
  });

  it('refuses a wrong or missing METRICS_TOKEN', async () => {
    const wrong = await scrape('not-it');
    expect(wrong.status, wrong.text.slice(0, 200)).toBe(401);
    expect((await scrape(null)).status).toBe(401);
  });

  it('unset: open with the emulator, refused in any other mode', async () => {
    const logger = createLogger({ level: 'silent' });
    const handler = (openWhenUnset: boolean) =>
      createRouter(
        metricsRoutes({
          render: async () => '',
          contentType: 'text/plain',
          token: undefined,
          openWhenUnset,
          logger,
        }),
        { logger },
      );
    const request = {
      method: 'GET',
      path: '/metrics',
      query: new URLSearchParams(),
      headers: {},
      rawBody: Buffer.alloc(0),
      requestId: 'm',
    };
    expect((await handler(true)(request)).status).toBe(200);
    const refused = await handler(false)(request);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'METRICS_TOKEN is not configured' });
  });
});
