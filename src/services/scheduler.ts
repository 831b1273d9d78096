/**
 * The in-process scheduler: runs a list of named tasks every `intervalMs` (job lateness checks, escalation
 * steps). Locally a timer drives it; on Lambda an EventBridge rule calls `runOnce` through the tick handler,
 * so a task must do its work from `now` and the store, never from state kept between runs.
 * - The timer is unref'd: it never keeps Node alive on its own.
 * - Runs never overlap: a run that is still going when the timer fires again is joined, not doubled.
 * - A failing task is logged and the others still run.
 */
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';

export interface ScheduledTask {
  name: string;
  run(now: number): Promise<unknown>;
}

export interface Scheduler {
  /** Starts the timer (idempotent). */
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /** Runs every task once now (or joins the run in progress); resolves with the names of the failed tasks. */
  runOnce(): Promise<string[]>;
  /** Adds a task (features register theirs from the composition root). */
  add(task: ScheduledTask): void;
  readonly running: boolean;
}

export function createScheduler(options: {
  intervalMs: number;
  tasks?: ScheduledTask[];
  clock: Clock;
  logger: Logger;
}): Scheduler {
  const { clock, logger } = options;
  const tasks: ScheduledTask[] = [...(options.tasks ?? [])];
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<string[]> | undefined;

  const runAll = async (): Promise<string[]> => {
    const now = clock.now();
    const failed: string[] = [];
    for (const task of tasks) {
      try {
        await task.run(now);
      } catch (error) {
        failed.push(task.name);
        logger.error({ err: error, task: task.name }, 'scheduled task failed');
      }
    }
    return failed;
  };

  const runOnce = (): Promise<string[]> => {
    current ??= runAll().finally(() => {
      current = undefined;
    });
    return current;
  };

  return {
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => void runOnce(), options.intervalMs);
      timer.unref();
      logger.debug({ intervalMs: options.intervalMs, tasks: tasks.map((t) => t.name) }, 'scheduler started');
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await current;
    },
    runOnce,
    add(task) {
      tasks.push(task);
    },
    get running() {
      return timer !== undefined;
    },
  };
}
