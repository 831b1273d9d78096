/**
 * The Metrics port as a small in-process registry rendered in the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): `# HELP` and `# TYPE`
 * once per metric, then one `name{label="value"} number` line per series. Written here rather than taking
 * prom-client as a dependency: counters, gauges and scrape-time gauges are all Hikeshi needs.
 *
 * Figures are per process. On Lambda each instance has its own, so scrape a server deployment, or use
 * CloudWatch there (docs/RELIABILITY.md).
 */
import type { Counter, Gauge, Labels, MetricSample, Metrics } from '../services/ports/metrics.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Kind = 'counter' | 'gauge';

interface Family {
  name: string;
  help: string;
  kind: Kind;
  /** Series by their rendered label set. */
  series: Map<string, number>;
  read?: () => Promise<MetricSample[]> | MetricSample[];
}

/** One metric's series as they stand: what a cluster worker sends its primary to add up (src/cluster.ts). */
export interface FamilySnapshot {
  name: string;
  help: string;
  kind: Kind;
  /** [rendered label set, value] pairs. */
  series: [string, number][];
}

export interface MetricsRegistry extends Metrics {
  /** Every metric in the text format, scrape-time gauges read now. */
  render(): Promise<string>;
  /**
   * Every metric's series now. `collected: false` leaves out the scrape-time gauges (they read shared state, the
   * store, which one process reads for all).
   */
  snapshot(options?: { collected?: boolean }): Promise<FamilySnapshot[]>;
  /** The current value of one series (tests, and the figures in docs/RELIABILITY.md). */
  value(name: string, labels?: Labels): number;
}

/** `\` and newlines are escaped in HELP; label values also escape `"`. */
const escapeHelp = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/**
 * Rendered label sets by the labels as given (names and values in the caller's order): a hot counter is
 * incremented with the same few label sets again and again, and rendering one (sort, check, escape) cost more
 * than the rest of the increment (issue 10, B2). Bounded, as a label set's values could come from requests.
 */
const renderedLabels = new Map<string, string>();
const RENDERED_LABELS_MAX = 10_000;

function labelKey(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  let given = '';
  // Length-prefixed, so no name or value can make two different label sets look alike.
  for (const name in labels) {
    const value = labels[name] ?? '';
    given += `${name.length}:${name}${value.length}:${value}`;
  }
  const known = renderedLabels.get(given);
  if (known !== undefined) return known;
  const rendered = renderLabels(labels);
  if (renderedLabels.size >= RENDERED_LABELS_MAX) renderedLabels.clear();
  renderedLabels.set(given, rendered);
  return rendered;
}

function renderLabels(labels: Labels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return '';
  for (const name of names) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`invalid metric label ${name}`);
  }
  return `{${names.map((n) => `${n}="${escapeLabel(labels[n] ?? '')}"`).join(',')}}`;
}

/** Prometheus reads Go float syntax: integers as is, and `+Inf`, `-Inf`, `NaN` spelled its way. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family>();

  function family(name: string, help: string, kind: Kind): Family {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    if (kind === 'counter' && !name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
    const existing = families.get(name);
    if (existing) {
      if (existing.kind !== kind) throw new Error(`metric ${name} is already a ${existing.kind}`);
      return existing;
    }
    const created: Family = { name, help, kind, series: new Map() };
    families.set(name, created);
    return created;
  }

  return {
    counter(name, help): Counter {
      const f = family(name, help, 'counter');
      return {
        inc(labels, by = 1) {
          if (!(by >= 0)) throw new Error(`counter ${name} can only go up (got ${by})`);
          const key = labelKey(labels);
          f.series.set(key, (f.series.get(key) ?? 0) + by);
        },
      };
    },

    gauge(name, help): Gauge {
      const f = family(name, help, 'gauge');
      return {
        set(value, labels) {
          f.series.set(labelKey(labels), value);
        },
      };
    },

    collect(name, help, read) {
      family(name, help, 'gauge').read = read;
    },

    value(name, labels) {
      return families.get(name)?.series.get(labelKey(labels)) ?? 0;
    },

    render() {
      return this.snapshot().then(renderFamilies);
    },

    async snapshot(options = {}) {
      const out: FamilySnapshot[] = [];
      for (const f of families.values()) {
        if (f.read && options.collected === false) continue;
        let series: [string, number][] = [...f.series];
        if (f.read) {
          try {
            series = (await f.read()).map((s) => [labelKey(s.labels), s.value]);
          } catch {
            // A failed read (store unavailable) leaves the series out rather than failing the whole scrape.
            series = [];
          }
        }
        out.push({ name: f.name, help: f.help, kind: f.kind, series });
      }
      return out;
    },
  };
}

/** The text exposition of some families. */
export function renderFamilies(families: readonly FamilySnapshot[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.kind}`);
    for (const [key, value] of f.series) out.push(`${f.name}${key} ${formatValue(value)}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/**
 * The processes of one deployment as one: each series is the sum over the processes that have it (counters add
 * up; the gauges a process sets count its own share, such as requests in flight). Scrape-time gauges come from one
 * process only (`snapshot({ collected: false })` in the others), so nothing is counted twice.
 */
export function mergeFamilies(perProcess: readonly (readonly FamilySnapshot[])[]): FamilySnapshot[] {
  const merged = new Map<string, { family: FamilySnapshot; series: Map<string, number> }>();
  for (const families of perProcess) {
    for (const f of families) {
      let entry = merged.get(f.name);
      if (!entry) {
        entry = { family: { ...f, series: [] }, series: new Map() };
        merged.set(f.name, entry);
      }
      for (const [key, value] of f.series) entry.series.set(key, (entry.series.get(key) ?? 0) + value);
    }
  }
  return [...merged.values()].map(({ family, series }) => ({ ...family, series: [...series] }));
}
