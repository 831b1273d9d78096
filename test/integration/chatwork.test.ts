/**
 * The Chatwork notifier through real fetch against the fake Chatwork API, with log capture.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  formatErrorNotice,
  SEED_ERROR_NOTICE,
  SEED_WARNING_NOTICE,
} from '../../src/domain/chatwork-format.js';
import { createManualClock } from '../../src/domain/clock.js';
import {
  createChatworkNotifier,
  createNullNotifier,
  type ChatworkNotifierOptions,
} from '../../src/integrations/chatwork.js';
import { createLogger } from '../../src/logger.js';
import { startFakeChatwork, type FakeChatwork } from '../fakes/chatwork.js';

const TOKEN = 'cw-token-0123456789abcdef';
let fake: FakeChatwork;
let lines: string[];

function capture() {
  lines = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return createLogger({ level: 'debug', destination, secrets: [TOKEN] });
}

beforeAll(async () => {
  fake = await startFakeChatwork({ apiToken: TOKEN });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.messages.length = 0;
  fake.attempts = 0;
  fake.rateLimitNext(0, {});
});

function notifier(overrides: Partial<ChatworkNotifierOptions> = {}) {
  return createChatworkNotifier({
    apiUrl: `${fake.url}/v2`,
    apiToken: TOKEN,
    roomId: '123456789',
    system: 'Hikeshi',
    logger: capture(),
    ...overrides,
  });
}

describe('createChatworkNotifier', () => {
  it('posts the seed error and warning notices as form bodies, line for line', async () => {
    const cw = notifier();
    await cw.error(SEED_ERROR_NOTICE);
    await cw.warning(SEED_WARNING_NOTICE);
    expect(fake.messages).toHaveLength(2);
    const [error, warning] = fake.messages;
    expect(error!.roomId).toBe('123456789');
    expect(error!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(error!.body.split('\n')).toEqual(formatErrorNotice(SEED_ERROR_NOTICE).split('\n'));
    expect(error!.body.split('\n').slice(0, 4)).toEqual([
      '[toall]',
      '🚨 【エラー発生】校正AIシステム',
      '',
      '⏰ 発生時刻: 2025-05-30 18:30:45',
    ]);
    expect(warning!.body.split('\n')[0]).toBe('⚠️ 【警告】校正AIシステム');
  });

  it('uses its own system name when a notice leaves it empty, and masks phone numbers', async () => {
    await notifier().error({ ...SEED_ERROR_NOTICE, system: '', details: { callee: '+819012340001' } });
    const body = fake.messages[0]!.body;
    expect(body).toContain('🚨 【エラー発生】Hikeshi');
    expect(body).toContain('   - callee: +81-***-***-0001');
    expect(body).not.toContain('+819012340001');
  });

  it('retries a 429 after x-ratelimit-reset and delivers', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      clock.advance(ms);
    };
    fake.rateLimitNext(1, { reset: Math.floor(clock.now() / 1000) + 7 });
    await notifier({ clock, sleep }).error(SEED_ERROR_NOTICE);
    expect(fake.attempts).toBe(2);
    expect(fake.messages).toHaveLength(1);
    expect(waits).toEqual([7000]);
  });

  it('honours Retry-After (seconds) too', async () => {
    const waits: number[] = [];
    fake.rateLimitNext(1, { retryAfter: 2 });
    await notifier({ sleep: async (ms) => void waits.push(ms) }).warning(SEED_WARNING_NOTICE);
    expect(waits).toEqual([2000]);
    expect(fake.messages).toHaveLength(1);
  });

  it('gives up after bounded retries without throwing, and logs without the token', async () => {
    fake.rateLimitNext(10, { retryAfter: 1 });
    await expect(
      notifier({ maxRetries: 2, sleep: async () => undefined }).error(SEED_ERROR_NOTICE),
    ).resolves.toBeUndefined();
    expect(fake.attempts).toBe(3);
    const failed = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'chatwork notice failed');
    expect(failed).toMatchObject({ status: 429, level: 40 });
    expect(lines.join('')).not.toContain(TOKEN);
  });

  it('queues a burst locally: at most 10 posts per 10 s per room', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const sentAt: number[] = [];
    const waits: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      sentAt.push(clock.now());
      return fetch(input, init);
    };
    const cw = notifier({ clock, fetch: counting, sleep: async (ms) => (waits.push(ms), clock.advance(ms)) });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => cw.warning({ ...SEED_WARNING_NOTICE, message: `burst ${i}` })),
    );
    expect(fake.messages.map((m) => m.body.split('\n')[3])).toEqual(
      Array.from({ length: 12 }, (_, i) => `📝 メッセージ: burst ${i}`),
    );
    expect(sentAt.slice(0, 10).every((t) => t === sentAt[0])).toBe(true);
    expect(sentAt[10]! - sentAt[0]!).toBe(10_000);
    expect(waits).toEqual([10_000]);
  });

  it('never throws when Chatwork is unreachable or the token is wrong, and never logs the token', async () => {
    const down = await startFakeChatwork({ apiToken: TOKEN });
    const url = down.url;
    await down.close();
    await expect(
      notifier({ apiUrl: `${url}/v2`, maxRetries: 1, sleep: async () => undefined }).error(SEED_ERROR_NOTICE),
    ).resolves.toBeUndefined();
    const unreachable = lines.join('');
    await expect(
      notifier({ apiToken: 'another-wrong-token-42' }).error(SEED_ERROR_NOTICE),
    ).resolves.toBeUndefined();
    const wrongToken = lines.join('');
    expect(unreachable).toContain('chatwork notice failed');
    expect(wrongToken).toMatch(/"status":401/);
    expect(unreachable + wrongToken).not.toContain(TOKEN);
    expect(wrongToken).not.toContain('another-wrong-token-42');
  });

  it('the null notifier accepts notices and sends nothing', async () => {
    const none = createNullNotifier();
    await none.error(SEED_ERROR_NOTICE);
    await none.warning(SEED_WARNING_NOTICE);
    expect(fake.attempts).toBe(0);
  });
});
