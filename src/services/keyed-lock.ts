/**
 * Runs tasks one at a time per key, in arrival order, inside this process. It turns the common race
 * (fifty copies of one alert arriving together) into a queue, so the store's conditional writes only
 * have to settle the rare cross-process race.
 */
export interface KeyedLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running (for tests and metrics). */
  size(): number;
  /** True while work for `key` is queued or running. */
  busy(key: string): boolean;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    size: () => tails.size,
    busy: (key) => tails.has(key),
  };
}
