import { describe, expect, it } from 'vitest';
import {
  chooseRoute,
  matches,
  parseMatcher,
  type Matcher,
  type RoutingFields,
} from '../../src/domain/route-matchers.js';
import type { AlertSignal } from '../../src/domain/alert.js';
import type { OncallConfig, Route } from '../../src/domain/oncall-config.js';
import { routeOf } from '../../src/domain/routing.js';

function matcher(text: string): Matcher {
  const parsed = parseMatcher(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.matcher;
}

const incident: RoutingFields = {
  source: 'alertmanager',
  severity: 'critical',
  title: 'Disk full on db-1',
  dedupKey: 'disk/db-1',
  labels: { team: 'payments', 'app.kubernetes.io/name': 'ledger', empty: '' },
};

describe('parseMatcher', () => {
  it('reads the four operators, quoted and bare values, and every field', () => {
    expect(matcher('source="alertmanager"')).toEqual({
      text: 'source="alertmanager"',
      field: 'source',
      operator: '=',
      value: 'alertmanager',
    });
    expect(matcher('label:team!=payments')).toMatchObject({
      field: 'label:team',
      operator: '!=',
      value: 'payments',
    });
    expect(matcher(' title =~ "Disk .*" ')).toMatchObject({
      field: 'title',
      operator: '=~',
      value: 'Disk .*',
    });
    expect(matcher('dedup_key!~"disk/.*"')).toMatchObject({ field: 'dedup_key', operator: '!~' });
    expect(matcher('severity=critical').value).toBe('critical');
    expect(matcher('label:team=""').value).toBe('');
    expect(matcher('label:team=').value).toBe('');
    expect(matcher('title="say \\"hi\\" \\\\ now"').value).toBe('say "hi" \\ now');
    expect(matcher('label:app.kubernetes.io/name=ledger').field).toBe('label:app.kubernetes.io/name');
  });

  it('anchors regexes as Alertmanager does', () => {
    const m = matcher('title=~"Disk"');
    expect(m.regex?.source).toBe('^(?:Disk)$');
    expect(matches(m, incident)).toBe(false);
    expect(matches(matcher('title=~"Disk.*"'), incident)).toBe(true);
    // The group keeps an alternation inside the anchors: "a|b" must not become "^a" or "b$".
    expect(matches(matcher('source=~"alert|alertmanager"'), incident)).toBe(true);
    expect(matches(matcher('source=~"alertmanager|x"'), { source: 'my-alertmanager' })).toBe(false);
  });

  it.each([
    [
      'title',
      'expected <field><op><value> with op =, !=, =~ or !~ (e.g. label:team="payments"), got "title"',
    ],
    ['', 'expected <field><op><value> with op =, !=, =~ or !~ (e.g. label:team="payments"), got ""'],
    ['team="payments"', 'unknown field "team": expected source, severity, title, dedup_key or label:<name>'],
    ['label:="x"', 'invalid label name "": expected letters, digits, _ . - or /, not starting with a digit'],
    [
      'label:9lives=x',
      'invalid label name "9lives": expected letters, digits, _ . - or /, not starting with a digit',
    ],
    [
      'title=two words',
      'invalid value two words: quote it with double quotes ("…", backslash escapes) or leave out spaces and quotes',
    ],
    [
      'title="unterminated',
      'invalid value "unterminated: quote it with double quotes ("…", backslash escapes) or leave out spaces and quotes',
    ],
    ['title=~"("', 'invalid regular expression "(": Unterminated group'],
    ['title!~"a{2,1}"', 'invalid regular expression "a{2,1}": numbers out of order in {} quantifier'],
    ['title=~"(?i)disk"', 'invalid regular expression "(?i)disk": Invalid group'],
    ['severity="crit"', 'severity is one of critical, error, warning, info, got "crit"'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseMatcher(text)).toEqual({ ok: false, reason });
  });
});

describe('matches', () => {
  it('treats a missing field as the empty string', () => {
    expect(matches(matcher('label:owner=""'), incident)).toBe(true);
    expect(matches(matcher('label:owner!="payments"'), incident)).toBe(true);
    expect(matches(matcher('label:owner=~".*"'), incident)).toBe(true);
    expect(matches(matcher('label:owner=~".+"'), incident)).toBe(false);
    expect(matches(matcher('source=""'), {})).toBe(true);
    expect(matches(matcher('label:empty=""'), incident)).toBe(true);
  });

  it('compares exactly (case and whole value)', () => {
    expect(matches(matcher('label:team=payments'), incident)).toBe(true);
    expect(matches(matcher('label:team=Payments'), incident)).toBe(false);
    expect(matches(matcher('label:team!=Payments'), incident)).toBe(true);
    expect(matches(matcher('dedup_key!~"disk/.*"'), incident)).toBe(false);
    expect(matches(matcher('severity=critical'), incident)).toBe(true);
  });

  it('works on a frozen matcher (the loaded config is deeply frozen)', () => {
    const m = matcher('title=~"Disk.*"');
    Object.freeze(m);
    Object.freeze(m.regex);
    expect(matches(m, incident)).toBe(true);
    expect(matches(m, incident)).toBe(true);
  });
});

describe('chooseRoute', () => {
  const route = (policy: string, texts: string[], channel?: string): Route => ({
    matchers: texts.map(matcher),
    policy,
    ...(channel === undefined ? {} : { channel }),
  });
  const config = {
    routes: [
      route('payments', ['source="alertmanager"', 'label:team="payments"'], 'C0PAYMENTS'),
      route('dba', ['title=~"(?:Disk|Replication) .*"']),
      route('catch-all', []),
    ],
    defaultPolicy: 'responders',
  };

  it('takes the first route whose matchers all match', () => {
    expect(chooseRoute(config, incident)).toEqual({ policy: 'payments', channel: 'C0PAYMENTS', route: 0 });
    expect(chooseRoute(config, { ...incident, source: 'generic' })).toEqual({ policy: 'dba', route: 1 });
    expect(chooseRoute(config, { title: 'CPU high' })).toEqual({ policy: 'catch-all', route: 2 });
  });

  it('falls back to the default policy', () => {
    expect(chooseRoute({ routes: config.routes.slice(0, 2), defaultPolicy: 'responders' }, {})).toEqual({
      policy: 'responders',
    });
    expect(chooseRoute({ routes: [], defaultPolicy: 'ops' }, incident)).toEqual({ policy: 'ops' });
  });
});

describe('routeOf', () => {
  const signal: AlertSignal = {
    action: 'trigger',
    title: 'Disk full on db-1',
    severity: 'critical',
    source: 'alertmanager',
    details: { team: 'payments' },
    links: [],
  };
  const payments: Route = {
    matchers: [matcher('label:team="payments"')],
    policy: 'payments',
    channel: 'C0PAY',
  };
  const policy = {
    id: 'payments',
    repeat: 0,
    steps: [],
  } as unknown as OncallConfig['escalationPolicies'][number];

  it('routes nothing without policies and routes, so the flat list behaves as before', () => {
    expect(
      routeOf({ escalationPolicies: [], routes: [], defaultPolicy: 'responders' }, signal),
    ).toBeUndefined();
  });

  it("gives the first matching route's policy and channel, else the default policy", () => {
    const config = { escalationPolicies: [policy], routes: [payments], defaultPolicy: 'responders' };
    expect(routeOf(config, signal)).toEqual({ policy: 'payments', channel: 'C0PAY' });
    expect(routeOf(config, { ...signal, details: { team: 'search' } })).toEqual({ policy: 'responders' });
  });
});
