/**
 * The load generator, always in its own process: `node --import tsx bench/load-worker.ts <spec.json>`.
 * `{"load": LoadSpec}` drives autocannon; `{"bursts": BurstSpec}` sends bursts of concurrent signed Slack
 * interactions and times each one. It prints one JSON line with the result.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { bodyMaker } from './lib/bodies.js';
import type { BurstResult, BurstSpec, LoadResult, LoadSpec } from './lib/load-spec.js';

async function load(spec: LoadSpec): Promise<LoadResult> {
  const next = bodyMaker(spec.body);
  const method = spec.method ?? (spec.body.kind === 'none' ? 'GET' : 'POST');
  // Timed here: autocannon notices the end of an `amount` run only at its next one-second tick, so its own
  // duration rounds such runs up to whole seconds.
  let firstSent: number | undefined;
  let lastAnswered = 0;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount === undefined ? { duration: spec.duration ?? 5 } : { amount: spec.amount }),
    ...(spec.overallRate === undefined ? {} : { overallRate: spec.overallRate }),
    timeout: spec.timeout ?? 10,
    requests: [
      {
        method,
        setupRequest: (req) => {
          firstSent ??= performance.now();
          const prepared = next();
          return {
            ...req,
            method,
            headers: { ...spec.headers, ...prepared.headers },
            ...(prepared.body === undefined ? {} : { body: prepared.body }),
          };
        },
        onResponse: () => {
          lastAnswered = performance.now();
        },
      },
    ],
  });
  const responses = result['2xx'] + result.non2xx;
  const seconds = firstSent === undefined ? result.duration : (lastAnswered - firstSent) / 1000;
  return {
    requests: responses,
    seconds,
    rps: responses / seconds,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

function send(agent: Agent, url: URL, body: string, secret: string): Promise<{ ms: number; status: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.once('end', () =>
          resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode ?? 0 }),
        );
      },
    );
    req.once('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

async function bursts(spec: BurstSpec): Promise<BurstResult> {
  const url = new URL(spec.url);
  // One socket per concurrent request, kept alive between bursts the way Slack's delivery fleet keeps them.
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const bodies = spec.payloads.map((p) => new URLSearchParams({ payload: JSON.stringify(p) }).toString());
  const out: BurstResult = { latencies: [], non2xx: 0, errors: 0 };
  let cursor = 0;
  for (let burst = 0; burst < spec.bursts; burst += 1) {
    const batch = Array.from({ length: spec.concurrency }, () => {
      const body = bodies[cursor % bodies.length] ?? '';
      cursor += 1;
      return send(agent, url, body, spec.signingSecret).then(
        (r) => {
          out.latencies.push(r.ms);
          if (r.status < 200 || r.status >= 300) out.non2xx += 1;
        },
        () => {
          out.errors += 1;
        },
      );
    });
    await Promise.all(batch);
    await new Promise((resolve) => setTimeout(resolve, spec.pauseMs));
  }
  agent.destroy();
  return out;
}

// The spec comes in a file: B4's payloads are larger than one command-line argument may be.
const input = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as {
  load?: LoadSpec;
  bursts?: BurstSpec;
};
const result = input.load ? await load(input.load) : input.bursts ? await bursts(input.bursts) : undefined;
if (result === undefined) throw new Error('expected {"load": …} or {"bursts": …}');
process.stdout.write(`${JSON.stringify({ bench: true, result })}\n`);
