import type { BenchContext } from './lib/context.js';
import type { BenchResult } from './lib/results.js';

export function runB6(_ctx: BenchContext): Promise<BenchResult> {
  return Promise.reject(new Error('not implemented yet'));
}
