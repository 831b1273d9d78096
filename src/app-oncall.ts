/**
 * The on-call part of the composition root (issue 18), split out of src/app.ts for size: app.ts calls
 * `buildOncall` and nothing else does. It reads ONCALL_CONFIG (a YAML file; `.json` on Lambda, where the
 * package carries the file validated and converted at build time: scripts/build-lambda.ts), and builds the
 * schedule, swap, handoff and feed services, the Slack messenger and the HTTP routes.
 * An invalid file at start throws its CONFIG_INVALID error, which stops the process naming every problem.
 */
import type { WebClient } from '@slack/web-api';
import { usesLocalEmulator, type Config } from './config/index.js';
import { loadOncallConfig } from './config/oncall/load.js';
import { readOncallConfigFile } from './config/oncall/json.js';
import { formatProblem } from './config/oncall/validate.js';
import type { Clock } from './domain/clock.js';
import { LOCAL_DEV_TOKEN, type SharedSecret } from './ingress/auth.js';
import { oncallRoutes } from './ingress/routes/oncall.js';
import type { Route } from './ingress/types.js';
import { createSlackOncallMessenger } from './integrations/slack-oncall.js';
import type { Logger } from './logger.js';
import { createHandoffService, type HandoffService } from './services/handoffs.js';
import {
  loadOncallConfigSource,
  type OncallConfigRead,
  type OncallConfigSource,
} from './services/oncall-config.js';
import type { OncallService } from './services/oncall.js';
import { createScheduleFeeds, type ScheduleFeeds } from './services/schedule-feeds.js';
import { createScheduleService, type ScheduleService } from './services/schedules.js';
import { createSwapService, type SwapService } from './services/swaps.js';
import type { Store } from './store/index.js';
import { createOncallRepository } from './store/oncall-repository.js';

export interface OncallParts {
  oncallConfig: OncallConfigSource;
  schedules: ScheduleService;
  swaps: SwapService;
  handoffs: HandoffService;
  feeds: ScheduleFeeds;
  /** The on-call routes, behind the ALERTS_API_TOKEN secret the composition root shares. */
  routes(token: SharedSecret): Route[];
}

/** ONCALL_CONFIG's problems as `file:line:col: path: reason` lines. */
export async function readOncallConfig(file: string): Promise<OncallConfigRead> {
  const result = await readOncallConfigFile(file, loadOncallConfig);
  return result.ok
    ? { ok: true, config: result.config }
    : { ok: false, problems: result.problems.map(formatProblem), error: result.error };
}

/** ONCALL_CONFIG in force; throws (CONFIG_INVALID) when the file is invalid. Called before anything is started. */
export function loadOncallConfigFor(
  config: Config,
  logger: Logger,
  announce?: () => void,
): Promise<OncallConfigSource> {
  return loadOncallConfigSource({
    file: config.oncallConfigPath,
    read: readOncallConfig,
    logger: logger.child({ component: 'oncall' }),
    ...(announce ? { announce } : {}),
  });
}

export function buildOncall(
  config: Config,
  deps: {
    oncallConfig: OncallConfigSource;
    store: Store;
    client: WebClient;
    oncall: OncallService;
    clock: Clock;
    logger: Logger;
  },
): OncallParts {
  const { store, clock, oncallConfig } = deps;
  const logger = deps.logger.child({ component: 'oncall' });
  // The Oncall table's repository is built here, not in the store, so the functions without schedules
  // (scripts/build-lambda.ts) carry none of it.
  const oncallStore = createOncallRepository({ doc: store.doc, tableName: store.tables.oncall, clock });
  const schedules = createScheduleService({
    config: oncallConfig,
    store: oncallStore,
    responders: async (group) => (await store.responders.list(group)).map((r) => r.userId),
    clock,
  });
  const messenger = createSlackOncallMessenger(deps.client);
  const local = usesLocalEmulator(config);
  // The feed links are signed with ALERTS_API_TOKEN (or, with the local emulator, its local default).
  const feeds = createScheduleFeeds({
    secret: config.alertsApiToken?.reveal() ?? (local ? LOCAL_DEV_TOKEN : undefined),
    publicUrl: config.publicUrl,
  });
  return {
    oncallConfig,
    schedules,
    swaps: createSwapService({ schedules, store: oncallStore, messenger, clock, logger }),
    handoffs: createHandoffService({ schedules, store: oncallStore, messenger, logger }),
    feeds,
    routes: (token) =>
      oncallRoutes({
        schedules,
        responders: async () => ({
          group: config.respondersGroupId,
          users: (await deps.oncall.list()).map((e) => e.userId),
        }),
        config: oncallConfig,
        feeds,
        token,
        clock,
      }),
  };
}
