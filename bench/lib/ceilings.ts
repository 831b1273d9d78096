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

/** Conditional PutItem/s at 32 concurrent, SDK client in one process, a fresh dynalite (LevelDB) in another. */
export function storeCeiling(ctx: BenchContext): Promise<Ceiling> {
  return memo('store', async () => {
    const logDir = subDir(ctx, 'ceiling-store');
    const server = spawnTs('dynalite', 'bench/servers/dynalite.ts', [logDir], { logDir });
    try {
      const { endpoint, table } = await server.announcement<{ endpoint: string; table: string }>();
      const runs: number[] = [];
      for (let i = 0; i < ctx.runs; i += 1) {
        const client = spawnTs(
          `puts-${i}`,
          'bench/ceilings/dynalite-puts.ts',
          [endpoint, table, '32', String(ctx.seconds)],
          { logDir },
        );
        const { rate, failed } = await client.announcement<{ rate: number; failed: number }>();
        await client.exited;
        if (failed > 0) throw new Error(`store ceiling: ${failed} puts failed`);
        runs.push(rate);
      }
      ctx.log(`store ceiling: ${runs.map((r) => r.toFixed(0)).join(', ')} puts/s`);
      return { label: 'raw dynalite conditional PutItem/s (32 concurrent)', runs, median: median(runs) };
    } finally {
      await server.stop();
    }
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
