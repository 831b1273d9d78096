/**
 * A bounded stop (issue 17): a process asked to stop (SIGTERM, SIGINT) is gone within SHUTDOWN_GRACE_SECONDS,
 * before an orchestrator's kill -9. Used by `npm start` (main.ts) and `npm run consumer` (consumer.ts).
 */
import type { Logger } from './logger.js';

/**
 * Arms the exit at the end of the grace period, whatever hangs (an exit we choose at least flushes the log), and
 * answers the deadline for the drains: the grace period less a little for closing the store.
 */
export function startGracePeriod(graceSeconds: number, logger: Logger): number {
  const graceMs = graceSeconds * 1000;
  const started = Date.now();
  setTimeout(() => {
    logger.error({ graceSeconds }, 'shutdown overran its grace period: exiting');
    logger.flush();
    process.exit(1);
  }, graceMs).unref();
  return started + graceMs - Math.min(1_000, graceMs / 5);
}

/** Waits for `work`, but not past `deadline` (epoch ms; none when infinite). */
export async function until(deadline: number, work: Promise<unknown> | undefined): Promise<void> {
  if (work === undefined || !Number.isFinite(deadline)) {
    await work;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<void>(
    (resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))),
  );
  try {
    await Promise.race([work, over]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A process's stop: on SIGINT or SIGTERM (or a call of the function it returns), once, `stop` runs within the grace
 * period (its deadline, epoch ms), then the process exits. SIGHUP calls `reload` (Alertmanager's convention: read
 * ONCALL_CONFIG again; an invalid file is logged and changes nothing).
 */
export function onStopSignals(options: {
  graceSeconds: number;
  logger: Logger;
  stop: (deadline: number) => Promise<void>;
  reload: () => unknown;
}): (signal: string, exitCode?: number) => Promise<void> {
  const { graceSeconds, logger } = options;
  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.info({ signal, graceSeconds }, 'shutting down');
    await options.stop(startGracePeriod(graceSeconds, logger));
    logger.info({ ms: Date.now() - started }, 'stopped');
    logger.flush();
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void options.reload());
  return shutdown;
}
