/**
 * Issue 11, R1 over real HTTP: the node:http adapter and Bolt's HTTP receiver (`POST /slack/events`) get what
 * only a socket can send: headers sent twice, lying or missing Content-Length, bodies over 1 MB streamed in
 * chunks, any method. Never a 5xx, the server keeps answering, and a rejected request leaves no trace.
 * HTTP_FUZZ_RUNS cases per route (a sample in `npm test`, 1 000 in `npm run test:fuzz`).
 */
import { createHmac } from 'node:crypto';
import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HTTP_FUZZ_RUNS,
  authArb,
  bodyArb,
  contentTypeArb,
  fuzzSeed,
  segmentArb,
  wrongMethodArb,
  type AuthMode,
} from '../helpers/fuzz-inputs.js';
import {
  startFuzzHarness,
  type FuzzHarness,
  type FuzzTarget,
  type PreparedRequest,
} from '../helpers/fuzz-targets.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { rawRequest } from '../helpers/raw-http.js';
import type { SideEffects } from '../helpers/side-effects.js';

let h: TestHikeshi;
let harness: FuzzHarness;
let fx: SideEffects;
let targets: FuzzTarget[];
const figures: Record<string, Record<string, number>> = {};

const SLACK_EVENT = {
  token: 'legacy-verification-token',
  team_id: 'T0HIKESHI',
  api_app_id: 'A0HIKESHI',
  type: 'event_callback',
  event_id: 'Ev0FUZZ',
  event_time: 1_767_225_600,
  event: { type: 'app_home_opened', user: 'U0ALICE01', channel: 'D0ALICE01', tab: 'home' },
};

const SLACK_BUTTON = {
  type: 'block_actions',
  user: { id: 'U0ALICE01', username: 'alice', team_id: 'T0HIKESHI' },
  api_app_id: 'A0HIKESHI',
  token: 'legacy-verification-token',
  container: { type: 'message', message_ts: '1767225600.000100', channel_id: 'C0ALERTS1' },
  trigger_id: '1767225600.T0HIKESHI.abc',
  team: { id: 'T0HIKESHI', domain: 'hikeshi' },
  channel: { id: 'C0ALERTS1', name: 'alerts' },
  message: { ts: '1767225600.000100', text: 'INC-1' },
  response_url: 'http://127.0.0.1:9/response',
  actions: [
    { action_id: 'incident_acknowledge', block_id: 'b', type: 'button', value: 'INC-1', action_ts: '1' },
  ],
};

/**
 * Slack's request signing (`v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`) and every way of getting it wrong.
 * `form` sends the case's JSON the way Slack sends interactions: `payload=<json>`, form-encoded.
 */
function slackTarget(name: string, signingSecret: string, seed: unknown, form: boolean): FuzzTarget {
  const sign = (secret: string, timestamp: number, body: Buffer) =>
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
  return {
    name,
    method: 'POST',
    path: '/slack/events',
    seed,
    prepare(raw: Buffer, auth: AuthMode): PreparedRequest {
      const bytes = form
        ? Buffer.from(new URLSearchParams({ payload: raw.toString('utf8') }).toString())
        : raw;
      const type = form ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
      const now = Math.floor(Date.now() / 1000);
      const headers = (secret: string, timestamp: number) => ({
        ...type,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': sign(secret, timestamp, bytes),
      });
      switch (auth) {
        case 'valid':
          return { bytes, headers: headers(signingSecret, now) };
        case 'wrong':
          return { bytes, headers: headers('not-the-signing-secret', now) };
        case 'missing':
          return { bytes, headers: type };
        case 'empty':
          return { bytes, headers: { ...type, 'x-slack-request-timestamp': '', 'x-slack-signature': '' } };
        case 'duplicate': // correctly signed, but more than 5 minutes ago: a replay
          return { bytes, headers: headers(signingSecret, now - 6 * 60) };
        case 'odd':
          return { bytes, headers: { ...headers(signingSecret, now), 'x-slack-signature': 'v1=00' } };
      }
    },
  };
}

beforeAll(async () => {
  harness = await startFuzzHarness();
  ({ h, fx } = harness);
  targets = [
    ...harness.targets,
    slackTarget('slack-events', h.emulator.signingSecret, SLACK_EVENT, false),
    slackTarget('slack-interactive', h.emulator.signingSecret, SLACK_BUTTON, true),
  ];
});

afterAll(async () => {
  await harness.close();
  console.log(`R1 HTTP fuzz, ${HTTP_FUZZ_RUNS} cases per route:`, JSON.stringify(figures));
});

/** node:http refuses control and non-Latin-1 characters in a header; such a value goes as `?`s (still wrong). */
function sendable(name: string, value: string): string {
  try {
    validateHeaderValue(name, value);
    return value;
  } catch {
    return value.replace(/[^\x20-\x7e]/g, '?');
  }
}

function seeded(index: number): { seed?: number } {
  const seed = fuzzSeed(index);
  return seed === undefined ? {} : { seed };
}

/** Waits until Slack calls stop coming (Bolt listeners run after the HTTP ack). */
async function quiet(windowMs: number): Promise<void> {
  await h.app.settle();
  let last = -1;
  while (fx.slackPosts() !== last) {
    last = fx.slackPosts();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    await h.app.settle();
  }
}

describe('every route over HTTP, and the Slack receiver', () => {
  it(
    'never a 5xx or a dropped connection, never a side effect when rejected',
    async () => {
      for (const [index, target] of targets.entries()) {
        const tally: Record<string, number> = {};
        figures[target.name] = tally;
        let before = await fx.snapshot();
        let stale = false;
        const caseArb = fc.record({
          body: bodyArb(target.seed ?? { q: 1 }),
          auth: authArb,
          contentType: contentTypeArb,
          method: fc.oneof(
            { weight: 9, arbitrary: fc.constant<string>(target.method) },
            { weight: 1, arbitrary: wrongMethodArb },
          ),
          segment: fc.oneof(fc.constant('nightly-backup'), segmentArb),
          twice: fc.constantFrom<'none' | 'same' | 'different'>('none', 'none', 'same', 'different'),
          chunked: fc.boolean(),
        });
        await fc.assert(
          fc.asyncProperty(caseArb, async (c) => {
            if (stale) {
              before = await fx.snapshot();
              stale = false;
            }
            const prepared = target.prepare(c.body.bytes, c.auth);
            const headers: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries({
              ...(c.contentType === undefined ? {} : { 'content-type': c.contentType }),
              ...prepared.headers,
            })) {
              headers[name] = sendable(name, value);
            }
            // Every header sent twice, with the same or another value: what a confused proxy does.
            if (c.twice !== 'none') {
              for (const [name, value] of Object.entries(headers)) {
                const text = String(value);
                headers[name] = [text, c.twice === 'same' ? text : `${text}x`];
              }
            }
            const path = target.path.replace(/:[a-z_]+/, c.segment.replace(/[?#]/g, ''));
            const [writes, posts, queued] = [fx.writes(), fx.slackPosts(), fx.queued()];
            const response = await rawRequest(h.baseUrl, {
              method: c.method,
              path,
              headers,
              body: c.method === 'GET' || c.method === 'HEAD' ? Buffer.alloc(0) : prepared.bytes,
              chunked: c.chunked,
            });
            // Bolt listeners answer Slack first and work after; other routes finish their work before answering.
            // An accepted Slack event's listener runs after the ack: give it time to finish before the next case.
            if (target.path === '/slack/events' && response.status < 300) await quiet(200);
            else if (response.status < 400) await quiet(30);
            else await h.app.settle();
            tally[response.status] = (tally[response.status] ?? 0) + 1;
            const shown = `${c.method} ${path} auth=${c.auth} twice=${c.twice} chunked=${c.chunked} body(${c.body.kind}, ${c.body.bytes.length} B)=${JSON.stringify(c.body.bytes.subarray(0, 300).toString())}`;
            expect(response.status, `${response.body} for ${shown}`).toBeLessThan(500);
            // Never a reset, not even for a body over 1 MB: its 413 is readable (issue 17; once in ~600 before).
            expect(response.status, `connection reset for ${shown}`).toBeGreaterThan(0);
            if (response.status >= 400) {
              expect(fx.slackPosts(), `Slack post after ${response.status}: ${shown}`).toBe(posts);
              expect(fx.queued(), `queued after ${response.status}: ${shown}`).toBe(queued);
              if (fx.writes() !== writes)
                expect(await fx.snapshot(), `store changed after ${response.status}: ${shown}`).toBe(before);
            } else if (fx.writes() !== writes) {
              stale = true;
            }
          }),
          {
            // An interaction no listener takes is answered by Bolt after its 3 s timeout: fewer of those.
            numRuns: target.name === 'slack-interactive' ? Math.ceil(HTTP_FUZZ_RUNS / 4) : HTTP_FUZZ_RUNS,
            ...seeded(100 + index),
          },
        );
      }
      // Still serving.
      expect(
        (await rawRequest(h.baseUrl, { method: 'GET', path: '/health', headers: {}, body: Buffer.alloc(0) }))
          .status,
      ).toBe(200);
    },
    Math.max(60_000, HTTP_FUZZ_RUNS * 16 * 100),
  );

  it('a body over 1 MB gets 413 on every route, declared or streamed, and the Slack receiver too', async () => {
    const huge = Buffer.alloc(1024 * 1024 + 1, 0x7b);
    for (const target of targets.filter((t) => t.method !== 'GET')) {
      const path = target.path.replace(/:[a-z_]+/, 'nightly-backup');
      const prepared = target.prepare(huge, 'valid');
      const declared = await rawRequest(h.baseUrl, {
        method: target.method,
        path,
        headers: { 'content-type': 'application/json', ...prepared.headers },
        body: prepared.bytes,
      });
      const streamed = await rawRequest(h.baseUrl, {
        method: target.method,
        path,
        headers: { 'content-type': 'application/json', ...prepared.headers },
        body: prepared.bytes,
        chunked: true,
      });
      expect([declared.status, streamed.status], target.name).toEqual([413, 413]);
    }
  });

  it('regression: any method but POST on /slack/events is a 405, not a crash (Bolt throws for it)', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']) {
      const response = await rawRequest(h.baseUrl, {
        method,
        path: '/slack/events',
        headers: {},
        body: Buffer.alloc(0),
      });
      expect(response.status, method).toBe(405);
    }
    const health = await rawRequest(h.baseUrl, {
      method: 'GET',
      path: '/health',
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(health.status).toBe(200);
  });

  it('regression: signed Slack payloads Bolt cannot read are a 400, not a 500 or a hung request', async () => {
    const events = slackTarget('events', h.emulator.signingSecret, SLACK_EVENT, false);
    const buttons = slackTarget('buttons', h.emulator.signingSecret, SLACK_BUTTON, true);
    const cases: [FuzzTarget, unknown][] = [
      [events, null], // Bolt 5.1 read `null.ssl_check`: an unhandled rejection
      [events, { ...SLACK_EVENT, event: null }],
      [events, { ...SLACK_EVENT, event: { ...SLACK_EVENT.event, user: null } }],
      [buttons, { ...SLACK_BUTTON, user: null }],
      [buttons, { ...SLACK_BUTTON, actions: null }],
      [buttons, { type: 'view_submission', view: null }],
      // Issue 17: what Bolt routes nowhere and never acks (a 3 s wait, a 404 and an error in the log before).
      [buttons, { ...SLACK_BUTTON, user: undefined }],
      [buttons, { ...SLACK_BUTTON, actions: [{ value: 'INC-1' }] }],
      [buttons, { type: 'view_submission', user: SLACK_BUTTON.user, view: { id: 'V1' } }],
      [buttons, { ...SLACK_BUTTON, type: undefined, actions: undefined }],
      [events, { token: 'legacy-verification-token', team_id: 'T0HIKESHI' }],
    ];
    const statuses = await Promise.all(
      cases.map(async ([target, body]) => {
        const prepared = target.prepare(Buffer.from(JSON.stringify(body)), 'valid');
        const response = await rawRequest(h.baseUrl, {
          method: 'POST',
          path: '/slack/events',
          headers: { 'content-type': 'application/json', ...prepared.headers },
          body: prepared.bytes,
        });
        return response.status;
      }),
    );
    expect(statuses).toEqual(cases.map(() => 400));
  });
});
