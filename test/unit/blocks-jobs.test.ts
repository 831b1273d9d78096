import { describe, expect, it } from 'vitest';
import { buildAppHome } from '../../src/blocks/app-home.js';
import {
  buildExpectReply,
  buildJobDetail,
  buildJobHomeBlocks,
  buildJobList,
  JOBS_HOME_MAX,
  JOBS_USAGE,
  jobEmoji,
  jobHomeBlocks,
} from '../../src/blocks/jobs.js';
import { findBlockKitViolations } from '../../src/blocks/limits.js';
import type { JobOverview, StoredJobReport } from '../../src/domain/job-records.js';

const T0 = Date.UTC(2026, 0, 1);

function run(
  jobKey: string,
  status: 'success' | 'error',
  minutes: number,
  message: string | null,
): StoredJobReport {
  const finishedAt = new Date(T0 + minutes * 60_000).toISOString();
  return {
    id: `00000000-0000-5000-8000-${String(minutes).padStart(12, '0')}`,
    jobKey,
    title: jobKey === 'daily-price-sync' ? '価格同期処理' : '',
    status,
    finishedAt,
    finishedAtRaw: finishedAt,
    message,
    receivedAt: T0 + minutes * 60_000,
  };
}

const ok: JobOverview = {
  jobKey: 'daily-price-sync',
  title: '価格同期処理',
  latest: run('daily-price-sync', 'success', 0, '処理完了'),
  schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 600 },
  nextExpectedAt: T0 + 3_600_000,
  late: false,
};
const failing: JobOverview = {
  jobKey: 'nightly-etl',
  title: 'nightly-etl',
  latest: run('nightly-etl', 'error', 5, 'Traceback (most recent call last):\n  File "etl.py"\n<!here> boom'),
  late: false,
};
const late: JobOverview = {
  jobKey: 'hourly-export',
  title: 'hourly-export',
  schedule: { kind: 'cron', cron: '0 * * * *', tz: 'Asia/Tokyo', graceSeconds: 300 },
  nextExpectedAt: T0 + 3_600_000,
  late: true,
};

const surface = (blocks: unknown, text = 'x') => findBlockKitViolations({ kind: 'message', text, blocks });

describe('/jobs blocks', () => {
  it('lists late and failing jobs first, with status, last run, next run and message', () => {
    const reply = buildJobList([ok, failing, late]);
    expect(reply).toMatchSnapshot();
    const text = JSON.stringify(reply.blocks);
    expect(text.indexOf('hourly-export')).toBeLessThan(text.indexOf('nightly-etl'));
    expect(text.indexOf('nightly-etl')).toBeLessThan(text.indexOf('daily-price-sync'));
    expect(text).toContain('3 jobs · 1 failing · 1 late');
    expect(text).toContain('&lt;!here&gt;');
    expect(surface(reply.blocks, reply.text)).toEqual([]);
  });

  it('says when nothing has reported', () => {
    expect(buildJobList([]).text).toContain('No jobs have reported yet');
  });

  it('stays within Slack limits with hundreds of jobs and huge messages', () => {
    const many: JobOverview[] = Array.from({ length: 300 }, (_, i) => ({
      jobKey: `job-${i}-${'k'.repeat(200)}`,
      title: 'T'.repeat(500),
      latest: run(`job-${i}`, i % 2 === 0 ? 'error' : 'success', i, 'm'.repeat(4000)),
      schedule: { kind: 'period', periodSeconds: 60, graceSeconds: 0 },
      late: i % 3 === 0,
    }));
    const reply = buildJobList(many);
    expect(surface(reply.blocks, reply.text)).toEqual([]);
    expect(JSON.stringify(reply.blocks)).toContain('more');
    const home = buildAppHome({ openIncidents: [], oncall: [], jobBlocks: buildJobHomeBlocks(many) });
    expect(findBlockKitViolations({ kind: 'view', view: home })).toEqual([]);
    expect(buildJobHomeBlocks(many)).toHaveLength(JOBS_HOME_MAX + 1);
  });

  it('shows a job’s recent runs', () => {
    const history = [
      run('daily-price-sync', 'error', 120, 'x'),
      run('daily-price-sync', 'success', 60, null),
    ];
    const reply = buildJobDetail(ok, history);
    expect(reply).toMatchSnapshot();
    expect(surface(reply.blocks)).toEqual([]);
    expect(JSON.stringify(buildJobDetail(late, []).blocks)).toContain('No runs in the history');
  });

  it('answers `expect`', () => {
    expect(buildExpectReply('daily-price-sync', ok).text).toContain('is expected every 1h, grace 10m');
    expect(buildExpectReply('gone', undefined).text).toContain('No schedule');
  });

  it('picks an emoji per state', () => {
    expect([ok, failing, late, { late: false }].map(jobEmoji)).toEqual(['✅', '❌', '⏰', '⚪']);
    expect(JOBS_USAGE).toContain('/jobs');
  });

  it('fills the App Home jobs section', async () => {
    const blocks = await jobHomeBlocks({ list: async () => [ok, failing] });
    const home = buildAppHome({ openIncidents: [], oncall: [], jobBlocks: blocks });
    expect(JSON.stringify(home)).toContain('価格同期処理');
    expect(JSON.stringify(await jobHomeBlocks({ list: async () => [] }))).toContain(
      'No jobs have reported yet',
    );
  });
});
