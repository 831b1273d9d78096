/**
 * Chatwork notices from the running app, through the real notifier against the fake Chatwork API:
 * - an incident opened with severity error or critical → an error notice in the seed's layout, line by line;
 *   warnings stay in Slack;
 * - a failed job (POST /api/monitor/job-report) → the same, with kind `job:<key>/error` and the job's error text;
 * - a Chatwork that refuses never breaks the flow that sent the notice, and its token is never logged;
 * - `npm run chatwork:test` sends the seed's two test notices.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNoticeTime } from '../../src/domain/chatwork-format.js';
import { Actions } from '../../src/blocks/ids.js';
import { startFakeChatwork, type FakeChatwork } from '../fakes/chatwork.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs } from '../helpers/log-capture.js';
import { openIncident } from '../helpers/open-incident.js';

const CHANNEL = 'C0ALERTS1';
const TOKEN = 'cw-token-3c1d5e7f9a0b2468';
const ROOM = '987654321';
const JOB_SECRET = 'job-secret-for-chatwork-test';

describe('Chatwork notices', () => {
  let chatwork: FakeChatwork;
  let h: TestHikeshi;

  beforeAll(async () => {
    chatwork = await startFakeChatwork({ apiToken: TOKEN });
    h = await startHikeshi({
      env: {
        CHATWORK_API_TOKEN: TOKEN,
        CHATWORK_ROOM_ID: ROOM,
        CHATWORK_API_URL: `${chatwork.url}/v2`,
        JOB_REPORT_SECRET: JOB_SECRET,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await chatwork?.close();
  });

  const noticeAbout = (text: string) => chatwork.messages.find((m) => m.body.includes(text));

  it('an incident opened as critical or error: an error notice, line by line', async () => {
    const { id } = await openIncident(h, {
      title: 'Checkout API 5xx above 5%',
      severity: 'critical',
      source: 'alertmanager',
      dedupKey: 'checkout-5xx',
      links: [{ title: 'Grafana', url: 'https://grafana.example/d/checkout' }],
    });
    await h.app.services.defer.drain();
    const notice = noticeAbout(`incident_id: ${id}\n`);
    expect(notice?.roomId).toBe(ROOM);
    expect(notice?.contentType).toBe('application/x-www-form-urlencoded');
    expect(notice?.body.split('\n')).toEqual([
      '[toall]',
      '🚨 【エラー発生】Hikeshi',
      '',
      `⏰ 発生時刻: ${formatNoticeTime(new Date(h.clock.now()))}`,
      '🔴 エラー種別: alertmanager/critical',
      '📝 メッセージ: Checkout API 5xx above 5%',
      '   upstream connect error or disconnect/reset before headers: connection refused',
      '',
      '📊 詳細情報:',
      `   - incident_id: ${id}`,
      '   - source: alertmanager',
      '   - count: 1',
      '   - link: https://grafana.example/d/checkout',
      '',
      '👨💻 対応が必要な場合は開発チームまでお知らせください。',
    ]);
    // Repeats fold into the incident: no second notice.
    const count = chatwork.messages.length;
    await h.app.services.incidents.ingest({
      action: 'trigger',
      title: 'Checkout API 5xx above 5%',
      severity: 'critical',
      source: 'alertmanager',
      dedupKey: 'checkout-5xx',
      links: [],
    });
    await h.app.services.defer.drain();
    expect(chatwork.messages).toHaveLength(count);
  });

  it('a warning stays in Slack', async () => {
    const { id } = await openIncident(h, { severity: 'warning' });
    await h.app.services.defer.drain();
    expect(noticeAbout(`incident_id: ${id}\n`)).toBeUndefined();
  });

  it('a failed job reported to /api/monitor/job-report: kind job:<key>/error', async () => {
    const response = await fetch(`${h.baseUrl}/api/monitor/job-report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-TC-Portal-Webhook-Secret': JOB_SECRET },
      body: JSON.stringify({
        job_key: 'nightly-backup',
        title: 'Nightly backup',
        status: 'error',
        finished_at: '2026-01-01T00:00:00Z',
        message: 'pg_dump: connection refused',
      }),
    });
    expect(response.status).toBe(200);
    // The notice was deferred while the report was handled; draining waits for its delivery.
    await h.app.services.defer.drain();
    expect(noticeAbout('job:nightly-backup/error')).toBeDefined();
    const lines = noticeAbout('job:nightly-backup/error')!.body.split('\n');
    expect(lines.slice(4, 12)).toEqual([
      '🔴 エラー種別: job:nightly-backup/error',
      '📝 メッセージ: Job failed: Nightly backup',
      '   pg_dump: connection refused',
      '',
      '📊 詳細情報:',
      expect.stringMatching(/^ {3}- incident_id: INC-\d+$/),
      '   - source: job:nightly-backup',
      '   - count: 1',
    ]);
  });
});

describe('a Chatwork that fails never breaks the flow', () => {
  it('a refused token: the incident opens, the analysis answers, the token never reaches the logs', async () => {
    const chatwork = await startFakeChatwork({ apiToken: 'the-right-token-only' });
    // No secrets registered with the capture: the scrubber cannot hide a leak, so none may happen.
    const logs = captureLogs();
    const h = await startHikeshi({
      logger: logs.logger,
      env: { CHATWORK_API_TOKEN: TOKEN, CHATWORK_ROOM_ID: ROOM, CHATWORK_API_URL: `${chatwork.url}/v2` },
    });
    try {
      const { id, ts } = await openIncident(h, { severity: 'critical' });
      await h.emulator.actions.clickButton({
        userId: 'U0ALICE01',
        channelId: CHANNEL,
        messageTs: ts,
        actionId: Actions.toBedrockAgent,
      });
      await expect
        .poll(() => h.emulator.workspace.thread(CHANNEL, ts).some((m) => m.text.includes('not an LLM')), {
          timeout: 5000,
        })
        .toBe(true);
      await h.app.services.defer.drain();
      expect(chatwork.attempts).toBeGreaterThan(0);
      expect(chatwork.messages).toHaveLength(0);
      expect((await h.app.services.incidents.get(id))?.status).toBe('triggered');
      const failures = logs.entries().filter((e) => e['msg'] === 'chatwork notice failed');
      expect(failures[0]).toMatchObject({ status: 401 });
    } finally {
      await h.close();
      await chatwork.close();
    }
    expect(logs.text()).not.toContain(TOKEN);
  });
});

describe('npm run chatwork:test', () => {
  it('sends the seed error and warning notices to the configured room', async () => {
    const chatwork = await startFakeChatwork({ apiToken: TOKEN });
    try {
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
        (resolve, reject) => {
          const child = spawn('npm', ['run', '--silent', 'chatwork:test'], {
            env: {
              ...process.env,
              CHATWORK_API_TOKEN: TOKEN,
              CHATWORK_ROOM_ID: ROOM,
              CHATWORK_API_URL: `${chatwork.url}/v2`,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          child.on('error', reject);
          child.on('close', (exit) => resolve({ code: exit, stdout: out }));
        },
      );
      expect(code).toBe(0);
      expect(stdout).toContain('🎉 すべてのテストが成功しました！');
      expect(chatwork.messages.map((m) => m.body.split('\n').find((line) => line.includes('【')))).toEqual([
        '🚨 【エラー発生】校正AIシステム',
        '⚠️ 【警告】校正AIシステム',
      ]);
      expect(chatwork.messages[0]?.body.startsWith('[toall]\n')).toBe(true);
      expect(chatwork.messages.every((m) => m.roomId === ROOM)).toBe(true);
    } finally {
      await chatwork.close();
    }
  }, 30_000);
});
