import type { Logger } from '../logger.js';
import type { Defer, DeferredHandlers } from './ports/defer.js';

/** The local `defer`: runs the named handler in the background and logs (never throws) its failure. */
export function createInProcessDefer(handlers: () => DeferredHandlers, logger: Logger): Defer {
  const running = new Set<Promise<void>>();
  const defer = ((job) => {
    const handler = handlers()[job.name];
    if (!handler) {
      logger.error({ job: job.name }, 'no handler for deferred job');
      return;
    }
    const task = Promise.resolve()
      .then(() => handler(job.payload))
      .catch((error: unknown) => logger.error({ err: error, job: job.name }, 'deferred job failed'))
      .finally(() => running.delete(task));
    running.add(task);
  }) as Defer;
  defer.drain = async () => {
    while (running.size > 0) await Promise.all([...running]);
  };
  return defer;
}
