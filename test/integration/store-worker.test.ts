/**
 * The embedded store's dynalite runs in a worker thread (src/store/dynalite-worker.ts). What that must not
 * change: a process that never closes its store still exits by itself, a write that was answered is on disk
 * for the next process, and calls after a close fail at once instead of hanging.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestStore } from '../helpers/store.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Runs `body` (an ES module body with `store` in scope) in a fresh `node --import tsx` process. */
function inChildProcess(
  dataDir: string,
  body: string,
): Promise<{ code: number | null; stdout: string; ms: number }> {
  const script = [
    "import { createStore, resolveTableNames } from './src/store/index.js';",
    "import { createManualClock } from './src/domain/clock.js';",
    "import { createLogger } from './src/logger.js';",
    'const store = await createStore({',
    `  mode: 'embedded', dataDir: ${JSON.stringify(dataDir)}, region: 'us-east-1',`,
    "  tables: resolveTableNames({}), clock: createManualClock(), logger: createLogger({ level: 'silent' }),",
    '  sweepIntervalMs: 3_600_000,',
    '});',
    body,
  ].join('\n');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, ms: Date.now() - started });
    });
  });
}

describe('embedded store in a worker thread', () => {
  it('lets a process that never closes its store exit by itself, with its answered writes on disk', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-store-worker-'));
    dirs.push(dataDir);

    const writer = await inChildProcess(
      dataDir,
      "console.log(JSON.stringify({ claimed: await store.dedup.claim('delivery-w', 3600) }));",
    );
    expect(writer.code).toBe(0);
    expect(JSON.parse(writer.stdout.trim())).toEqual({ claimed: true });

    const reader = await inChildProcess(
      dataDir,
      "console.log(JSON.stringify({ claimed: await store.dedup.claim('delivery-w', 3600) })); await store.close();",
    );
    expect(reader.code).toBe(0);
    expect(JSON.parse(reader.stdout.trim())).toEqual({ claimed: false });
  }, 60_000);

  it('fails calls made after close at once', async () => {
    const store = await startTestStore();
    expect(await store.dedup.claim('delivery-c', 3600)).toBe(true);
    await store.close();
    await expect(store.dedup.claim('delivery-d', 3600)).rejects.toThrow();
  });

  it('serves several stores in one process from the one worker, each with its own data', async () => {
    const [a, b] = await Promise.all([startTestStore(), startTestStore()]);
    try {
      expect(await a.dedup.claim('shared-key', 3600)).toBe(true);
      expect(await b.dedup.claim('shared-key', 3600)).toBe(true);
      expect(await a.dedup.claim('shared-key', 3600)).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
