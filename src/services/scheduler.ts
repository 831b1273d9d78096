/**
 * The in-process scheduler: runs a list of named tasks every `intervalMs` (job lateness checks, escalation
 * steps). Locally a timer drives it; on Lambda an EventBridge rule calls `runOnce` through the tick handler,
 * so a task must do its work from `now` and the store, never from state kept between runs.
 * - The timer is unref'd: it never keeps Node alive on its own.
 * - Runs never overlap: a run that is still going when the timer fires again is joined, not doubled.
 * - A failing task is logged and the others still run.
 * - A task may run more often than the others (`intervalMs`, e.g. escalation every 15 s while missed jobs
 *   are checked every minute): the timer then fires at the shortest interval and each task runs when its own
 *   interval has passed. `runOnce` runs every task.
 */
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';

export interface ScheduledTask {
  name: string;
  /** How often the timer runs it. Default: the scheduler's `intervalMs`. */
  intervalMs?: number;
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

  const intervalOf = (task: ScheduledTask): number => task.intervalMs ?? options.intervalMs;
  const period = (): number => Math.min(options.intervalMs, ...tasks.map(intervalOf));
  // Timer time elapsed since start, and when each task is next due on that scale.
  let elapsed = 0;
  let timerPeriod = options.intervalMs;
  const due = new Map<ScheduledTask, number>();

  const runAll = async (selected: readonly ScheduledTask[]): Promise<string[]> => {
    const now = clock.now();
    const failed: string[] = [];
    for (const task of selected) {
      try {
        await task.run(now);
      } catch (error) {
        failed.push(task.name);
        logger.error({ err: error, task: task.name }, 'scheduled task failed');
      }
    }
    return failed;
  };

  const run = (selected: readonly ScheduledTask[]): Promise<string[]> => {
    current ??= runAll(selected).finally(() => {
      current = undefined;
    });
    return current;
  };
  const runOnce = (): Promise<string[]> => run([...tasks]);

  const fire = () => {
    elapsed += timerPeriod;
    const selected = tasks.filter((task) => (due.get(task) ?? intervalOf(task)) <= elapsed);
    for (const task of selected) due.set(task, elapsed + intervalOf(task));
    if (selected.length > 0) void run(selected);
  };
  const arm = () => {
    if (timer !== undefined) clearInterval(timer);
    timerPeriod = period();
    timer = setInterval(fire, timerPeriod);
    timer.unref();
  };

  return {
    start() {
      if (timer !== undefined) return;
      arm();
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
      // A task that must run more often than the timer fires re-arms it.
      if (timer !== undefined && intervalOf(task) < timerPeriod) arm();
    },
    get running() {
      return timer !== undefined;
    },
  };
}
