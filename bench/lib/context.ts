/** What every benchmark gets from the runner. */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Child } from './process.js';

export interface BenchContext {
  /** Where logs, data directories and load specs go (kept when the run fails). */
  logDir: string;
  /** Runs per figure (the median is reported); at least 3. */
  runs: number;
  /** Seconds per throughput run. */
  seconds: number;
  log(message: string): void;
}

export function subDir(ctx: BenchContext, name: string): string {
  return mkdtempSync(join(ctx.logDir, `${name}-`));
}

/**
 * Runs `fn` with the processes it starts, stops them all afterwards, and turns an unexpected exit of any
 * of them into an error.
 */
export async function withProcesses<T>(
  fn: (track: <C extends Child | { child: Child }>(started: C) => C) => Promise<T>,
  errors: string[],
): Promise<T> {
  const children: Child[] = [];
  const track = <C extends Child | { child: Child }>(started: C): C => {
    children.push('child' in started ? started.child : started);
    return started;
  };
  try {
    return await fn(track);
  } finally {
    for (const child of children) {
      if (child.crashed()) errors.push(`${child.name} exited unexpectedly (see ${child.logFile})`);
    }
    // Last started, first stopped: the app finishes its work while the Slack emulator still answers.
    for (const child of children.reverse()) await child.stop();
  }
}
