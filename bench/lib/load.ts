/** Runs the load generator (bench/load-worker.ts) in a separate process and returns what it measured. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BurstResult, BurstSpec, LoadResult, LoadSpec } from './load-spec.js';
import { spawnTs } from './process.js';

let runs = 0;

async function runWorker<T>(logDir: string, input: { load: LoadSpec } | { bursts: BurstSpec }): Promise<T> {
  runs += 1;
  const specFile = join(logDir, `load-${runs}.json`);
  writeFileSync(specFile, JSON.stringify(input));
  const child = spawnTs(`load-${runs}`, 'bench/load-worker.ts', [specFile], { logDir });
  try {
    const { result } = await child.announcement<{ result: T }>(15 * 60_000);
    return result;
  } finally {
    await child.stop();
  }
}

export const runLoad = (logDir: string, spec: LoadSpec): Promise<LoadResult> =>
  runWorker<LoadResult>(logDir, { load: spec });

export const runBursts = (logDir: string, spec: BurstSpec): Promise<BurstResult> =>
  runWorker<BurstResult>(logDir, { bursts: spec });

/** Errors worth failing the run for: anything but a 2xx, a connection error or a timeout. */
export function loadErrors(what: string, result: LoadResult): string[] {
  const errors: string[] = [];
  if (result.non2xx > 0) errors.push(`${what}: ${result.non2xx} non-2xx responses`);
  if (result.errors > 0) errors.push(`${what}: ${result.errors} connection errors`);
  if (result.timeouts > 0) errors.push(`${what}: ${result.timeouts} timeouts`);
  return errors;
}
