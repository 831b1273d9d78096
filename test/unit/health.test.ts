import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/domain/clock.js';
import { createHealthCheck, type StoreReader } from '../../src/services/health.js';
import { healthRoutes } from '../../src/ingress/routes/health.js';
import { captureLogs } from '../helpers/log-capture.js';

/** A store read whose outcome the test sets, counting the reads. */
function store() {
  const state = { outcome: { ok: true } as Awaited<ReturnType<StoreReader>>, reads: 0 };
  const probe: StoreReader = () => {
    state.reads += 1;
    return Promise.resolve(state.outcome);
  };
  return { state, probe };
}

const request = {
  method: 'GET',
  path: '/health',
  query: new URLSearchParams(),
  headers: {},
  rawBody: Buffer.alloc(0),
  requestId: 'r',
  params: {},
};

describe('GET /health', () => {
  it('answers the seed contract when the store reads, and 503 with the reason when it does not', async () => {
    const { state, probe } = store();
    const clock = createManualClock();
    const check = createHealthCheck({ probe, clock, logger: captureLogs().logger });
    const [route] = healthRoutes({ check });

    expect(await route?.handler(request)).toMatchObject({ status: 200, body: { status: 'healthy' } });
    state.outcome = { ok: false, reason: 'embedded DynamoDB is closed' };
    clock.advance(1_000);
    expect(await route?.handler(request)).toMatchObject({
      status: 503,
      body: { status: 'unhealthy', store: 'embedded DynamoDB is closed' },
    });
  });

  it('reads the store at most once a second, and once for probes that arrive together', async () => {
    const { state, probe } = store();
    const clock = createManualClock();
    const check = createHealthCheck({ probe, clock, logger: captureLogs().logger });

    await Promise.all([check(), check(), check()]);
    expect(state.reads).toBe(1);
    clock.advance(999);
    state.outcome = { ok: false, reason: 'down' };
    expect(await check()).toEqual({ healthy: true });
    expect(state.reads).toBe(1);
    clock.advance(1);
    expect(await check()).toEqual({ healthy: false, store: 'down' });
    expect(state.reads).toBe(2);
  });

  it('logs a change of state once, not every probe', async () => {
    const { state, probe } = store();
    const clock = createManualClock();
    const logs = captureLogs();
    const check = createHealthCheck({ probe, clock, logger: logs.logger, cacheMs: 0 });

    await check();
    state.outcome = { ok: false, reason: 'no answer within 2000 ms' };
    await check();
    await check();
    state.outcome = { ok: true };
    await check();
    expect(logs.entries().map((e) => [e['msg'], e['store']])).toEqual([
      ['health: the store cannot serve', 'no answer within 2000 ms'],
      ['health: the store serves again', undefined],
    ]);
  });

  it('a probe that throws counts as unhealthy', async () => {
    const check = createHealthCheck({
      probe: () => Promise.reject(new Error('boom')),
      clock: createManualClock(),
      logger: captureLogs().logger,
    });
    expect(await check()).toEqual({ healthy: false, store: 'boom' });
  });
});
