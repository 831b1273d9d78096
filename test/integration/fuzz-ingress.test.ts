/**
 * Issue 11, R1: property-based fuzzing of every ingress route, in process through the router (`h.app.ingress`),
 * so thousands of cases run in seconds. For each case: never a 5xx, never a throw, and a rejected request
 * (4xx) leaves no trace: no store write that changed anything, no Slack post, nothing queued. Cases per route:
 * FUZZ_RUNS (150 in `npm test`, 10 000 in `npm run test:fuzz`). The same over real HTTP, and the Slack receiver,
 * are in fuzz-http.test.ts. Figures go to stdout and docs/RELIABILITY.md.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FUZZ_RUNS,
  fuzzSeed,
  authArb,
  bodyArb,
  contentTypeArb,
  extraHeadersArb,
  segmentArb,
  wrongMethodArb,
  type FuzzBody,
} from '../helpers/fuzz-inputs.js';
import type { FakeSns } from '../fakes/sns.js';
import { FUZZ_ENV, startFuzzHarness, type FuzzHarness, type FuzzTarget } from '../helpers/fuzz-targets.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import type { SideEffects } from '../helpers/side-effects.js';

const ROUTES = [
  'health',
  'metrics',
  'reports',
  'alerts',
  'alertmanager',
  'sns',
  'events-v2',
  'v2-enqueue',
  'cloudwatch-logs',
  'cloudwatch-logs-batch',
  'job-report',
  'job-schedule',
  'job-get',
  'github',
  'gitlab',
  'gitlab-system',
  'contact-flow',
] as const;

let h: TestHikeshi;
let harness: FuzzHarness;
let fx: SideEffects;
let targets: Map<string, FuzzTarget>;
const figures: Record<string, Record<string, number>> = {};
let unhandled = 0;
const onUnhandled = () => {
  unhandled += 1;
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  harness = await startFuzzHarness();
  ({ h, fx } = harness);
  targets = new Map(harness.targets.map((t) => [t.name, t]));
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await harness.close();
  console.log(`R1 in-process fuzz, ${FUZZ_RUNS} cases per route:`, JSON.stringify(figures, null, 1));
});

function seeded(index: number): { seed?: number } {
  const seed = fuzzSeed(index);
  return seed === undefined ? {} : { seed };
}

function describeCase(c: {
  body: FuzzBody;
  method: string;
  path: string;
  auth: string;
  contentType: string | undefined;
}) {
  const preview = c.body.bytes.subarray(0, 160).toString('utf8');
  return `${c.method} ${c.path} auth=${c.auth} type=${String(c.contentType)} body(${c.body.kind}, ${c.body.bytes.length} B)=${JSON.stringify(preview)}`;
}

describe('every ingress route, in process', () => {
  it.each(ROUTES)(
    '%s: never a 5xx, never a throw, no side effect when rejected',
    async (name) => {
      const target = targets.get(name);
      if (!target) throw new Error(`no target ${name}`);
      const tally: Record<string, number> = {};
      figures[name] = tally;
      let before = await fx.snapshot();
      let stale = false;

      const caseArb = fc.record({
        body: target.seed === undefined ? bodyArb({ q: 1 }).map((b) => ({ ...b })) : bodyArb(target.seed),
        bodyless: fc.boolean(),
        auth: authArb,
        contentType: contentTypeArb,
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant<string>(target.method) },
          { weight: 1, arbitrary: wrongMethodArb },
        ),
        segment: fc.oneof(fc.constant('nightly-backup'), segmentArb),
        extra: extraHeadersArb,
      });

      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          if (stale) {
            before = await fx.snapshot();
            stale = false;
          }
          const body =
            target.seed === undefined && c.bodyless
              ? { kind: 'empty' as const, bytes: Buffer.alloc(0) }
              : c.body;
          const prepared = target.prepare(body.bytes, c.auth);
          const path = target.path.replace(/:[a-z_]+/, c.segment);
          const headers: Record<string, string> = {
            ...c.extra,
            ...(c.contentType === undefined ? {} : { 'content-type': c.contentType }),
            ...prepared.headers,
          };
          const [writes, posts, queued] = [fx.writes(), fx.slackPosts(), fx.queued()];
          const response = await h.app.ingress({
            method: c.method,
            path,
            query: new URLSearchParams(),
            headers,
            rawBody: prepared.bytes,
            requestId: 'fuzz',
          });
          // Whatever the request set off in the background (posts, edits, deferred work) has finished.
          await h.app.settle();
          tally[response.status] = (tally[response.status] ?? 0) + 1;
          const shown = describeCase({
            body,
            method: c.method,
            path,
            auth: c.auth,
            contentType: c.contentType,
          });
          if (response.status >= 500) {
            throw new Error(`${response.status} ${JSON.stringify(response.body)} for ${shown}`);
          }
          if (response.status >= 400) {
            expect(fx.slackPosts(), `Slack post after a ${response.status}: ${shown}`).toBe(posts);
            expect(fx.queued(), `task queued after a ${response.status}: ${shown}`).toBe(queued);
            if (fx.writes() !== writes) {
              expect(await fx.snapshot(), `store changed after a ${response.status}: ${shown}`).toBe(before);
            }
          } else if (fx.writes() !== writes) {
            stale = true;
          }
        }),
        { numRuns: FUZZ_RUNS, ...seeded(ROUTES.indexOf(name)) },
      );
      expect(unhandled).toBe(0);
    },
    Math.max(60_000, FUZZ_RUNS * 60),
  );
});

describe('regressions found by fuzzing (each was a 500)', () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    h.app.ingress({
      method: 'POST',
      path,
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/json', ...headers },
      rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
      requestId: 'regression',
    });
  const alert = (details: unknown, message = 'm') =>
    post(
      '/api/alerts',
      `{"title":"Fuzz regression","message":${JSON.stringify(message)},"details":${typeof details === 'string' ? details : JSON.stringify(details)}}`,
      { authorization: `Bearer ${FUZZ_ENV['ALERTS_API_TOKEN']}` },
    );

  it('numbers DynamoDB cannot store, deep nesting and huge text in an alert (opened, then folded)', async () => {
    for (const details of [
      { tiny: 5e-324 },
      '{"big":-9007199254740993}',
      `{"deep":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
      { '': 'empty key', huge: 'y'.repeat(400_000) },
    ]) {
      const response = await alert(details, 'x'.repeat(500_000));
      expect(response.status).toBe(202);
    }
    await h.app.settle();
    const open = await h.app.services.incidents.listOpen();
    expect(open.find((i) => i.title === 'Fuzz regression')?.count).toBe(4);
  });

  it('an SNS MessageId too long for a key is a 400 naming it', async () => {
    const envelope = harness.sns.sign({
      ...(targets.get('sns')?.seed as Record<string, string>),
      MessageId: 'y'.repeat(100_000),
    } as Parameters<FakeSns['sign']>[0]);
    const response = await post('/api/alerts/sns', envelope);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ field: 'MessageId' });
  });
});
