/**
 * Issue 4, the Slack side: `/jobs`, `/jobs show`, `/jobs expect`, `/jobs forget` and the App Home jobs
 * section, through the emulator against the real Bolt app (Socket Mode).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJobReport } from '../../src/domain/job.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';

const ALICE = 'U0ALICE01';

describe('/jobs in Slack', () => {
  let h: TestHikeshi;

  const report = async (body: Record<string, unknown>) => {
    const parsed = parseJobReport({ title: '', message: null, ...body });
    if (!parsed.ok) throw new Error(parsed.reason);
    await h.app.services.jobs.report(parsed.report);
  };
  const jobs = (text: string) =>
    h.emulator.actions.runCommand({ userId: ALICE, channelId: 'alerts', command: '/jobs', text });
  const lastEphemeral = () => {
    const mine = h.emulator.workspace.ephemerals.filter((e) => e.user === ALICE);
    const last = mine.at(-1);
    return JSON.stringify([last?.text, last?.blocks]);
  };

  beforeAll(async () => {
    h = await startHikeshi();
    await report({
      job_key: 'daily-price-sync',
      title: '価格同期処理',
      status: 'success',
      finished_at: '2026-01-01T00:00:00Z',
      message: '処理完了',
    });
    await report({
      job_key: 'daily-price-sync',
      title: '価格同期処理',
      status: 'success',
      finished_at: '2026-01-02T00:00:00Z',
      message: '処理完了 2',
    });
    await report({
      job_key: 'nightly-etl',
      status: 'error',
      finished_at: '2026-01-02T03:00:00Z',
      message: 'DB接続エラー <!channel>',
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists each job with its status, last run and last message, failures first', async () => {
    const result = await jobs('');
    const body = JSON.stringify(result.ack.payload);
    expect(result.ack.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(body).toContain('2 jobs · 1 failing');
    expect(body.indexOf('nightly-etl')).toBeLessThan(body.indexOf('daily-price-sync'));
    expect(body).toContain('価格同期処理');
    expect(body).toContain('処理完了 2');
    expect(body).toContain('&lt;!channel&gt;'); // senders' text is escaped
    expect(body).not.toContain('<!channel>');
  });

  it('shows a job’s recent runs, newest first', async () => {
    const body = JSON.stringify((await jobs('show daily-price-sync')).ack.payload);
    expect(body).toContain('Recent runs');
    expect(body.indexOf('処理完了 2')).toBeLessThan(body.lastIndexOf('処理完了'));
    expect(JSON.stringify((await jobs('show nope')).ack.payload)).toContain('No job `nope`');
  });

  it('sets a schedule with `expect … every`, and the list shows the next expected run', async () => {
    await jobs('expect daily-price-sync every 1h grace 10m');
    await expect.poll(lastEphemeral, { timeout: 5000 }).toContain('is expected every 1h, grace 10m');
    expect((await h.app.store.jobSchedules.get('daily-price-sync'))?.['schedule']).toEqual({
      kind: 'period',
      periodSeconds: 3600,
      graceSeconds: 600,
    });
    expect(JSON.stringify((await jobs('')).ack.payload)).toContain('every 1h, grace 10m');
  });

  it('sets a cron schedule in a time zone', async () => {
    await jobs('expect nightly-etl cron "0 3 * * *" tz Asia/Tokyo grace 30m');
    await expect.poll(lastEphemeral, { timeout: 5000 }).toContain('cron 0 3 * * * (Asia/Tokyo), grace 30m');
  });

  it('explains a bad schedule and changes nothing', async () => {
    const result = await jobs('expect nightly-etl cron "0 25 * * *"');
    expect(JSON.stringify(result.ack.payload)).toContain('Invalid value for hour: 25');
    expect((await h.app.store.jobSchedules.get('nightly-etl'))?.['schedule']).toMatchObject({
      cron: '0 3 * * *',
    });
    expect(JSON.stringify((await jobs('frobnicate')).ack.payload)).toContain('Unknown subcommand');
  });

  it('forgets a schedule', async () => {
    await jobs('forget nightly-etl');
    await expect.poll(lastEphemeral, { timeout: 5000 }).toContain('no longer has a schedule');
    expect(await h.app.store.jobSchedules.get('nightly-etl')).toBeUndefined();
  });

  it('shows the latest job results on App Home', async () => {
    await h.emulator.actions.openAppHome(ALICE);
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.views.home(ALICE)?.definition ?? null), {
        timeout: 5000,
      })
      .toContain('daily-price-sync');
    const home = JSON.stringify(h.emulator.workspace.views.home(ALICE)?.definition);
    expect(home).toContain('Latest job results');
    expect(home).toContain('nightly-etl');
  });
});
