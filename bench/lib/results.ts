/**
 * What a benchmark reports: figures (the median of several runs), each with its in-run comparison and goal.
 * A missed goal is reported, never fatal; errors (non-2xx, crashes, lost counts) fail the run.
 */

export interface Comparison {
  label: string;
  /** The comparison's own median, same unit as the figure. */
  value: number;
}

export interface Goal {
  /** How the goal reads in the table, e.g. `≥ 0.5 × store ceiling`. */
  text: string;
  met: boolean;
}

export interface Figure {
  id: string;
  label: string;
  unit: string;
  /** Every run's value, in order. */
  runs: number[];
  median: number;
  comparison?: Comparison;
  /** median / comparison.value. */
  ratio?: number;
  /** Further comparisons shown beside the main one (no goal attached). */
  also?: Comparison[];
  goal?: Goal;
}

/** One earlier run of a benchmark, as docs/BENCHMARKS.md keeps it: when, and each figure's median and ratio. */
export interface PastRun {
  date: string;
  figures: Record<string, { median: number; ratio?: number }>;
}

export interface BenchResult {
  id: string;
  title: string;
  figures: Figure[];
  /** This run and the ones before it, newest first, at most three (written by the report). */
  history?: PastRun[];
  /** Anything that makes the run fail. */
  errors: string[];
  notes: string[];
  seconds: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function figure(
  id: string,
  label: string,
  unit: string,
  runs: number[],
  options: {
    comparison?: Comparison;
    also?: Comparison[];
    /** Builds the goal from the median and the ratio. */
    goal?: (median: number, ratio: number | undefined) => Goal;
  } = {},
): Figure {
  const m = median(runs);
  const ratio = options.comparison === undefined ? undefined : m / options.comparison.value;
  return {
    id,
    label,
    unit,
    runs,
    median: m,
    ...(options.comparison === undefined ? {} : { comparison: options.comparison }),
    ...(ratio === undefined ? {} : { ratio }),
    ...(options.also === undefined ? {} : { also: options.also }),
    ...(options.goal === undefined ? {} : { goal: options.goal(m, ratio) }),
  };
}

/** A benchmark's running record: errors and notes collected as it goes. */
export class Recorder {
  readonly figures: Figure[] = [];
  readonly errors: string[] = [];
  readonly notes: string[] = [];
  private readonly started = Date.now();

  constructor(
    readonly id: string,
    readonly title: string,
  ) {}

  add(f: Figure): Figure {
    this.figures.push(f);
    return f;
  }

  error(...messages: string[]): void {
    this.errors.push(...messages);
  }

  note(message: string): void {
    this.notes.push(message);
  }

  result(): BenchResult {
    return {
      id: this.id,
      title: this.title,
      figures: this.figures,
      errors: this.errors,
      notes: this.notes,
      seconds: (Date.now() - this.started) / 1000,
    };
  }
}
