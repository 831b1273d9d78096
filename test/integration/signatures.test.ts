/**
 * Issue 11, R8: on every authenticated route, a wrong token, a wrong HMAC, a missing header, and (Slack) a stale
 * timestamp each get 401 — over real HTTP — and write, post and queue nothing. (Events v2 is PagerDuty's
 * protocol: a missing routing_key is a malformed event, 400; a wrong one is 401.)
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFuzzHarness, type FuzzHarness, type FuzzTarget } from '../helpers/fuzz-targets.js';
import type { AuthMode } from '../helpers/fuzz-inputs.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { rawRequest } from '../helpers/raw-http.js';
import type { SideEffects } from '../helpers/side-effects.js';

let h: TestHikeshi;
let harness: FuzzHarness;
let fx: SideEffects;
let targets: FuzzTarget[];

beforeAll(async () => {
  harness = await startFuzzHarness();
  ({ h, fx } = harness);
  targets = harness.targets.filter((t) => !['health', 'reports'].includes(t.name));
});

afterAll(async () => {
  await harness.close();
});

async function send(target: FuzzTarget, auth: AuthMode) {
  const prepared = target.prepare(Buffer.from(JSON.stringify(target.seed ?? {}), 'utf8'), auth);
  return rawRequest(h.baseUrl, {
    method: target.method,
    path: target.path.replace(/:[a-z_]+/, 'nightly-backup'),
    headers: { 'content-type': 'application/json', ...prepared.headers },
    body: target.method === 'GET' ? Buffer.alloc(0) : prepared.bytes,
  });
}

describe('401 on every authenticated route, and nothing done', () => {
  it('a wrong, missing, empty or doubled credential', async () => {
    const before = await fx.snapshot();
    const [writes, posts] = [fx.writes(), fx.slackPosts()];
    const seen: string[] = [];
    for (const target of targets) {
      for (const auth of ['wrong', 'missing', 'empty', 'duplicate'] as const) {
        if (target.name === 'sns') continue; // the signature is in the body; see below
        const response = await send(target, auth);
        const expected =
          (target.name === 'events-v2' || target.name === 'v2-enqueue') && auth !== 'wrong' ? 400 : 401;
        seen.push(`${target.name} ${auth} ${response.status}`);
        expect(response.status, `${target.name} with a ${auth} credential: ${response.body}`).toBe(expected);
      }
    }
    // The right credential works on the same requests (so the 401s above were about the credential).
    expect(
      (
        await send(
          targets.find((t) => t.name === 'metrics')!,
          'valid',
        )
      ).status,
    ).toBe(200);
    await h.app.settle();
    expect(fx.slackPosts()).toBe(posts);
    if (fx.writes() !== writes) expect(await fx.snapshot()).toBe(before);
    expect(seen.length).toBeGreaterThan(40);
  });

  it('a wrong HMAC, or none, on GitHub; a forged SNS signature', async () => {
    const github = targets.find((t) => t.name === 'github')!;
    for (const auth of ['wrong', 'missing', 'odd'] as const)
      expect((await send(github, auth)).status).toBe(401);
    const envelope = { ...(targets.find((t) => t.name === 'sns')!.seed as Record<string, string>) };
    const forged = { ...envelope, Message: envelope['Message']!.replace('ALARM', 'OK') };
    const response = await rawRequest(h.baseUrl, {
      method: 'POST',
      path: '/api/alerts/sns',
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: Buffer.from(JSON.stringify(forged)),
    });
    expect(response.status).toBe(401);
  });

  it('Slack: a stale timestamp, a wrong HMAC, missing headers', async () => {
    const body = Buffer.from(
      JSON.stringify({
        type: 'event_callback',
        event_id: 'Ev0SIG',
        event: { type: 'app_home_opened', user: 'U0ALICE01' },
      }),
    );
    const now = Math.floor(Date.now() / 1000);
    const sign = (secret: string, ts: number) =>
      `v0=${createHmac('sha256', secret).update(`v0:${ts}:`).update(body).digest('hex')}`;
    const post = (headers: Record<string, string>) =>
      rawRequest(h.baseUrl, {
        method: 'POST',
        path: '/slack/events',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const secret = h.emulator.signingSecret;
    const posts = fx.slackPosts();
    const cases: Record<string, Record<string, string>> = {
      stale: { 'x-slack-request-timestamp': String(now - 301), 'x-slack-signature': sign(secret, now - 301) },
      'wrong HMAC': { 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign('not-it', now) },
      'no signature': { 'x-slack-request-timestamp': String(now) },
      'no timestamp': { 'x-slack-signature': sign(secret, now) },
      'no headers': {},
    };
    for (const [name, headers] of Object.entries(cases)) expect((await post(headers)).status, name).toBe(401);
    expect(
      (await post({ 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign(secret, now) }))
        .status,
    ).toBe(200);
    // Only the correctly signed request published App Home (asynchronously, after the ack): one post, no more.
    await expect.poll(() => fx.slackPosts(), { timeout: 10_000 }).toBeGreaterThan(posts);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fx.slackPosts()).toBe(posts + 1);
  });
});
