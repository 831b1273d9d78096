import { describe, expect, it } from 'vitest';
import type { AlertSignal } from '../../src/domain/alert.js';
import { fingerprintOf } from '../../src/domain/alert.js';
import {
  acknowledge,
  addTimelineEntry,
  appendEntry,
  attachSlackMessage,
  formatIncidentId,
  isOpen,
  LINKS_MAX,
  mergeLinks,
  openIncident,
  parseIncidentId,
  resolve,
  TIMELINE_LIMIT,
  TIMELINE_TEXT_MAX,
  toggleWatcher,
  type Incident,
  type TimelineEntry,
} from '../../src/domain/incident.js';
import { foldSignal } from '../../src/domain/incident-repeats.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const MIN = 60_000;

const signal: AlertSignal = {
  action: 'trigger',
  title: 'Disk 91% on i-0abc123def',
  message: 'Only 9% left on /',
  severity: 'error',
  source: 'nagios',
  details: { host: 'i-0abc123def' },
  links: [{ title: 'Graph', url: 'https://grafana.example.com/d/1' }],
};

function open(): Incident {
  return openIncident({ number: 42, signal, fingerprint: fingerprintOf(signal), now: T0 });
}

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

describe('incident ids', () => {
  it('formats and parses', () => {
    expect(formatIncidentId(42)).toBe('INC-42');
    for (const text of ['INC-42', 'inc-42', 'Inc42', '#42', '42', ' 42 ', 'INC-0042']) {
      expect(parseIncidentId(text)).toBe('INC-42');
    }
    for (const text of ['', 'INC-', 'INC-0', 'INC-4x', 'abc', '-1', '1.5', 'INC 42', '1234567890']) {
      expect(parseIncidentId(text)).toBeUndefined();
    }
  });
});

describe('openIncident', () => {
  it('opens a triggered incident from the first signal', () => {
    const incident = open();
    expect(incident).toEqual({
      id: 'INC-42',
      number: 42,
      fingerprint: fingerprintOf(signal),
      status: 'triggered',
      severity: 'error',
      title: 'Disk 91% on i-0abc123def',
      message: 'Only 9% left on /',
      source: 'nagios',
      details: { host: 'i-0abc123def' },
      links: [{ title: 'Graph', url: 'https://grafana.example.com/d/1' }],
      count: 1,
      firstSeenAt: '2026-01-01T00:00:00.000Z',
      lastSeenAt: '2026-01-01T00:00:00.000Z',
      watchers: [],
      timeline: [
        {
          at: '2026-01-01T00:00:00.000Z',
          kind: 'opened',
          actor: 'system:nagios',
          text: 'Opened from nagios (error)',
        },
      ],
      version: 1,
    });
    expect(isOpen(incident)).toBe(true);
  });

  it('leaves optional fields out rather than undefined', () => {
    const incident = openIncident({
      number: 1,
      signal: { action: 'trigger', title: 't', severity: 'info', links: [] },
      fingerprint: 'f',
      now: T0,
      openedBy: 'U0123ABCD',
    });
    expect(Object.keys(incident)).not.toContain('message');
    expect(Object.keys(incident)).not.toContain('source');
    expect(Object.keys(incident)).not.toContain('details');
    expect(incident.timeline[0]).toMatchObject({ actor: 'U0123ABCD', text: 'Opened by hand (info)' });
  });
});

describe('foldSignal', () => {
  it('a signal standing for several firings (count) opens and folds by that many', () => {
    const opened = openIncident({ number: 7, signal: { ...signal, count: 1000 }, fingerprint: 'f', now: T0 });
    expect(opened.count).toBe(1000);
    expect(ok(foldSignal(opened, { ...signal, count: 24 }, T0 + MIN)).incident.count).toBe(1024);
    // Nonsense counts stand for one firing.
    expect(ok(foldSignal(opened, { ...signal, count: 0 }, T0 + MIN)).incident.count).toBe(1001);
    expect(ok(foldSignal(opened, { ...signal, count: 2.5 }, T0 + MIN)).incident.count).toBe(1001);
  });

  it('counts, moves last seen, refreshes message/details and keeps the title', () => {
    const repeat: AlertSignal = {
      ...signal,
      title: 'Disk 92% on i-0abc123def',
      message: 'Only 8% left',
      details: { host: 'h', free: 8 },
    };
    const { incident, escalated } = ok(foldSignal(open(), repeat, T0 + 5 * MIN));
    expect(incident).toMatchObject({
      count: 2,
      lastSeenAt: '2026-01-01T00:05:00.000Z',
      firstSeenAt: '2026-01-01T00:00:00.000Z',
      message: 'Only 8% left',
      details: { host: 'h', free: 8 },
      title: 'Disk 91% on i-0abc123def',
      severity: 'error',
      version: 2,
    });
    expect(escalated).toBe(false);
    expect(incident.timeline).toHaveLength(1);
  });

  it('keeps message and details when the repeat has none', () => {
    const { incident } = ok(
      foldSignal(open(), { action: 'trigger', title: 'x', severity: 'info', links: [] }, T0 + MIN),
    );
    expect(incident.message).toBe('Only 9% left on /');
    expect(incident.details).toEqual({ host: 'i-0abc123def' });
  });

  it('escalates severity to the worst seen and never lowers it', () => {
    const up = ok(foldSignal(open(), { ...signal, severity: 'critical' }, T0 + MIN));
    expect(up.escalated).toBe(true);
    expect(up.incident.severity).toBe('critical');
    expect(up.incident.timeline.at(-1)).toMatchObject({
      kind: 'folded',
      text: expect.stringContaining('error → critical') as unknown,
    });
    const down = ok(foldSignal(up.incident, { ...signal, severity: 'info' }, T0 + 2 * MIN));
    expect(down.escalated).toBe(false);
    expect(down.incident.severity).toBe('critical');
  });

  it('counts 50 identical alerts as 50', () => {
    let incident = open();
    for (let i = 1; i < 50; i++) incident = ok(foldSignal(incident, signal, T0 + i * 1000)).incident;
    expect(incident.count).toBe(50);
    expect(incident.version).toBe(50);
    expect(incident.timeline).toHaveLength(1);
  });

  it('never moves last seen backwards', () => {
    const later = ok(foldSignal(open(), signal, T0 + 10 * MIN)).incident;
    const earlier = ok(foldSignal(later, signal, T0 + 5 * MIN)).incident;
    expect(earlier.lastSeenAt).toBe('2026-01-01T00:10:00.000Z');
  });

  it('merges links by URL', () => {
    const { incident } = ok(
      foldSignal(
        open(),
        {
          ...signal,
          links: [
            { title: 'Graph again', url: 'https://grafana.example.com/d/1' },
            { title: 'Logs', url: 'https://logs.example.com' },
          ],
        },
        T0,
      ),
    );
    expect(incident.links.map((l) => l.title)).toEqual(['Graph', 'Logs']);
    const many = Array.from({ length: 20 }, (_, i) => ({ title: `l${i}`, url: `https://x.example/${i}` }));
    expect(mergeLinks([], many)).toHaveLength(LINKS_MAX);
  });

  it('does not fold into a resolved incident', () => {
    const resolved = ok(resolve(open(), { by: 'U1', now: T0 + MIN })).incident;
    expect(foldSignal(resolved, signal, T0 + 2 * MIN)).toEqual({ ok: false, reason: 'resolved' });
  });
});

describe('acknowledge', () => {
  it('acknowledges a triggered incident', () => {
    const { incident } = ok(acknowledge(open(), { by: 'U0AAA', now: T0 + MIN }));
    expect(incident).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'U0AAA',
      acknowledgedAt: '2026-01-01T00:01:00.000Z',
      version: 2,
    });
    expect(incident.timeline.at(-1)).toEqual({
      at: '2026-01-01T00:01:00.000Z',
      kind: 'acknowledged',
      actor: 'U0AAA',
      text: 'Acknowledged',
    });
  });

  it('tells the second acknowledger who was first', () => {
    const first = ok(acknowledge(open(), { by: 'U0AAA', now: T0 + MIN })).incident;
    expect(acknowledge(first, { by: 'U0BBB', now: T0 + 2 * MIN })).toEqual({
      ok: false,
      reason: 'already_acknowledged',
      by: 'U0AAA',
    });
  });

  it('refuses a resolved incident', () => {
    const resolved = ok(resolve(open(), { by: 'U0AAA', now: T0 + MIN })).incident;
    expect(acknowledge(resolved, { by: 'U0BBB', now: T0 + 2 * MIN })).toEqual({
      ok: false,
      reason: 'resolved',
    });
  });
});

describe('resolve', () => {
  it('resolves straight from triggered, by a signal', () => {
    const { incident } = ok(resolve(open(), { by: 'system:nagios', now: T0 + 3 * MIN }));
    expect(incident).toMatchObject({
      status: 'resolved',
      resolvedBy: 'system:nagios',
      resolvedAt: '2026-01-01T00:03:00.000Z',
    });
    expect(incident).not.toHaveProperty('resolveNote');
    expect(isOpen(incident)).toBe(false);
  });

  it('resolves from acknowledged with a note', () => {
    const acked = ok(acknowledge(open(), { by: 'U0AAA', now: T0 + MIN })).incident;
    const { incident } = ok(
      resolve(acked, { by: 'U0AAA', note: '  Rotated logs, 40% free now ', now: T0 + 9 * MIN }),
    );
    expect(incident.resolveNote).toBe('Rotated logs, 40% free now');
    expect(incident.timeline.at(-1)).toMatchObject({
      kind: 'resolved',
      text: 'Resolved: Rotated logs, 40% free now',
    });
    expect(incident.acknowledgedBy).toBe('U0AAA');
  });

  it('refuses to resolve twice', () => {
    const resolved = ok(resolve(open(), { by: 'U0AAA', now: T0 + MIN })).incident;
    expect(resolve(resolved, { by: 'U0BBB', now: T0 + 2 * MIN })).toEqual({
      ok: false,
      reason: 'already_resolved',
      by: 'U0AAA',
    });
  });

  it('clips very long notes', () => {
    const { incident } = ok(resolve(open(), { by: 'U1', note: 'x'.repeat(5000), now: T0 }));
    expect(incident.resolveNote).toHaveLength(TIMELINE_TEXT_MAX);
    expect(incident.timeline.at(-1)?.text.length).toBe(TIMELINE_TEXT_MAX);
  });
});

describe('toggleWatcher', () => {
  it('adds, then removes', () => {
    const on = ok(toggleWatcher(open(), 'U0AAA', T0 + MIN));
    expect(on.watching).toBe(true);
    expect(on.incident.watchers).toEqual(['U0AAA']);
    expect(on.incident.timeline.at(-1)).toMatchObject({ kind: 'watch', actor: 'U0AAA' });
    const two = ok(toggleWatcher(on.incident, 'U0BBB', T0 + 2 * MIN));
    expect(two.incident.watchers).toEqual(['U0AAA', 'U0BBB']);
    const off = ok(toggleWatcher(two.incident, 'U0AAA', T0 + 3 * MIN));
    expect(off.watching).toBe(false);
    expect(off.incident.watchers).toEqual(['U0BBB']);
    expect(off.incident.timeline.at(-1)).toMatchObject({ kind: 'unwatch', actor: 'U0AAA' });
    expect(off.incident.version).toBe(4);
  });

  it('changes nothing on a resolved incident', () => {
    const resolved = ok(resolve(open(), { by: 'U1', now: T0 })).incident;
    expect(toggleWatcher(resolved, 'U0AAA', T0 + MIN)).toEqual({ ok: false, reason: 'resolved' });
  });
});

describe('timeline', () => {
  it(`keeps the opened entry and the newest, ${TIMELINE_LIMIT} in all`, () => {
    let incident = open();
    for (let i = 0; i < 500; i++)
      incident = addTimelineEntry(incident, { kind: 'note', text: `n${i}`, actor: 'U1', now: T0 + i });
    expect(incident.timeline).toHaveLength(TIMELINE_LIMIT);
    expect(incident.timeline[0]?.kind).toBe('opened');
    expect(incident.timeline[1]?.text).toBe(`n${500 - (TIMELINE_LIMIT - 1)}`);
    expect(incident.timeline.at(-1)?.text).toBe('n499');
  });

  it('appends below the limit unchanged', () => {
    const entry: TimelineEntry = { at: 'a', kind: 'note', text: 't' };
    expect(appendEntry([], entry)).toEqual([entry]);
  });

  it('records the Slack message location', () => {
    const incident = attachSlackMessage(open(), { channel: 'C0ALERTS', ts: '1767225600.000100' });
    expect(incident.slack).toEqual({ channel: 'C0ALERTS', ts: '1767225600.000100' });
    expect(incident.version).toBe(2);
  });

  it('records which version the posted message shows: the new one, unless the incident changed meanwhile', () => {
    const slack = { channel: 'C0ALERTS', ts: '1767225600.000100' };
    expect(attachSlackMessage(open(), slack, 1).slackShownVersion).toBe(2);
    const changed = { ...open(), version: 3 };
    expect(attachSlackMessage(changed, slack, 1)).toMatchObject({ version: 4, slackShownVersion: 1 });
    expect(attachSlackMessage(open(), slack)).not.toHaveProperty('slackShownVersion');
  });
});
