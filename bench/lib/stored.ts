/**
 * Reads what a killed Hikeshi left in its DATA_DIR: the embedded store is opened again in this process (the
 * way the next `npm start` would), so a count read here is a count that survived the process.
 */
import { systemClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/logger.js';
import { createStore, resolveTableNames, type Store } from '../../src/store/index.js';

export async function withStoredData<T>(dataDir: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await createStore({
    mode: 'embedded',
    dataDir,
    region: 'us-east-1',
    tables: resolveTableNames({}),
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    sweepIntervalMs: 3_600_000,
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The stored count of the open incident for `fingerprint` (a dedup key is the fingerprint), or 0. */
export async function storedCount(dataDir: string, fingerprint: string): Promise<number> {
  return withStoredData(dataDir, async (store) => {
    const incident = await store.incidents.findOpenByFingerprint(fingerprint);
    return typeof incident?.['count'] === 'number' ? incident['count'] : 0;
  });
}
