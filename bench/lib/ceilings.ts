/**
 * The ceilings the figures are compared with, measured in the same run on the same machine, each in processes
 * of its own: the store's (raw dynalite conditional puts), HTTP's (a bare node:http server) and the broker's
 * (raw amqplib confirmed publishes). Measured once per run and shared by the benchmarks that need them.
 */
import { subDir, type BenchContext } from './context.js';
import { runLoad } from './load.js';
import { spawnTs } from './process.js';
import { median } from './results.js';

export interface Ceiling {
  label: string;
  runs: number[];
  median: number;
}

const cache = new Map<string, Promise<Ceiling>>();

function memo(key: string, measure: () => Promise<Ceiling>): Promise<Ceiling> {
  let found = cache.get(key);
  if (!found) {
    found = measure();
    cache.set(key, found);
  }
  return found;
}

/** Runs `bench/ceilings/dynalite-puts.ts` against a fresh dynalite (LevelDB) in a process of its own, `ctx.runs` times. */
async function rawStoreRuns(
  ctx: BenchContext,
  name: string,
  args: { concurrency: number; inARow: number },
): Promise<{ rate: number; p50: number; p99: number }[]> {
  const logDir = subDir(ctx, name);
  const server = spawnTs('dynalite', 'bench/servers/dynalite.ts', [logDir], { logDir });
  try {
    const { endpoint, table } = await server.announcement<{ endpoint: string; table: string }>();
    const runs: { rate: number; p50: number; p99: number }[] = [];
    for (let i = 0; i < ctx.runs; i += 1) {
      const client = spawnTs(
        `puts-${i}`,
        'bench/ceilings/dynalite-puts.ts',
        [endpoint, table, String(args.concurrency), String(ctx.seconds), String(args.inARow)],
        { logDir },
      );
      const run = await client.announcement<{ rate: number; p50: number; p99: number; failed: number }>();
      await client.exited;
      if (run.failed > 0) throw new Error(`${name}: ${run.failed} puts failed`);
      runs.push(run);
    }
    return runs;
  } finally {
    await server.stop();
  }
}

/** Conditional PutItem/s at 32 concurrent, SDK client in one process, a fresh dynalite (LevelDB) in another. */
export function storeCeiling(ctx: BenchContext): Promise<Ceiling> {
  return memo('store', async () => {
    const runs = (await rawStoreRuns(ctx, 'ceiling-store', { concurrency: 32, inARow: 1 })).map(
      (r) => r.rate,
    );
    ctx.log(`store ceiling: ${runs.map((r) => r.toFixed(0)).join(', ')} puts/s`);
    return { label: 'raw dynalite conditional PutItem/s (32 concurrent)', runs, median: median(runs) };
  });
}

/**
 * The store's own latency for a request whose store calls depend on each other: p99 of `inARow` conditional
 * PutItems made one after another, by each of 10 concurrent callers (as 10 connections are), set up as the
 * store ceiling is. It tells what an absolute latency goal asks of this machine: the app reaches the same store
 * in process (no HTTP) and batches reads and plain writes, so it may come in under it, but not far under.
 */
export function storeLatencyFloor(ctx: BenchContext, inARow: number): Promise<Ceiling> {
  return memo(`store-latency-${inARow}`, async () => {
    const runs = (await rawStoreRuns(ctx, `floor-store-${inARow}`, { concurrency: 10, inARow })).map(
      (r) => r.p99,
    );
    ctx.log(
      `store p99, ${inARow} puts in a row, 10 concurrent: ${runs.map((r) => r.toFixed(1)).join(', ')} ms`,
    );
    return {
      label: `raw dynalite p99: ${inARow} conditional PutItems in a row, 10 concurrent`,
      runs,
      median: median(runs),
    };
  });
}

/** A bare node:http server parsing the same JSON body, at 50 connections. */
export function httpCeiling(ctx: BenchContext, body: string): Promise<Ceiling> {
  return memo('http', async () => {
    const logDir = subDir(ctx, 'ceiling-http');
    const server = spawnTs('bare-http', 'bench/servers/bare-http.ts', [], { logDir });
    try {
      const { port } = await server.announcement<{ port: number }>();
      const runs: number[] = [];
      for (let i = 0; i < ctx.runs; i += 1) {
        const r = await runLoad(logDir, {
          url: `http://127.0.0.1:${port}/`,
          connections: 50,
          duration: ctx.seconds,
          body: { kind: 'static', text: body },
        });
        runs.push(r.rps);
      }
      ctx.log(`http ceiling: ${runs.map((r) => r.toFixed(0)).join(', ')} req/s`);
      return { label: 'bare node:http JSON server req/s (50 connections)', runs, median: median(runs) };
    } finally {
      await server.stop();
    }
  });
}

/** Raw amqplib confirmed publishes/s, 50 in flight, to a durable queue of its own (deleted afterwards). */
export function brokerCeiling(ctx: BenchContext, amqpUrl: string): Promise<Ceiling> {
  return memo('broker', async () => {
    const logDir = subDir(ctx, 'ceiling-broker');
    const runs: number[] = [];
    for (let i = 0; i < ctx.runs; i += 1) {
      const client = spawnTs(
        'amqp-publish',
        'bench/ceilings/amqp-publish.ts',
        [amqpUrl, '50', String(ctx.seconds)],
        {
          logDir,
        },
      );
      const { rate } = await client.announcement<{ rate: number }>();
      await client.exited;
      runs.push(rate);
    }
    ctx.log(`broker ceiling: ${runs.map((r) => r.toFixed(0)).join(', ')} publishes/s`);
    return { label: 'raw amqplib confirmed publishes/s (50 in flight)', runs, median: median(runs) };
  });
}
