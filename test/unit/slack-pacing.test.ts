import { describe, expect, it } from 'vitest';
import { createPostGate, createRateBudget } from '../../src/integrations/slack-pacing.js';

describe('post gate', () => {
  it('spaces a channel’s posts from the end of the previous one, and leaves other channels alone', async () => {
    const gate = createPostGate(40);
    const started: Record<string, number[]> = { a: [], b: [] };
    const send = (channel: 'a' | 'b', ms: number) =>
      gate.send(channel, async () => {
        started[channel]!.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, ms));
        return channel;
      });
    const results = await Promise.all([send('a', 20), send('a', 5), send('a', 5), send('b', 5)]);
    expect(results).toEqual(['a', 'a', 'a', 'b']);
    const [a1, a2, a3] = started.a as [number, number, number];
    expect(a2 - a1).toBeGreaterThanOrEqual(20 + 40 - 2);
    expect(a3 - a2).toBeGreaterThanOrEqual(5 + 40 - 2);
    expect(started.b![0]! - a1).toBeLessThan(30);
  });

  it('a failed post still holds the next one back, and its error reaches the caller', async () => {
    const gate = createPostGate(30);
    const failing = gate.send('c', () => Promise.reject(new Error('ratelimited')));
    const t0 = Date.now();
    await expect(failing).rejects.toThrow('ratelimited');
    await gate.send('c', () => Promise.resolve());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(28);
  });
});

describe('closing (a shutdown that has run out of time)', () => {
  it('ends every wait for a post slot at once, and sends nothing more', async () => {
    const closing = new AbortController();
    const gate = createPostGate(10_000, closing.signal);
    const sent: number[] = [];
    const queued = [1, 2, 3].map((n) =>
      gate.send('c', () => {
        sent.push(n);
        return Promise.resolve(n);
      }),
    );
    await expect(queued[0]).resolves.toBe(1);
    const t0 = Date.now();
    closing.abort(new Error('closed'));
    await expect(queued[1]).rejects.toThrow('closed');
    await expect(queued[2]).rejects.toThrow('closed');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(sent).toEqual([1]);
  });

  it('ends every wait for the edit budget at once', async () => {
    const closing = new AbortController();
    const budget = createRateBudget({ perMinute: 3, burst: 1, signal: closing.signal });
    await budget.take();
    const waiting = budget.take();
    closing.abort(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    await expect(budget.take()).rejects.toThrow('closed');
  });
});

describe('rate budget', () => {
  it('lets a burst through, then paces so a minute never holds more than perMinute - 1 calls', async () => {
    // Scaled: 6000 a minute; a burst of 5, then 5994 a minute: one every 10 ms.
    const budget = createRateBudget({ perMinute: 6000, burst: 5 });
    const t0 = Date.now();
    const at: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      await budget.take();
      at.push(Date.now() - t0);
    }
    expect(at[4]!).toBeLessThan(15);
    // 20 calls after the burst take at least 20 refill intervals.
    expect(at[24]! - at[4]!).toBeGreaterThanOrEqual(20 * (60_000 / 5994) - 25);
  });
});
