/**
 * The Events API retry guard (src/listeners/slack-retries.ts) on the real Dedup table: a redelivered event is
 * skipped while its first delivery runs or after it succeeded, and processed again after it failed. The
 * end-to-end case (a retried app_mention through the `slack` Lambda) is in lambda-bundles.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackRetryGuard, slackEventId } from '../../src/listeners/slack-retries.js';
import { captureLogs } from '../helpers/log-capture.js';
import { startTestStore, type TestStore } from '../helpers/store.js';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => {
  await store.close();
});

type GuardArgs = Parameters<ReturnType<typeof createSlackRetryGuard>>[0];

function deliver(
  guard: ReturnType<typeof createSlackRetryGuard>,
  body: Record<string, unknown>,
  work: () => Promise<void>,
  retryNum?: number,
): Promise<void> {
  const args = {
    body,
    context: retryNum === undefined ? {} : { retryNum, retryReason: 'http_timeout' },
    next: work,
  } as unknown as GuardArgs;
  return guard(args);
}

const event = (id: string) => ({ type: 'event_callback', event_id: id, event: { type: 'app_mention' } });

describe('Slack retry guard', () => {
  it('runs an event once: a retry while the first delivery runs, or after it, is skipped', async () => {
    const logs = captureLogs();
    const guard = createSlackRetryGuard({ dedup: store.dedup, logger: logs.logger });
    let runs = 0;
    let finish: () => void = () => undefined;
    const first = deliver(guard, event('Ev0001'), () => {
      runs += 1;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    await expect.poll(() => runs).toBe(1);
    await deliver(guard, event('Ev0001'), async () => void (runs += 1), 1);
    finish();
    await first;
    await deliver(guard, event('Ev0001'), async () => void (runs += 1), 2);
    expect(runs).toBe(1);
    expect(logs.text()).toContain('already processed or in progress');
  });

  it('lets the retry of a failed delivery run again', async () => {
    const guard = createSlackRetryGuard({ dedup: store.dedup, logger: captureLogs().logger });
    await expect(
      deliver(guard, event('Ev0002'), async () => {
        throw new Error('Slack was down');
      }),
    ).rejects.toThrow('Slack was down');
    let retried = false;
    await deliver(guard, event('Ev0002'), async () => void (retried = true), 1);
    expect(retried).toBe(true);
  });

  it('passes interactions and commands straight through, every time', async () => {
    const guard = createSlackRetryGuard({ dedup: store.dedup, logger: captureLogs().logger });
    let runs = 0;
    const action = { type: 'block_actions', trigger_id: 't1' };
    await deliver(guard, action, async () => void (runs += 1));
    await deliver(guard, action, async () => void (runs += 1));
    expect(runs).toBe(2);
    expect(slackEventId(action)).toBeUndefined();
    expect(slackEventId({ command: '/incident' })).toBeUndefined();
    expect(slackEventId(event('Ev9'))).toBe('Ev9');
  });
});
