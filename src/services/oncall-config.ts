/**
 * The on-call configuration in force (ONCALL_CONFIG): loaded once at start, and again on `reload()` (SIGHUP,
 * `POST /-/reload`). A file that does not validate at start stops the process (`loadOncallConfigSource`
 * throws its CONFIG_INVALID error, which names every problem); on reload it changes nothing: the previous
 * configuration stays in force, and the result and the log say why. Every reader asks `current()` each time,
 * so a reload reaches every view, the handoffs and the escalation at once.
 */
import { EMPTY_ONCALL_CONFIG, type OncallConfig } from '../domain/oncall-config.js';
import type { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

/** What reading the file gives: the config, or the problems (each `file:line:col: path: reason`). */
export type OncallConfigRead =
  | { ok: true; config: OncallConfig }
  /** `error`: CONFIG_INVALID, its message naming the file and every problem. */
  | { ok: false; problems: readonly string[]; error: AppError };

export type ReloadResult =
  | {
      ok: true;
      file: string | undefined;
      schedules: number;
      escalationPolicies: number;
      routes: number;
    }
  | { ok: false; file: string; problems: readonly string[] };

export interface OncallConfigSource {
  current(): OncallConfig;
  /** The file it reads, if any. */
  readonly file: string | undefined;
  /** Reads the file again here and, in a cluster, has every other process read it too (`announce`). */
  reload(): Promise<ReloadResult>;
  /** Reads the file again here only: another process of the cluster reloaded it. */
  refresh(): Promise<ReloadResult>;
}

/** Without a file: the empty config (the flat list for every incident), and a reload that keeps it. */
function summary(file: string | undefined, config: OncallConfig): ReloadResult {
  return {
    ok: true,
    file,
    schedules: config.schedules.length,
    escalationPolicies: config.escalationPolicies.length,
    routes: config.routes.length,
  };
}

export async function loadOncallConfigSource(options: {
  file: string | undefined;
  read: (file: string) => Promise<OncallConfigRead>;
  logger: Logger;
  /** After a successful `reload`: tell the cluster's other processes (src/cluster-primary.ts). */
  announce?: () => void;
}): Promise<OncallConfigSource> {
  const { file, read, logger, announce } = options;
  let config = EMPTY_ONCALL_CONFIG;
  if (file !== undefined) {
    const first = await read(file);
    if (!first.ok) throw first.error;
    config = first.config;
    logger.info(summaryFields(summary(file, config)), 'on-call configuration loaded');
  }
  // Reloads run one at a time, so the last one asked for is the one in force.
  let queue: Promise<unknown> = Promise.resolve();
  const reloadNow = async (): Promise<ReloadResult> => {
    if (file === undefined) return summary(undefined, config);
    const next = await read(file);
    if (!next.ok) {
      logger.error(
        { file, problems: next.problems },
        'on-call configuration NOT reloaded: the file is invalid; the previous configuration stays in force',
      );
      return { ok: false, file, problems: next.problems };
    }
    config = next.config;
    const result = summary(file, config);
    logger.info(summaryFields(result), 'on-call configuration reloaded');
    return result;
  };
  const refresh = (): Promise<ReloadResult> => {
    const run = queue.then(reloadNow, reloadNow);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    file,
    current: () => config,
    async reload() {
      const result = await refresh();
      if (result.ok) announce?.();
      return result;
    },
    refresh,
  };
}

function summaryFields(result: ReloadResult): Record<string, unknown> {
  return result.ok
    ? {
        file: result.file,
        schedules: result.schedules,
        escalationPolicies: result.escalationPolicies,
        routes: result.routes,
      }
    : { file: result.file };
}
