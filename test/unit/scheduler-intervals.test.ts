import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../src/domain/clock.js';
import { createScheduler } from '../../src/services/scheduler.js';
import { captureLogs } from '../helpers/log-capture.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('per-task intervals', () => {
  it('runs a faster task on its own interval, the others on the scheduler’s', async () => {
    vi.useFakeTimers();
    const runs: string[] = [];
    const scheduler = createScheduler({
      intervalMs: 60_000,
      clock: createManualClock(),
      logger: captureLogs().logger,
      tasks: [{ name: 'jobs', run: async () => void runs.push('jobs') }],
    });
    scheduler.start();
    // Added after start (as app.ts does): the timer re-arms to the faster interval.
    scheduler.add({ name: 'escalation', intervalMs: 15_000, run: async () => void runs.push('escalation') });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs.filter((r) => r === 'escalation')).toHaveLength(4);
    expect(runs.filter((r) => r === 'jobs')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs.filter((r) => r === 'escalation')).toHaveLength(8);
    expect(runs.filter((r) => r === 'jobs')).toHaveLength(2);
    // runOnce (the Lambda tick) runs every task.
    runs.length = 0;
    await scheduler.runOnce();
    expect(runs).toEqual(['jobs', 'escalation']);
    await scheduler.stop();
  });
});
