/**
 * `GET /health` tells the truth: healthy only when the store answered a real read (Store.probe). Load
 * balancers and uptime monitors ask often, so one answer serves every probe for `cacheMs`, and concurrent
 * probes share one read. A change of state is logged once, not every probe.
 */
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';

export type Health = { healthy: true } | { healthy: false; store: string };

/** A real read of the store within its timeout: `{ ok: false, reason }` when it did not come back. */
export type StoreReader = () => Promise<{ ok: true } | { ok: false; reason: string }>;

export interface HealthCheckOptions {
  probe: StoreReader;
  clock: Clock;
  logger: Logger;
  /** How long one answer is reused. Default one second. */
  cacheMs?: number;
}

export function createHealthCheck(options: HealthCheckOptions): () => Promise<Health> {
  const { probe, clock, logger, cacheMs = 1_000 } = options;
  let last: { health: Health; at: number } | undefined;
  let inFlight: Promise<Health> | undefined;

  const check = async (): Promise<Health> => {
    const read = await probe().catch((error: unknown) => ({
      ok: false as const,
      reason: error instanceof Error ? error.message : String(error),
    }));
    const health: Health = read.ok ? { healthy: true } : { healthy: false, store: read.reason };
    if (!health.healthy && last?.health.healthy !== false) {
      logger.warn({ store: health.store }, 'health: the store cannot serve');
    } else if (health.healthy && last?.health.healthy === false) {
      logger.info('health: the store serves again');
    }
    last = { health, at: clock.now() };
    return health;
  };

  return () => {
    if (last !== undefined && clock.now() - last.at < cacheMs) return Promise.resolve(last.health);
    inFlight ??= check().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
