/**
 * Prometheus Alertmanager's webhook (`webhook_config`, payload version "4"):
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 *
 * One notification carries a group of alerts; each alert becomes its own signal, so each label set (Alertmanager's
 * `fingerprint`) is its own incident, and a `resolved` alert resolves exactly the incident it opened.
 */
import * as z from '../zod.js';
import { normalizeTitle, toIsoTimestamp, type AlertLink, type AlertSignal, type Severity } from '../alert.js';
import { TITLE_MAX } from './generic.js';
import { firstIssue, isHttpUrl, type ParseFailure } from './parse-result.js';

const stringMap = z.record(z.string(), z.string());

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: z.optional(stringMap),
  startsAt: z.optional(z.string()),
  endsAt: z.optional(z.string()),
  generatorURL: z.optional(z.string()),
  // Alertmanager added `fingerprint` in 0.19; older senders omit it.
  fingerprint: z.optional(z.string()),
});

export const alertmanagerWebhookSchema = z.object({
  // Only "4" exists today. Any string is accepted so a future minor version is not refused at 3 a.m.; the fields
  // read below are validated one by one instead.
  version: z.string(),
  groupKey: z.optional(z.string()),
  truncatedAlerts: z.optional(z.int().check(z.nonnegative())),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: z.optional(stringMap),
  commonLabels: z.optional(stringMap),
  commonAnnotations: z.optional(stringMap),
  externalURL: z.optional(z.string()),
  alerts: z.array(alertSchema),
});

export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;
type AlertmanagerAlert = AlertmanagerWebhook['alerts'][number];

export type AlertmanagerResult =
  | { ok: true; signals: AlertSignal[]; receiver: string; groupKey?: string; truncatedAlerts: number }
  | ParseFailure;

/**
 * `labels.severity` → Severity. Covers the usual conventions (Prometheus mixins use critical/warning/info;
 * PagerDuty-style setups use page/high/low); any other value is `error`. No label (or an empty one) is no
 * severity: the incident opens with the default, and a repeat keeps what it has.
 */
export function mapAlertmanagerSeverity(label: string | undefined): Severity | undefined {
  const value = label?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  switch (value) {
    case 'critical':
    case 'page':
      return 'critical';
    case 'error':
    case 'high':
      return 'error';
    case 'warning':
    case 'warn':
      return 'warning';
    case 'info':
    case 'low':
    case 'none':
      return 'info';
    default:
      return 'error';
  }
}

export function parseAlertmanagerWebhook(json: unknown): AlertmanagerResult {
  const parsed = alertmanagerWebhookSchema.safeParse(json);
  if (!parsed.success) return firstIssue(parsed.error);
  const body = parsed.data;
  return {
    ok: true,
    signals: body.alerts.map((alert) => alertToSignal(alert, body)),
    receiver: body.receiver,
    ...(body.groupKey !== undefined ? { groupKey: body.groupKey } : {}),
    truncatedAlerts: body.truncatedAlerts ?? 0,
  };
}

function alertToSignal(alert: AlertmanagerAlert, body: AlertmanagerWebhook): AlertSignal {
  const labels = alert.labels;
  const annotations = alert.annotations ?? {};
  const alertname = nonEmpty(labels['alertname']);
  const title = (nonEmpty(annotations['summary']) ?? alertname ?? 'Alertmanager alert').slice(0, TITLE_MAX);
  const message = nonEmpty(annotations['description']) ?? nonEmpty(annotations['message']);
  const occurredAt = toIsoTimestamp(alert.status === 'resolved' ? alert.endsAt : alert.startsAt);
  const severity = mapAlertmanagerSeverity(labels['severity']);
  // Alertmanager re-sends a firing group every group_interval and repeat_interval; one firing is one
  // (fingerprint, startsAt), and a changed startsAt is a new firing.
  const startsAt = alert.status === 'firing' ? toIsoTimestamp(alert.startsAt) : undefined;
  return {
    action: alert.status === 'resolved' ? 'resolve' : 'trigger',
    title,
    ...(severity !== undefined ? { severity } : {}),
    ...(startsAt !== undefined ? { firingId: startsAt } : {}),
    source: `alertmanager:${body.receiver}`,
    dedupKey: alertDedupKey(alert),
    details: alertDetails(labels, annotations),
    links: alertLinks(alert, annotations, body.externalURL),
    ...(message !== undefined ? { message } : {}),
    ...(occurredAt !== undefined ? { occurredAt } : {}),
  };
}

/**
 * `am:<fingerprint>`; without one, `am:<alertname>{k="v",…}` over the sorted labels — the same identity
 * Alertmanager's fingerprint hashes, in readable form.
 */
export function alertDedupKey(alert: Pick<AlertmanagerAlert, 'fingerprint' | 'labels'>): string {
  const fingerprint = nonEmpty(alert.fingerprint);
  if (fingerprint !== undefined) return `am:${fingerprint}`;
  const { alertname, ...rest } = alert.labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`);
  return `am:${normalizeTitle(alertname ?? '')}{${pairs.join(',')}}`;
}

/**
 * Labels first, then annotations other than summary/description (already the title and message). An annotation
 * whose name a label already uses is kept as `annotations.<name>`.
 */
function alertDetails(
  labels: Record<string, string>,
  annotations: Record<string, string>,
): Record<string, unknown> {
  const details: Record<string, unknown> = { ...labels };
  for (const [key, value] of Object.entries(annotations)) {
    if (key === 'summary' || key === 'description') continue;
    details[key in details ? `annotations.${key}` : key] = value;
  }
  return details;
}

function alertLinks(
  alert: AlertmanagerAlert,
  annotations: Record<string, string>,
  externalURL: string | undefined,
): AlertLink[] {
  const candidates: AlertLink[] = [
    { title: 'Runbook', url: annotations['runbook_url'] ?? '' },
    { title: 'Source', url: alert.generatorURL ?? '' },
    { title: 'Alertmanager', url: externalURL ?? '' },
  ];
  return candidates.filter((link) => isHttpUrl(link.url));
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
