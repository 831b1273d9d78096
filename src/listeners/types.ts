import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

/** What every listener may use: services decide, listeners only translate Slack into calls. */
export interface ListenerDeps {
  services: Services;
  logger: Logger;
  clock: Clock;
}
