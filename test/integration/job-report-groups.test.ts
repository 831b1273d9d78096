/**
 * Reports of one job arriving together are processed as a group (src/services/job-report-groups.ts). The app
 * under test reaches its store through a gate that speaks the store's own wire format (the embedded store's
 * request/response exchange, as a cluster worker reaches its primary's): it forwards every request to a real
 * dynalite, and can hold some back (to make reports arrive in a known order, and to keep a job busy so the next
 * reports queue up as one group) or answer them with DynamoDB's InternalServerError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import { parseJobReport, reportDedupKey, type JobReport } from '../../src/domain/job.js';
import type { JobEvent } from '../../src/domain/job-records.js';
import { createLogger } from '../../src/logger.js';
import type { WireRequest, WireResponse } from '../../src/store/dynalite-host.mjs';
import { createStore, type Store } from '../../src/store/index.js';
import { startHikeshi, startPeer, type TestHikeshi } from '../helpers/hikeshi.js';

interface Seen {
  operation: string;
  body: string;
}

/** What the gate does with a request: pass it on (after `delayMs`) or fail it. */
interface GateRules {
  delayMs?(request: Seen): number;
  fails?(request: Seen): boolean;
}

const INTERNAL_ERROR: WireResponse = {
  statusCode: 500,
  headers: { 'content-type': 'application/x-amz-json-1.0' },
  body: JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error (injected by the test)',
  }),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('job reports of one job, arriving together', () => {
  let h: TestHikeshi;
  let gated: Store;
  let app: HikeshiApp;
  const seen: Seen[] = [];
  let rules: GateRules = {};
  const events: JobEvent[] = [];

  beforeAll(async () => {
    h = await startHikeshi();
    const upstream = h.store.exchange;
    if (upstream === undefined) throw new Error('the test store has no exchange');
    const exchange = async (request: WireRequest): Promise<WireResponse> => {
      const body = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString();
      const call = { operation: request.headers['x-amz-target']?.split('.')[1] ?? '', body };
      seen.push(call);
      if (rules.fails?.(call) === true) return INTERNAL_ERROR;
      const delay = rules.delayMs?.(call) ?? 0;
      if (delay > 0) await sleep(delay);
      return upstream(request);
    };
    gated = await createStore({
      mode: 'embedded',
      dataDir: '.data/test-unused',
      region: 'us-east-1',
      tables: h.store.tables,
      clock: h.clock,
      logger: createLogger({ level: 'silent' }),
      remote: exchange,
    });
    app = await startPeer(h, { store: gated });
    app.services.jobs.subscribe((event) => events.push(event));
  });
  afterAll(async () => {
    await app.stop();
    await gated.close();
    await h.close();
  });

  const reportOf = (jobKey: string, status: string, hour: number, message: string | null = null) => {
    const finished_at = `2026-02-01T${String(hour).padStart(2, '0')}:00:00Z`;
    const parsed = parseJobReport({ job_key: jobKey, title: 'Job', status, finished_at, message });
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.report;
  };
  const mentions = (call: Seen, jobKey: string) => call.body.includes(`"JOB#${jobKey}"`);
  const isRead = (call: Seen) => call.operation === 'BatchGetItem' || call.operation === 'GetItem';

  /** Everything a run of reports leaves behind for a job, comparable between two job keys. */
  async function endState(jobKey: string) {
    await app.services.incidents.flush();
    const latest = await h.app.store.jobReports.getLatest(jobKey);
    const history = await app.services.jobs.history(jobKey, 100);
    const ofJob = events.filter(
      (e): e is Exclude<JobEvent, { type: 'missed' }> => e.type !== 'missed' && e.report.jobKey === jobKey,
    );
    const failure = ofJob.at(-1)?.incident;
    const incident = failure === undefined ? undefined : await app.services.incidents.get(failure.id);
    return {
      latest: latest && [latest.status, latest.finishedAtRaw, latest.message],
      history: history.map((r) => `${r.status} ${r.finishedAtRaw} ${String(r.message)}`).sort(),
      events: ofJob.map(
        (e) => `${e.type}${e.type === 'failed' ? `:${e.action}` : ''} ${e.report.finishedAtRaw}`,
      ),
      incident: incident && {
        status: incident.status,
        count: incident.count,
        reopenCount: incident.reopenCount,
        resolveNote: incident.resolveNote,
      },
      failureOpen: (await h.app.store.incidents.findOpenByFingerprint(`job:${jobKey}`)) !== undefined,
      missedOpen: (await h.app.store.incidents.findOpenByFingerprint(`job-missed:${jobKey}`)) !== undefined,
      schedule: await h.app.store.jobSchedules.get(jobKey),
    };
  }

  it('a burst (failures, recoveries, older runs, duplicates) ends as processing it one by one does', async () => {
    // [status, hour, message]: in the order the reports arrive.
    const runs: [string, number, string | null][] = [
      ['error', 2, 'first failure'],
      ['error', 3, 'again'],
      ['success', 1, 'an older run, delivered late'],
      ['error', 3, 'again'], // a client retry of the second report
      ['success', 5, 'recovered'],
      ['error', 4, 'older than the recovery'],
      ['error', 6, 'broken again'],
      ['error', 7, 'still broken'],
      ['success', 7, 'same time as the failure, after it'],
      ['error', 6, 'broken again'], // a client retry
      ['success', 8, null],
      ['error', 9, 'broken at the end'],
    ];
    const reportsOf = (jobKey: string) => runs.map(([s, hour, m]) => reportOf(jobKey, s, hour, m));
    for (const jobKey of ['one-by-one', 'burst']) {
      await app.services.jobs.expect(jobKey, { kind: 'period', periodSeconds: 600, graceSeconds: 60 });
    }
    h.clock.advance(11 * 60_000 + 1);
    expect((await app.services.jobs.tick()).missed.sort()).toEqual(['burst', 'one-by-one']);

    const sequential: boolean[] = [];
    for (const report of reportsOf('one-by-one')) {
      sequential.push((await app.services.jobs.report(report)).duplicate);
    }
    const readsOneByOne = seen.filter((c) => isRead(c) && mentions(c, 'one-by-one')).length;

    // The burst arrives in the order above: its claims are answered 20 ms apart (a retry with its original).
    // The first report's read is held, so the others queue up behind it and are processed as one group.
    const burst = reportsOf('burst');
    const claimOrder = burst.map((r) => JSON.stringify(reportDedupKey(r)));
    let heldFirstRead = false;
    rules = {
      delayMs: (call) => {
        const claim = call.operation === 'PutItem' ? claimOrder.findIndex((k) => call.body.includes(k)) : -1;
        if (claim >= 0) return claim * 20;
        if (!heldFirstRead && isRead(call) && mentions(call, 'burst')) {
          heldFirstRead = true;
          return 1000; // well past the last claim, on a loaded machine too
        }
        return 0;
      },
    };
    const readsBefore = seen.filter((c) => isRead(c) && mentions(c, 'burst')).length;
    const answers = await Promise.all(burst.map((r) => app.services.jobs.report(r)));
    rules = {};
    const readsBurst = seen.filter((c) => isRead(c) && mentions(c, 'burst')).length - readsBefore;

    expect(answers.filter((a) => a.duplicate)).toHaveLength(2);
    expect(sequential.filter(Boolean)).toHaveLength(2);
    const [expected, actual] = [await endState('one-by-one'), await endState('burst')];
    expect(actual).toEqual({ ...expected, schedule: { ...expected.schedule, jobKey: 'burst' } });
    // What the two runs went through: checked here so the comparison above is known to cover it.
    expect(actual.history).toHaveLength(10);
    expect(actual.latest).toEqual(['error', '2026-02-01T09:00:00Z', 'broken at the end']);
    // A failure after a recovery reopens the incident (no `failed` event; issue 20), the next folds into it.
    expect(actual.events).toEqual([
      'failed:opened 2026-02-01T02:00:00Z',
      'failed:folded 2026-02-01T03:00:00Z',
      'recovered 2026-02-01T05:00:00Z',
      'failed:folded 2026-02-01T07:00:00Z',
      'recovered 2026-02-01T07:00:00Z',
    ]);
    expect(actual).toMatchObject({
      failureOpen: true,
      missedOpen: false,
      incident: { status: 'triggered', reopenCount: 2 },
    });
    expect(actual.schedule?.missed).toBeUndefined();
    // One read for the held first report, one for the group (one by one: one per report processed).
    expect(readsBurst).toBe(2);
    expect(readsOneByOne).toBeGreaterThanOrEqual(10);
  });

  it('a failed write fails its whole group and releases every claim, so retries are processed', async () => {
    const lead = reportOf('poisoned', 'success', 1, 'before the group');
    const group = [
      reportOf('poisoned', 'error', 2, 'one'),
      reportOf('poisoned', 'error', 3, 'poison'),
      reportOf('poisoned', 'success', 4, 'three'),
    ];
    let heldFirstRead = false;
    rules = {
      delayMs: (call) => {
        if (heldFirstRead || !isRead(call) || !mentions(call, 'poisoned')) return 0;
        heldFirstRead = true;
        return 1000; // well past the group's claims, on a loaded machine too
      },
      fails: (call) => call.operation === 'BatchWriteItem' && call.body.includes('"poison"'),
    };
    const first = app.services.jobs.report(lead);
    await sleep(100); // the lead holds the job while the group's reports are claimed
    const settled = await Promise.allSettled(group.map((r) => app.services.jobs.report(r)));
    await expect(first).resolves.toMatchObject({ duplicate: false });
    for (const outcome of settled) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'STORE_UNAVAILABLE' } });
    }
    expect((await app.services.jobs.history('poisoned')).map((r) => r.message)).toEqual(['before the group']);
    expect(await h.app.store.incidents.findOpenByFingerprint('job:poisoned')).toBeUndefined();

    // The store is well again: the clients' retries are processed (their claims were released), once.
    rules = {};
    const retried = await Promise.all(group.map((r: JobReport) => app.services.jobs.report(r)));
    expect(retried.map((a) => a.duplicate)).toEqual([false, false, false]);
    const again = await Promise.all(group.map((r) => app.services.jobs.report(r)));
    expect(again.map((a) => a.duplicate)).toEqual([true, true, true]);
    expect(await app.services.jobs.history('poisoned')).toHaveLength(4);
    expect(await h.app.store.jobReports.getLatest('poisoned')).toMatchObject({ message: 'three' });
  });
});
