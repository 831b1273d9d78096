/**
 * A real store for tests: in-memory dynalite through the real SDK, a manual clock, silent logs.
 * Each call gets its own dynalite, so test files (and tests) never share state.
 */
import { createManualClock } from '../../src/domain/clock.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createStore, resolveTableNames, type Store, type TableNames } from '../../src/store/index.js';

export type ManualClock = ReturnType<typeof createManualClock>;

export interface TestStoreOptions {
  clock?: ManualClock;
  logger?: Logger;
  tables?: TableNames;
  /** Persist under this directory instead of memory (restart tests). */
  dataDir?: string;
  sweepIntervalMs?: number;
  /** Also serve the store's DynamoDB on a loopback port (`endpoint`), for clients other than the store's own. */
  listen?: boolean;
}

export type TestStore = Store & { clock: ManualClock };

export async function startTestStore(options: TestStoreOptions = {}): Promise<TestStore> {
  const clock = options.clock ?? createManualClock();
  const store = await createStore({
    mode: 'embedded',
    dataDir: options.dataDir ?? '.data/test-unused',
    inMemory: options.dataDir === undefined,
    region: 'us-east-1',
    tables: options.tables ?? resolveTableNames({}),
    clock,
    logger: options.logger ?? createLogger({ level: 'silent' }),
    // Tests sweep explicitly through store.sweepExpired(); the timer should never fire during a test.
    sweepIntervalMs: options.sweepIntervalMs ?? 3_600_000,
    listen: options.listen === true,
  });
  return Object.assign(store, { clock });
}
