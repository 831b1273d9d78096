import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../src/domain/clock.js';
import { createScheduler } from '../../src/services/scheduler.js';
import { captureLogs } from '../helpers/log-capture.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createScheduler', () => {
  it('runs every task with the clock’s now, and logs a failing one without stopping the others', async () => {
    const clock = createManualClock();
    const logs = captureLogs();
    const seen: string[] = [];
    const scheduler = createScheduler({
      intervalMs: 1000,
      clock,
      logger: logs.logger,
      tasks: [
        { name: 'fails', run: async () => Promise.reject(new Error('boom')) },
        { name: 'works', run: async (now) => void seen.push(new Date(now).toISOString()) },
      ],
    });
    scheduler.add({ name: 'added', run: async () => void seen.push('added') });
    expect(await scheduler.runOnce()).toEqual(['fails']);
    expect(seen).toEqual(['2026-01-01T00:00:00.000Z', 'added']);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ task: 'fails', msg: 'scheduled task failed' }),
    );
  });

  it('never overlaps: a tick during a slow run joins it', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const scheduler = createScheduler({
      intervalMs: 1000,
      clock: createManualClock(),
      logger: captureLogs().logger,
      tasks: [
        {
          name: 'slow',
          run: () => {
            runs += 1;
            return new Promise<void>((resolve) => (release = resolve));
          },
        },
      ],
    });
    const first = scheduler.runOnce();
    const second = scheduler.runOnce();
    expect(second).toBe(first);
    release();
    await first;
    expect(runs).toBe(1);
    const third = scheduler.runOnce();
    expect(third).not.toBe(first);
    release();
    await third;
    expect(runs).toBe(2);
  });

  it('ticks on its timer once started, and stops', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const scheduler = createScheduler({
      intervalMs: 1000,
      clock: createManualClock(),
      logger: captureLogs().logger,
      tasks: [{ name: 'count', run: async () => void (runs += 1) }],
    });
    scheduler.start();
    scheduler.start(); // idempotent
    expect(scheduler.running).toBe(true);
    await vi.advanceTimersByTimeAsync(3500);
    expect(runs).toBe(3);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(3);
    expect(scheduler.running).toBe(false);
  });
});
