/**
 * Issue 17, A: a body over 1 MB gets its 413, not a reset, on every route and on the Slack receiver, however
 * the client sends it (a declared length or chunked) and however it reads (after writing everything, as
 * Python's urllib in the job-monitor snippet does, or while writing, as node:http does). What is left of the
 * body is drained within bounds, so a client that never stops sending is still cut off.
 *
 * Real sockets throughout (test/helpers/raw-http.ts `uploadSlowly`). Before the fix, every "after writing"
 * upload here ended in EPIPE or ECONNRESET without a response, and a chunked body to /slack/events was read to
 * its end before the 413.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNodeListener } from '../../src/ingress/adapters/node-http.js';
import type { DiscardBounds } from '../../src/ingress/adapters/oversized-body.js';
import { guardSlackRequests } from '../../src/ingress/adapters/slack-http-guard.js';
import { createLogger } from '../../src/logger.js';
import { startFuzzHarness, type FuzzHarness, type FuzzTarget } from '../helpers/fuzz-targets.js';
import { uploadSlowly, type UploadRequest, type UploadResult } from '../helpers/raw-http.js';

const MB = 1024 * 1024;
let harness: FuzzHarness;
let routes: FuzzTarget[];

beforeAll(async () => {
  harness = await startFuzzHarness();
  routes = harness.targets.filter((t) => t.method === 'POST');
});

afterAll(async () => {
  await harness.close();
});

function upload(
  baseUrl: string,
  target: FuzzTarget | undefined,
  request: Omit<UploadRequest, 'path' | 'headers'>,
) {
  const prepared = target?.prepare(request.body, 'valid');
  return uploadSlowly(baseUrl, {
    ...request,
    path: target === undefined ? '/slack/events' : target.path.replace(/:[a-z_]+/, 'nightly-backup'),
    headers: { 'content-type': 'application/json', ...prepared?.headers },
  });
}

const shown = (r: UploadResult) =>
  `${r.status} ${r.error ?? ''} after ${r.written} B written: ${JSON.stringify(r.response.slice(0, 200))}`;

describe('a body over 1 MB is answered 413, and the client can read it', () => {
  it('a client that writes everything before reading (urllib, requests), on every route, declared or chunked', async () => {
    const body = Buffer.alloc(2 * MB, 0x7b);
    const results: string[] = [];
    for (const target of [...routes, undefined]) {
      for (const chunked of [false, true]) {
        const r = await upload(harness.h.baseUrl, target, { body, chunked, read: 'after-writing' });
        const name = `${target?.name ?? 'slack'} ${chunked ? 'chunked' : 'declared'}`;
        results.push(`${name}: ${r.status}`);
        expect(r.status, `${name}: ${shown(r)}`).toBe(413);
        expect(r.response).toContain('PAYLOAD_TOO_LARGE');
        expect(r.response.toLowerCase()).toContain('connection: close');
        // The whole body was accepted, so the client never saw a reset.
        expect(r.written, name).toBe(body.length);
      }
    }
    expect(results.length).toBeGreaterThan(20);
  });

  it('many uploads, both ways of reading, various paces: never a reset before the answer', async () => {
    const job = routes.find((t) => t.name === 'job-report')!;
    const tally: Record<string, number> = {};
    for (let i = 0; i < 24; i++) {
      const r = await upload(harness.h.baseUrl, i % 4 < 2 ? job : undefined, {
        body: Buffer.alloc(MB + 1 + ((i * 97_003) % (2 * MB)), 0x61),
        chunked: i % 2 === 0,
        read: i % 3 === 0 ? 'after-writing' : 'while-writing',
        chunkSize: [16 * 1024, 64 * 1024, 256 * 1024][i % 3]!,
        pauseMs: i % 5,
      });
      tally[`${r.status} ${r.error ?? ''}`.trim()] = (tally[`${r.status} ${r.error ?? ''}`.trim()] ?? 0) + 1;
    }
    expect(tally).toEqual({ 413: 24 });
  });

  it('/slack/events stops buffering a chunked body at the limit and answers at once', async () => {
    // The 413 arrives while the client is still sending: the receiver did not wait for the end of the body.
    const body = Buffer.alloc(16 * MB, 0x7b);
    const r = await upload(harness.h.baseUrl, undefined, {
      body,
      chunked: true,
      read: 'while-writing',
      pauseMs: 2,
    });
    expect(r.status, shown(r)).toBe(413);
    // About 1.1 MB here; the old receiver answered only after all 16 MB.
    expect(r.writtenWhenAnswered, shown(r)).toBeLessThan(8 * MB);
    expect(r.written).toBe(body.length);
  });

  it('a client that keeps sending fast is cut off after 16 MB more, having had its answer', async () => {
    const job = routes.find((t) => t.name === 'job-report')!;
    const body = Buffer.alloc(64 * MB, 0x61);
    for (const target of [job, undefined]) {
      for (const chunked of [false, true]) {
        const r = await upload(harness.h.baseUrl, target, {
          body,
          chunked,
          read: 'while-writing',
          chunkSize: 256 * 1024,
          pauseMs: 0,
        });
        expect(r.status, shown(r)).toBe(413);
        expect(r.error, shown(r)).toMatch(/^(ECONNRESET|EPIPE)$/);
        // 1 MB read, 16 MB discarded, the rest no further than the kernel's socket buffers.
        expect(r.written, shown(r)).toBeGreaterThan(17 * MB);
        expect(r.written, shown(r)).toBeLessThan(32 * MB);
      }
    }
  });
});

describe('the discard is bounded in time too', () => {
  const logger = createLogger({ level: 'silent' });
  const bounds: DiscardBounds = { maxBytes: 16 * MB, maxMs: 400 };
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const ingress = toNodeListener(harness.h.app.ingress, { logger, discard: bounds });
    const slack = guardSlackRequests(
      () => {
        throw new Error('an oversized body must never reach Bolt');
      },
      { signingSecret: 'unused', logger, discard: bounds },
    );
    server = createServer((req, res) => (req.url === '/slack/events' ? slack : ingress)(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a client that trickles a body forever is answered, then closed after maxMs', async () => {
    const job = routes.find((t) => t.name === 'job-report')!;
    for (const target of [job, undefined]) {
      // Declared as 2 MB (so refused at once), then sent a kilobyte every 20 ms: 40 s if let through.
      const r = await upload(url, target, {
        body: Buffer.alloc(2 * MB, 0x61),
        declaredLength: 2 * MB,
        chunked: false,
        read: 'while-writing',
        chunkSize: 1024,
        pauseMs: 20,
      });
      expect(r.status, shown(r)).toBe(413);
      expect(r.closedAfterMs, shown(r)).toBeGreaterThanOrEqual(bounds.maxMs);
      expect(r.closedAfterMs, shown(r)).toBeLessThan(bounds.maxMs + 3_000);
      expect(r.written).toBeLessThan(MB);
    }
  });
});
