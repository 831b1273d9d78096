/**
 * Issue 11, R4: Slack failing 20% of Web API calls — 429 with Retry-After 1 on 10%, 503 on another 10% — while
 * incidents open, fold, get acknowledged and resolved. Every message and every edit is eventually delivered, no
 * message is posted twice, and each retry after a 429 waits at least Retry-After.
 *
 * The emulator fails a call before doing anything, which is what Slack's 429 always means and what its 5xx
 * usually means. A 5xx *after* Slack stored a message would make the retry post it again; Slack has no idempotency
 * key for chat.postMessage, so that duplicate cannot be prevented client-side (docs/RELIABILITY.md, R4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCallRecord } from '@hikeshi/slack-emulator';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { inBatches, tally } from '../helpers/replay.js';

const CHANNEL = 'C0ALERTS1';
const INCIDENTS = 10;
let h: TestHikeshi;

beforeAll(async () => {
  h = await startHikeshi({
    // The production policy's shape (5 retries, honouring Retry-After), with short backoffs for the test.
    overrides: {
      slackRetryConfig: { retries: 5, factor: 2, minTimeout: 50, maxTimeout: 400, randomize: false },
    },
  });
});
afterAll(async () => {
  await h.close();
});

/** What a call is about, so a retry can be matched with the attempt it repeats. */
function identity(call: ApiCallRecord): string {
  const args = call.args;
  if (call.method === 'chat.update') return `update ${String(args['ts'])} ${String(args['text'])}`;
  return `${call.method} ${String(args['thread_ts'] ?? '')} ${String(args['text'])}`;
}

describe('Slack failing 20% of calls', () => {
  it('delivers every message and edit once, honouring Retry-After', async () => {
    const removeRateLimit = h.emulator.faults.add({ probability: 0.1, status: 429, retryAfterSeconds: 1 });
    // The second fault sees only calls the first let through: 0.1 + 0.9 × 0.111 ≈ 0.2 in all.
    const removeOutage = h.emulator.faults.add({ probability: 0.111, status: 503 });
    const firstCall = h.emulator.workspace.calls.length;
    const started = Date.now();
    const ids = await inBatches(
      Array.from({ length: INCIDENTS }, (_, i) => i),
      INCIDENTS,
      async (i) => {
        const signal = {
          action: 'trigger' as const,
          title: `Slack fault drill ${i}`,
          severity: 'error' as const,
          source: 'drill',
          dedupKey: `slack-fault-${i}`,
          links: [],
        };
        const outcome = await h.app.services.incidents.ingest(signal);
        if (outcome.action === 'ignored') throw new Error('not opened');
        await h.app.services.incidents.ingest(signal);
        await h.app.services.incidents.ingest({ ...signal, severity: 'critical' });
        await h.app.services.incidents.acknowledge(outcome.incident.id, 'U0ALICE01');
        await h.app.services.incidents.resolve(outcome.incident.id, 'U0BOB0001', 'fixed');
        return outcome.incident.id;
      },
    );

    // Eventually: every incident has its message, showing the final state, and its thread has each reply once.
    await expect
      .poll(
        async () => {
          await h.app.settle();
          const incidents = await Promise.all(ids.map((id) => h.app.services.incidents.get(id)));
          return incidents.filter((incident) => {
            const message =
              incident?.slack && h.emulator.workspace.message(incident.slack.channel, incident.slack.ts);
            return (
              message !== undefined &&
              /resolved/i.test(JSON.stringify(message.blocks)) &&
              /\b3\b/.test(JSON.stringify(message.blocks))
            );
          }).length;
        },
        { timeout: 40_000, interval: 250 },
      )
      .toBe(INCIDENTS);
    removeRateLimit();
    removeOutage();

    const calls = h.emulator.workspace.calls.slice(firstCall);
    const failed = calls.filter((c) => c.error === 'ratelimited' || c.error?.startsWith('http_5'));
    expect(failed.length).toBeGreaterThan(0);

    // Nothing posted twice: one top-level message per incident, each thread reply once.
    const posted = calls.filter((c) => c.ok && c.method === 'chat.postMessage');
    const copies = tally(posted, identity);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    const top = h.emulator.workspace.messages(CHANNEL).filter((m) => /Slack fault drill/.test(m.text));
    expect(top).toHaveLength(INCIDENTS);
    for (const message of top) {
      const replies = h.emulator.workspace.thread(CHANNEL, message.ts).filter((m) => m.ts !== message.ts);
      const texts = replies.map((m) => m.text);
      expect(
        texts.filter((t) => /acknowledged/i.test(t)),
        message.text,
      ).toHaveLength(1);
      expect(
        texts.filter((t) => /resolved/i.test(t)),
        message.text,
      ).toHaveLength(1);
    }

    // Retry-After honoured: the retry of a rate-limited call comes at least 1 s after the 429.
    const gaps: number[] = [];
    for (const [index, call] of calls.entries()) {
      if (call.error !== 'ratelimited') continue;
      const retry = calls.slice(index + 1).find((c) => identity(c) === identity(call));
      if (retry) gaps.push(retry.at - call.at);
    }
    expect(gaps.length).toBeGreaterThan(0);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    console.log(
      'R4 Slack faults:',
      JSON.stringify({
        incidents: INCIDENTS,
        calls: calls.length,
        rateLimited: calls.filter((c) => c.error === 'ratelimited').length,
        serverErrors: calls.filter((c) => c.error?.startsWith('http_5')).length,
        retryAfterGapsMs: { min: Math.min(...gaps), max: Math.max(...gaps), n: gaps.length },
        publisherRetries: h.app.metrics.value('hikeshi_slack_publisher_retries_total'),
        ms: Date.now() - started,
      }),
    );
  }, 60_000);
});
