/**
 * Metrics port: counters and gauges that services and adapters update, exposed by the composition root (in
 * Prometheus text format at `GET /metrics`, src/integrations/prometheus-metrics.ts). Passed in from app.ts, never a
 * module global, so two apps in one process (tests, a peer) keep separate figures.
 *
 * Label values must come from small fixed sets (a route pattern, an outcome, a Slack method): never an
 * incident id, a user or a message, which would make one time series per value.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Counter {
  /** `inc(labels, 0)` declares a series at zero, so `rate()` and "> 0" alerts have a starting point. */
  inc(labels?: Labels, by?: number): void;
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
}

export interface MetricSample {
  labels?: Labels;
  value: number;
}

export interface Metrics {
  /** A monotonically increasing count; `name` ends in `_total`. The same name returns the same counter. */
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string): Gauge;
  /** A gauge read when metrics are scraped (e.g. open incidents by status, read from the store). */
  collect(name: string, help: string, read: () => Promise<MetricSample[]> | MetricSample[]): void;
}

const noCounter: Counter = { inc: () => undefined };
const noGauge: Gauge = { set: () => undefined };

/** Records nothing: the default where no registry is wired (unit tests, scripts). */
export const noMetrics: Metrics = {
  counter: () => noCounter,
  gauge: () => noGauge,
  collect: () => undefined,
};
