/**
 * Alertmanager-style matchers (https://prometheus.io/docs/alerting/latest/configuration/#matcher) over an
 * incident's routing fields, and the first-match-wins route choice of `ONCALL_CONFIG` `routes`.
 *
 * A matcher is `<field><op><value>`: field `source`, `severity`, `title`, `dedup_key` or `label:<name>`; op `=`,
 * `!=`, `=~` or `!~`; value bare (`team=payments`) or double-quoted with JSON escapes (`title=~"disk .*"`).
 * As in Alertmanager, a regex must match the whole value (it is anchored as `^(?:regex)$`), and a field the
 * incident lacks counts as the empty string, so `label:team!="payments"` matches an incident without `team`.
 * Regexes are JavaScript's, not Go's RE2: most patterns read the same, but RE2's inline flags (`(?i)`) do not
 * exist here and are reported as invalid. They come from the operator's file, never from an alert.
 */
import { SEVERITIES } from './alert.js';
import type { OncallConfig, Route } from './oncall-config.js';

export const MATCH_OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type MatchOperator = (typeof MATCH_OPERATORS)[number];

export interface Matcher {
  /** The matcher as written, for display. */
  readonly text: string;
  /** `source`, `severity`, `title`, `dedup_key` or `label:<name>`. */
  readonly field: string;
  readonly operator: MatchOperator;
  readonly value: string;
  /** For `=~` and `!~`: the anchored pattern. */
  readonly regex?: RegExp;
}

/** What routing sees of an incident, from any source; absent fields match as ''. */
export interface RoutingFields {
  readonly source?: string;
  readonly severity?: string;
  readonly title?: string;
  readonly dedupKey?: string;
  /** Alertmanager labels, Events v2 custom details, … flattened to strings by the source's parser. */
  readonly labels?: Readonly<Record<string, string>>;
}

export type MatcherParseResult = { ok: true; matcher: Matcher } | { ok: false; reason: string };

const FIELDS = 'source, severity, title, dedup_key or label:<name>';
// Longer operators first, so `!=` is not read as a field ending in `!` followed by `=`.
const SHAPE = /^\s*([^\s=!~"]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;
const LABEL_NAME = /^[A-Za-z_][\w.\-/]*$/;
const BARE_VALUE = /^[^\s"]*$/;

export function parseMatcher(text: string): MatcherParseResult {
  const shape = SHAPE.exec(text);
  if (shape === null) {
    return {
      ok: false,
      reason: `expected <field><op><value> with op =, !=, =~ or !~ (e.g. label:team="payments"), got ${JSON.stringify(text)}`,
    };
  }
  const [, field = '', operator = '=', rawValue = ''] = shape;
  const fieldProblem = checkField(field);
  if (fieldProblem !== undefined) return { ok: false, reason: fieldProblem };
  const value = unquote(rawValue);
  if (value === undefined) {
    return {
      ok: false,
      reason: `invalid value ${rawValue}: quote it with double quotes ("…", backslash escapes) or leave out spaces and quotes`,
    };
  }
  const op = operator as MatchOperator;
  if (op === '=~' || op === '!~') {
    try {
      const regex = new RegExp(`^(?:${value})$`);
      return { ok: true, matcher: { text: text.trim(), field, operator: op, value, regex } };
    } catch (error) {
      const why = error instanceof Error ? error.message.replace(/^.*: /, '') : String(error);
      return { ok: false, reason: `invalid regular expression ${JSON.stringify(value)}: ${why}` };
    }
  }
  if (field === 'severity' && value !== '' && !(SEVERITIES as readonly string[]).includes(value)) {
    return {
      ok: false,
      reason: `severity is one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(value)}`,
    };
  }
  return { ok: true, matcher: { text: text.trim(), field, operator: op, value } };
}

function checkField(field: string): string | undefined {
  if (['source', 'severity', 'title', 'dedup_key'].includes(field)) return undefined;
  if (field.startsWith('label:')) {
    const name = field.slice('label:'.length);
    return LABEL_NAME.test(name)
      ? undefined
      : `invalid label name ${JSON.stringify(name)}: expected letters, digits, _ . - or /, not starting with a digit`;
  }
  return `unknown field ${JSON.stringify(field)}: expected ${FIELDS}`;
}

function unquote(raw: string): string | undefined {
  if (!raw.startsWith('"')) return BARE_VALUE.test(raw) ? raw : undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function fieldValue(fields: RoutingFields, field: string): string {
  switch (field) {
    case 'source':
      return fields.source ?? '';
    case 'severity':
      return fields.severity ?? '';
    case 'title':
      return fields.title ?? '';
    case 'dedup_key':
      return fields.dedupKey ?? '';
    default:
      return fields.labels?.[field.slice('label:'.length)] ?? '';
  }
}

export function matches(matcher: Matcher, fields: RoutingFields): boolean {
  const value = fieldValue(fields, matcher.field);
  switch (matcher.operator) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return matcher.regex?.test(value) === true;
    case '!~':
      return matcher.regex?.test(value) !== true;
  }
}

export interface RouteChoice {
  readonly policy: string;
  /** Where the incident posts, when the route names a channel. */
  readonly channel?: string;
  /** The index of the matching route in `routes`; absent when the default policy applies. */
  readonly route?: number;
}

/** The first route whose matchers all match, or the default policy. */
export function chooseRoute(
  config: Pick<OncallConfig, 'routes' | 'defaultPolicy'>,
  fields: RoutingFields,
): RouteChoice {
  const index = config.routes.findIndex((route: Route) => route.matchers.every((m) => matches(m, fields)));
  const route = config.routes[index];
  if (route === undefined) return { policy: config.defaultPolicy };
  return {
    policy: route.policy,
    route: index,
    ...(route.channel === undefined ? {} : { channel: route.channel }),
  };
}
