/**
 * Issue 4: job monitoring end to end. The seed's Python snippet runs UNCHANGED with python3 against the
 * running app (real HTTP ingress, real store on dynalite, real Bolt posting to the Slack emulator), and the
 * missed-run check is driven by the manual clock and a direct tick.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedSecret, LOCAL_DEV_SECRET } from '../../src/ingress/auth.js';
import { createRouter } from '../../src/ingress/router.js';
import { jobRoutes } from '../../src/ingress/routes/jobs.js';
import { Actions } from '../../src/blocks/ids.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import {
  docsBlock,
  fixtureSnippet,
  runNodeExample,
  runSnippet,
  seedAvailable,
  seedSnippet,
  type SnippetRun,
} from '../helpers/job-snippet.js';

const CHANNEL = 'C0ALERTS1';
const SECRET = 'job-secret-for-tests';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FIVE_BUTTONS = [
  Actions.watching,
  Actions.toBedrockAgent,
  Actions.reporting,
  Actions.acknowledge,
  Actions.resolve,
];

describe('the seed snippet fixture', () => {
  it.skipIf(!seedAvailable())("is byte for byte the seed's code block", () => {
    expect(fixtureSnippet()).toBe(seedSnippet());
  });

  it('is the snippet docs/job-monitoring.md shows', () => {
    expect(docsBlock('python')).toBe(fixtureSnippet());
  });
});

describe('POST /api/monitor/job-report with the seed snippet', () => {
  let h: TestHikeshi;
  let reportUrl: string;

  beforeAll(async () => {
    h = await startHikeshi({ env: { JOB_REPORT_SECRET: SECRET } });
    reportUrl = `${h.baseUrl}/api/monitor/job-report`;
  });
  afterAll(async () => {
    await h.close();
  });

  const snippet = (jobKey: string, status: string, message?: string, env: SnippetRun['env'] = {}) =>
    runSnippet({
      env: {
        TC_PORTAL_MONITOR_URL: reportUrl,
        TC_PORTAL_WEBHOOK_SECRET: SECRET,
        TC_PORTAL_JOB_KEY: jobKey,
        TC_PORTAL_JOB_TITLE: '価格同期処理',
        ...env,
      },
      status,
      ...(message === undefined ? {} : { message }),
    });

  const post = (body: string, headers: Record<string, string> = { 'X-TC-Portal-Webhook-Secret': SECRET }) =>
    fetch(reportUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

  const messages = () => h.emulator.workspace.messages(CHANNEL);
  const postCount = () => h.emulator.workspace.postCalls().length;

  it('accepts a success report and stores it, quietly', async () => {
    const run = await snippet('daily-price-sync', 'success', '処理完了');
    expect(run.stdout).toContain('[TC Portal] 報告成功: success');
    const latest = await h.app.store.jobReports.getLatest('daily-price-sync');
    expect(latest).toMatchObject({ status: 'success', title: '価格同期処理', message: '処理完了' });
    expect(await h.app.services.jobs.history('daily-price-sync')).toHaveLength(1);
    expect(postCount()).toBe(0);
  });

  it('skips when its variables are unset, as the seed says', async () => {
    const run = await snippet('unset', 'success', undefined, { TC_PORTAL_WEBHOOK_SECRET: '' });
    expect(run.stdout).toContain('[TC Portal] 環境変数が未設定のためスキップ');
    expect(await h.app.store.jobReports.getLatest('unset')).toBeUndefined();
  });

  it("answers exactly the seed's shape, and accepts a bearer token too", async () => {
    const body = JSON.stringify({
      job_key: 'test-job',
      title: 'テストジョブ',
      status: 'success',
      finished_at: '2024-01-25T10:00:00Z',
      message: 'テスト報告',
    });
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const json = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['id', 'job_key', 'success']);
    expect(json).toMatchObject({ success: true, job_key: 'test-job' });
    expect(json['id']).toMatch(UUID);

    const bearer = await post(body.replace('10:00:00Z', '11:00:00Z'), { Authorization: `Bearer ${SECRET}` });
    expect(bearer.status).toBe(200);
  });

  it('processes a retried report once and answers it the same id', async () => {
    const body = JSON.stringify({
      job_key: 'retry-job',
      title: 'retry',
      status: 'error',
      finished_at: '2026-01-01T00:00:00.000001+00:00',
      message: 'timeout',
    });
    const first = (await (await post(body)).json()) as { id: string };
    const second = (await (await post(body)).json()) as { id: string };
    expect(second.id).toBe(first.id);
    const incident = await h.app.store.incidents.findOpenByFingerprint('job:retry-job');
    expect(incident?.['count']).toBe(1);
    expect(await h.app.services.jobs.history('retry-job')).toHaveLength(1);
  });

  it('the Node/TypeScript example in the docs reports the same way', async () => {
    const env = {
      TC_PORTAL_MONITOR_URL: reportUrl,
      TC_PORTAL_WEBHOOK_SECRET: SECRET,
      TC_PORTAL_JOB_KEY: 'node-job',
      TC_PORTAL_JOB_TITLE: 'Node ジョブ',
    };
    const run = await runNodeExample({ env, status: 'success', message: 'done' });
    expect(run.stdout).toContain('[TC Portal] 報告成功: success');
    expect(await h.app.store.jobReports.getLatest('node-job')).toMatchObject({
      status: 'success',
      title: 'Node ジョブ',
      message: 'done',
    });
    const refused = await runNodeExample({
      env: { ...env, TC_PORTAL_WEBHOOK_SECRET: 'wrong' },
      status: 'error',
    });
    expect(refused.stdout).toContain('[TC Portal] 報告失敗: HTTP 401');
  });

  describe('refuses bad requests, writing and posting nothing', () => {
    let postsBefore: number;
    beforeAll(() => {
      postsBefore = postCount();
    });
    afterAll(async () => {
      expect(postCount()).toBe(postsBefore);
      expect(await h.app.store.jobReports.getLatest('refused-job')).toBeUndefined();
    });

    it('401 for a wrong secret (the snippet reports the error and carries on)', async () => {
      const run = await snippet('refused-job', 'success', undefined, { TC_PORTAL_WEBHOOK_SECRET: 'wrong' });
      expect(run.stdout).toContain('[TC Portal] 報告エラー: HTTP Error 401');
      const body = JSON.stringify({
        job_key: 'refused-job',
        title: 't',
        status: 'success',
        finished_at: '2024-01-25T10:00:00Z',
      });
      expect((await post(body, { 'X-TC-Portal-Webhook-Secret': 'wrong' })).status).toBe(401);
      expect((await post(body, {})).status).toBe(401);
      expect((await post(body, { Authorization: 'Bearer wrong' })).status).toBe(401);
    });

    const valid = {
      job_key: 'refused-job',
      title: 't',
      status: 'success',
      finished_at: '2024-01-25T10:00:00Z',
    };
    it.each([
      ['a missing job_key', JSON.stringify({ ...valid, job_key: undefined }), 'job_key'],
      ['an empty job_key', JSON.stringify({ ...valid, job_key: '' }), 'job_key'],
      ['a bad status', JSON.stringify({ ...valid, status: 'done' }), 'status'],
      ['a bad time', JSON.stringify({ ...valid, finished_at: 'yesterday' }), 'finished_at'],
      [
        'a time without a zone',
        JSON.stringify({ ...valid, finished_at: '2024-01-25T10:00:00' }),
        'finished_at',
      ],
      ['a non-string message', JSON.stringify({ ...valid, message: 42 }), 'message'],
      ['malformed JSON', '{"job_key": "refused-job",', 'JSON'],
      ['an empty body', '', 'empty'],
      ['a JSON array', '[]', 'body'],
    ])('400 for %s, naming it', async (_what, body, named) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(named);
    });

    it('the snippet sees a 400 for a bad status too', async () => {
      const run = await snippet('refused-job', 'finished');
      expect(run.stdout).toContain('[TC Portal] 報告エラー: HTTP Error 400');
    });
  });

  it('without JOB_REPORT_SECRET: refused outside the emulator, local-dev-secret with it', async () => {
    const route = (allowLocalDefault: boolean) =>
      createRouter(
        jobRoutes({
          jobs: h.app.services.jobs,
          secret: createSharedSecret({
            variable: 'JOB_REPORT_SECRET',
            value: undefined,
            localDefault: LOCAL_DEV_SECRET,
            allowLocalDefault,
            logger: h.app.logger,
          }),
        }),
        { logger: h.app.logger },
      );
    const request = {
      method: 'POST',
      path: '/api/monitor/job-report',
      query: new URLSearchParams(),
      headers: { 'x-tc-portal-webhook-secret': LOCAL_DEV_SECRET },
      rawBody: Buffer.from(
        JSON.stringify({
          job_key: 'local',
          title: 't',
          status: 'success',
          finished_at: '2024-01-25T10:00:00Z',
        }),
      ),
      requestId: 'r1',
    };
    const refused = await route(false)(request);
    expect(refused).toMatchObject({ status: 401, body: { error: 'JOB_REPORT_SECRET is not configured' } });
    expect(await h.app.store.jobReports.getLatest('local')).toBeUndefined();
    expect(await route(true)(request)).toMatchObject({
      status: 200,
      body: { success: true, job_key: 'local' },
    });
  });

  it('an error opens one incident with the five buttons, a second folds into it, a success resolves it', async () => {
    const before = messages().length;
    const failed = await snippet('nightly-etl', 'error', 'DB接続エラー: connection refused');
    expect(failed.stdout).toContain('[TC Portal] 報告成功: error');
    await expect.poll(() => messages().length, { timeout: 5000 }).toBe(before + 1);
    const message = messages().at(-1)!;
    const rendered = JSON.stringify([message.text, message.blocks, message.attachments]);
    expect(rendered).toContain('Job failed: 価格同期処理');
    expect(rendered).toContain('DB接続エラー');
    expect(rendered).toContain('nightly-etl');
    for (const actionId of FIVE_BUTTONS) expect(rendered).toContain(`"${actionId}"`);

    await snippet('nightly-etl', 'error', 'DB接続エラー again');
    const open = await h.app.store.incidents.findOpenByFingerprint('job:nightly-etl');
    expect(open).toMatchObject({
      count: 2,
      status: 'triggered',
      source: 'job:nightly-etl',
      severity: 'error',
    });
    expect(messages().length).toBe(before + 1);

    const recovered = await snippet('nightly-etl', 'success', '処理完了');
    expect(recovered.stdout).toContain('[TC Portal] 報告成功: success');
    const incident = await h.app.services.incidents.get(String(open?.id));
    expect(incident).toMatchObject({ status: 'resolved', resolvedBy: 'system:job:nightly-etl' });
    expect(await h.app.store.incidents.findOpenByFingerprint('job:nightly-etl')).toBeUndefined();
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.thread(CHANNEL, message.ts).slice(1)), {
        timeout: 8000,
      })
      .toContain('Recovered: the job succeeded');

    // The next failure within REOPEN_WINDOW_MINUTES reopens the same incident (issue 20), severity unchanged.
    await snippet('nightly-etl', 'error', 'again');
    const next = await h.app.store.incidents.findOpenByFingerprint('job:nightly-etl');
    expect(next).toMatchObject({ id: open?.id, status: 'triggered', reopenCount: 1, severity: 'error' });
  });

  it('lists jobs with GET /api/monitor/jobs, behind the same secret', async () => {
    expect((await fetch(`${h.baseUrl}/api/monitor/jobs`)).status).toBe(401);
    const res = await fetch(`${h.baseUrl}/api/monitor/jobs`, {
      headers: { 'X-TC-Portal-Webhook-Secret': SECRET },
    });
    const { jobs } = (await res.json()) as { jobs: { job_key: string; schedule: unknown }[] };
    expect(jobs.map((j) => j.job_key)).toEqual(
      expect.arrayContaining(['daily-price-sync', 'nightly-etl', 'test-job']),
    );
    const detail = await fetch(`${h.baseUrl}/api/monitor/jobs/nightly-etl`, {
      headers: { 'X-TC-Portal-Webhook-Secret': SECRET },
    });
    expect(((await detail.json()) as { history: unknown[] }).history).toHaveLength(4);
  });

  it('a late job opens one missed-run incident, and its next report resolves it (manual clock)', async () => {
    const schedule = await fetch(`${h.baseUrl}/api/monitor/jobs/hourly-sync`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-TC-Portal-Webhook-Secret': SECRET },
      body: JSON.stringify({ period_seconds: 3600, grace_seconds: 600 }),
    });
    expect(schedule.status).toBe(200);
    expect(await schedule.json()).toMatchObject({
      success: true,
      job_key: 'hourly-sync',
      schedule: { period_seconds: 3600, grace_seconds: 600 },
    });
    await snippet('hourly-sync', 'success', 'ok');

    h.clock.advance(70 * 60_000); // due at +60 min, late after +70 min: not yet
    expect((await h.app.services.jobs.tick()).missed).toEqual([]);
    expect(await h.app.store.incidents.findOpenByFingerprint('job-missed:hourly-sync')).toBeUndefined();

    h.clock.advance(60_000);
    expect((await h.app.services.jobs.tick()).missed).toEqual(['hourly-sync']);
    const missed = await h.app.store.incidents.findOpenByFingerprint('job-missed:hourly-sync');
    expect(missed).toMatchObject({ title: 'Job missed: 価格同期処理', count: 1 });
    expect(String(missed?.['message'])).toMatch(
      /^No report since 2026-01-01 00:00 UTC, expected every 1h, grace 10m/,
    );
    await expect
      .poll(() => JSON.stringify(messages()), { timeout: 5000 })
      .toContain('Job missed: 価格同期処理');

    // Once: later ticks while it stays late change nothing.
    h.clock.advance(30 * 60_000);
    await h.app.scheduler.runOnce();
    expect(await h.app.store.incidents.findOpenByFingerprint('job-missed:hourly-sync')).toMatchObject({
      count: 1,
    });

    await snippet('hourly-sync', 'success', 'back');
    const resolved = await h.app.services.incidents.get(String(missed?.id));
    expect(resolved).toMatchObject({ status: 'resolved' });
    expect(resolved?.resolveNote).toContain('The job reported again');
    expect((await h.app.services.jobs.tick()).missed).toEqual([]);
  });

  it('a scheduled job that never reports is late from when its schedule was declared', async () => {
    const res = await fetch(`${h.baseUrl}/api/monitor/jobs/never-runs`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ cron: '0 3 * * *', tz: 'Asia/Tokyo', grace_seconds: 1800 }),
    });
    expect(res.status).toBe(200);
    h.clock.advance(2 * 86_400_000);
    expect((await h.app.services.jobs.tick()).missed).toContain('never-runs');
    const missed = await h.app.store.incidents.findOpenByFingerprint('job-missed:never-runs');
    expect(String(missed?.['message'])).toContain('no report yet');
  });

  it('jobs without a schedule are never late', async () => {
    h.clock.advance(365 * 86_400_000);
    const result = await h.app.services.jobs.tick();
    expect(result.missed).not.toContain('daily-price-sync');
    // A year on, the history (HISTORY_TTL_DAYS, 30) has expired; the latest result stays.
    expect(await h.app.services.jobs.history('daily-price-sync')).toEqual([]);
    expect(await h.app.store.jobReports.getLatest('daily-price-sync')).toBeDefined();
    expect(await h.app.store.incidents.findOpenByFingerprint('job-missed:daily-price-sync')).toBeUndefined();
  });
});

describe('storage failure', () => {
  it('answers 500 when the store is down', async () => {
    const h = await startHikeshi({ env: { JOB_REPORT_SECRET: SECRET } });
    try {
      await h.store.close();
      const res = await fetch(`${h.baseUrl}/api/monitor/job-report`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-TC-Portal-Webhook-Secret': SECRET },
        body: JSON.stringify({
          job_key: 'k',
          title: 't',
          status: 'error',
          finished_at: '2024-01-25T10:00:00Z',
        }),
      });
      expect(res.status).toBe(500);
      expect(h.emulator.workspace.postCalls()).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
