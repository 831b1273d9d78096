import { describe, expect, it } from 'vitest';
import {
  askedForOwnMessage,
  DIGEST_FIRST_KEPT,
  DIGEST_GROUPS_KEPT,
  digestIdOf,
  digestMinuteOf,
  groupLabelOf,
  groupsInOrder,
  inDigestOnly,
  joinsDigest,
  memberOf,
  MEMBER_TITLE_MAX,
  placeReopened,
  previousMinute,
  summaryOf,
  wantsOwnMessage,
  type DigestMember,
} from '../../src/domain/digest.js';
import {
  acknowledge,
  addTimelineEntry,
  openIncident,
  resolve,
  type Incident,
} from '../../src/domain/incident.js';
import { foldSignal } from '../../src/domain/incident-repeats.js';
import { reopenIncident } from '../../src/domain/reopen.js';

const T0 = Date.UTC(2026, 0, 14, 10, 31, 42, 500);

function digested(overrides: Partial<Incident> = {}): Incident {
  return {
    ...openIncident({
      number: 12,
      signal: {
        action: 'trigger',
        title: 'Checkout 5xx',
        severity: 'critical',
        source: 'alertmanager',
        details: { alertname: 'Http5xx', service: 'checkout' },
        links: [],
      },
      fingerprint: 'fp-12',
      now: T0,
    }),
    digest: { id: 'alerts/2026-01-14T10:31Z' },
    ...overrides,
  };
}

describe('channel-minutes', () => {
  it('cuts time into calendar minutes and names a digest by channel and minute', () => {
    expect(digestMinuteOf(T0)).toBe('2026-01-14T10:31:00.000Z');
    expect(digestMinuteOf(Date.UTC(2026, 0, 14, 10, 31, 59, 999))).toBe('2026-01-14T10:31:00.000Z');
    expect(previousMinute('2026-01-14T10:00:00.000Z')).toBe('2026-01-14T09:59:00.000Z');
    expect(digestIdOf('alerts', digestMinuteOf(T0))).toBe('alerts/2026-01-14T10:31Z');
  });
});

describe('joinsDigest', () => {
  it('shows the first DIGEST_AFTER of a minute one by one and digests the rest', () => {
    const decide = (ordinal: number) => joinsDigest({ ordinal, digestAfter: 5, previousOpened: 0 });
    expect([1, 2, 3, 4, 5, 6, 7, 500].map(decide)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('goes on digesting from the first incident of a minute that follows a storm', () => {
    expect(joinsDigest({ ordinal: 1, digestAfter: 5, previousOpened: 6 })).toBe(true);
    expect(joinsDigest({ ordinal: 1, digestAfter: 5, previousOpened: 5 })).toBe(false);
  });

  it('never digests with DIGEST_AFTER 0', () => {
    expect(joinsDigest({ ordinal: 10_000, digestAfter: 0, previousOpened: 10_000 })).toBe(false);
  });
});

describe('members and groups', () => {
  it('groups by the first of the grouping labels an incident has', () => {
    expect(groupLabelOf({ service: 'checkout', alertname: 'Http5xx' })).toBe('alertname=Http5xx');
    expect(groupLabelOf({ service: ' checkout ', job: 7 })).toBe('service=checkout');
    expect(groupLabelOf({ instance: 'i-1', job: 42 })).toBeUndefined();
    expect(groupLabelOf(undefined)).toBeUndefined();
  });

  it('keeps what a digest shows of an incident small', () => {
    const member = memberOf(digested({ title: 'x'.repeat(5000) }));
    expect(member).toMatchObject({
      id: 'INC-12',
      number: 12,
      severity: 'critical',
      source: 'alertmanager',
      label: 'alertname=Http5xx',
    });
    expect(member.title).toHaveLength(MEMBER_TITLE_MAX);
  });

  it('orders groups by size, then by name, each with its worst severity', () => {
    const m = (
      id: number,
      source: string,
      severity: DigestMember['severity'],
      label?: string,
    ): DigestMember => ({
      id: `INC-${id}`,
      number: id,
      title: `t${id}`,
      severity,
      source,
      ...(label === undefined ? {} : { label }),
    });
    const groups = groupsInOrder(
      summaryOf([
        m(1, 'grafana', 'warning', 'service=a'),
        m(2, 'alertmanager', 'info', 'alertname=X'),
        m(3, 'grafana', 'critical', 'service=a'),
        m(4, 'alertmanager', 'warning', 'alertname=X'),
        m(5, 'zabbix', 'error'),
      ]).groups,
    );
    expect(groups).toEqual([
      { source: 'alertmanager', label: 'alertname=X', count: 2, severity: 'warning' },
      { source: 'grafana', label: 'service=a', count: 2, severity: 'critical' },
      { source: 'zabbix', count: 1, severity: 'error' },
    ]);
  });

  it('keeps the first few members and DIGEST_GROUPS_KEPT groups, counting the rest, however large the storm', () => {
    const many = Array.from({ length: 5000 }, (_, i): DigestMember => ({
      id: `INC-${i + 1}`,
      number: i + 1,
      title: 't',
      severity: 'error',
      source: `s${i}`,
    }));
    const summary = summaryOf(many);
    expect(summary.count).toBe(5000);
    expect(summary.first.map((f) => f.number)).toEqual([1, 2, 3, 4, 5].slice(0, DIGEST_FIRST_KEPT));
    expect(summary.groups).toHaveLength(DIGEST_GROUPS_KEPT);
    expect(summary.ungrouped).toBe(5000 - DIGEST_GROUPS_KEPT);
  });
});

describe('when a digested incident gets its own message', () => {
  const later = T0 + 60_000;

  it('is shown by its digest alone until then', () => {
    expect(inDigestOnly(digested())).toBe(true);
    expect(inDigestOnly(digested({ digest: { id: 'd', ownMessageAt: 'x' } }))).toBe(false);
    expect(inDigestOnly(digested({ slack: { channel: 'C1', ts: '1.2' } }))).toBe(false);
    const { digest: _digest, ...plain } = digested();
    expect(inDigestOnly(plain)).toBe(false);
  });

  it('stays in the digest for what signals do: repeats, a severity raise, a resolve from the source', () => {
    const before = digested({ severity: 'warning' });
    const raised = foldSignal(
      before,
      { action: 'trigger', title: 'Checkout 5xx', severity: 'critical', source: 'alertmanager', links: [] },
      later,
    );
    if (!raised.ok) throw new Error('fold');
    expect(wantsOwnMessage(before, raised.incident, later)).toBe(raised.incident);
    const resolved = resolve(before, { by: 'system:alertmanager', now: later });
    if (!resolved.ok) throw new Error('resolve');
    expect(inDigestOnly(wantsOwnMessage(before, resolved.incident, later))).toBe(true);
  });

  it('leaves it when a person acts on it or its escalation reaches it, in the same change', () => {
    const before = digested();
    const acked = acknowledge(before, { by: 'U0ALICE01', now: later });
    if (!acked.ok) throw new Error('ack');
    const next = wantsOwnMessage(before, acked.incident, later);
    expect(next.digest).toEqual({ id: before.digest!.id, ownMessageAt: new Date(later).toISOString() });
    expect(next.status).toBe('acknowledged');
    expect(askedForOwnMessage(before, next)).toBe(true);

    const called = addTimelineEntry(before, { kind: 'escalation', text: 'Calling responder 1', now: later });
    expect(inDigestOnly(wantsOwnMessage(before, called, later))).toBe(false);
  });

  it('asks once: a later change neither asks again nor touches an incident outside any digest', () => {
    const asked = digested({ digest: { id: 'd', ownMessageAt: new Date(T0).toISOString() } });
    const noted = addTimelineEntry(asked, { kind: 'note', actor: 'U0BOB0001', text: 'hi', now: later });
    expect(wantsOwnMessage(asked, noted, later)).toBe(noted);
    expect(askedForOwnMessage(asked, noted)).toBe(false);
    const { digest: _digest, ...plain } = digested();
    const plainNoted = addTimelineEntry(plain, { kind: 'note', actor: 'U0BOB0001', text: 'hi', now: later });
    expect(wantsOwnMessage(plain, plainNoted, later)).toBe(plainNoted);
  });
});

describe('a reopen of a digested incident (a new firing)', () => {
  const later = T0 + 10 * 60_000;
  const firing = {
    action: 'trigger' as const,
    title: 'Checkout 5xx',
    severity: 'critical' as const,
    source: 'alertmanager',
    links: [],
  };
  function reopened(before: Incident): Incident {
    const resolved = resolve(before, { by: 'system:alertmanager', now: T0 + 60_000 });
    if (!resolved.ok) throw new Error('resolve');
    const r = reopenIncident(resolved.incident, firing, { now: later, windowMs: 3_600_000 });
    if (!r.ok) throw new Error(r.reason);
    return r.incident;
  }

  it('is a signal: on its own it would leave the incident in its old digest', () => {
    const before = digested();
    const again = reopened(before);
    expect(inDigestOnly(wantsOwnMessage(before, again, later))).toBe(true);
  });

  it('joins the digest a new incident would join now, or gets a message of its own when there is none', () => {
    const again = reopened(digested());
    const placed = placeReopened(again, { id: 'alerts/2026-01-14T10:41Z' }, later);
    expect(placed.digest).toEqual({ id: 'alerts/2026-01-14T10:41Z' });
    expect(inDigestOnly(placed)).toBe(true);
    expect(placed.status).toBe('triggered');

    const alone = placeReopened(again, undefined, later);
    expect(alone.digest).toEqual({ id: again.digest!.id, ownMessageAt: new Date(later).toISOString() });
    expect(askedForOwnMessage(digested(), alone)).toBe(true);
  });

  it('leaves an incident with its own message (or one asked for) where it is', () => {
    const withMessage = reopened(digested({ slack: { channel: 'C1', ts: '1.2' } }));
    expect(placeReopened(withMessage, { id: 'x' }, later)).toBe(withMessage);
    const asked = reopened(digested({ digest: { id: 'd', ownMessageAt: new Date(T0).toISOString() } }));
    expect(placeReopened(asked, { id: 'x' }, later)).toBe(asked);
    const { digest: _digest, ...plain } = digested();
    const plainAgain = reopened(plain);
    expect(placeReopened(plainAgain, { id: 'x' }, later)).toBe(plainAgain);
  });

  it('is marked reopened in the digest it joins', () => {
    expect(memberOf(reopened(digested())).reopened).toBe(true);
    expect(memberOf(digested())).not.toHaveProperty('reopened');
  });
});
