/**
 * What routing (ONCALL_CONFIG `routes`, src/domain/route-matchers.ts) sees of an alert signal, from any source:
 * - `source`: the source family for the senders whose source names one (`alertmanager` for
 *   `alertmanager:<receiver>`, `job` for `job:<job_key>`, `sns` for `sns:<topic>`), otherwise the sender's own
 *   `source` verbatim (the generic API's and Events v2's `source`, a CloudWatch log group, `slack` for a
 *   hand-opened incident);
 * - `severity`, `title` (as sent), `dedup_key`;
 * - `label:<name>`: every scalar in the signal's details (Alertmanager labels and annotations, Events v2
 *   `custom_details`, `component`, `group` and `class`, a job's `job_key`, the generic API's `details`), plus the
 *   routing-only labels a route adds without storing them (Events v2 `routing_key`, Alertmanager `receiver`).
 * Pure: nothing here is stored; the incident keeps only the policy and channel the route chose.
 */
import { DEFAULT_SEVERITY, type AlertSignal } from './alert.js';
import type { OncallConfig } from './oncall-config.js';
import { chooseRoute, type RoutingFields } from './route-matchers.js';

/** Sources written `<family>:<name>` by Hikeshi's own parsers. */
const FAMILIES = new Set(['alertmanager', 'job', 'sns']);

export function routingSourceOf(source: string | undefined): string | undefined {
  if (source === undefined) return undefined;
  const colon = source.indexOf(':');
  const family = colon > 0 ? source.slice(0, colon) : undefined;
  return family !== undefined && FAMILIES.has(family) ? family : source;
}

function labelText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function routingFieldsOf(
  signal: Pick<AlertSignal, 'source' | 'severity' | 'title' | 'dedupKey' | 'details' | 'routingLabels'>,
): RoutingFields {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(signal.details ?? {})) {
    const text = labelText(value);
    if (text !== undefined) labels[name] = text;
  }
  Object.assign(labels, signal.routingLabels);
  const source = routingSourceOf(signal.source);
  return {
    ...(source === undefined ? {} : { source }),
    // The severity the incident opens with: a signal that does not say opens as the default.
    severity: signal.severity ?? DEFAULT_SEVERITY,
    title: signal.title,
    ...(signal.dedupKey === undefined ? {} : { dedupKey: signal.dedupKey }),
    labels,
  };
}

/**
 * The route of a new incident: the config's first matching route, or its default policy. Without policies and
 * routes (no file, or one with schedules only) nothing is routed: incidents look and escalate exactly as before
 * (the flat list, no "Policy:" line on the message).
 */
export function routeOf(
  config: Pick<OncallConfig, 'escalationPolicies' | 'routes' | 'defaultPolicy'>,
  signal: AlertSignal,
): { policy: string; channel?: string } | undefined {
  if (config.escalationPolicies.length === 0 && config.routes.length === 0) return undefined;
  const choice = chooseRoute(config, routingFieldsOf(signal));
  return { policy: choice.policy, ...(choice.channel === undefined ? {} : { channel: choice.channel }) };
}
