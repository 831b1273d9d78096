import { describe, expect, it } from 'vitest';
import { findBlockKitViolations } from '../../src/blocks/limits.js';
import {
  buildSilenceList,
  buildSilenceSummary,
  silenceLine,
  SILENCES_SHOWN,
  SUMMARY_INCIDENTS_MAX,
} from '../../src/blocks/silences.js';
import { openIncident, type Incident } from '../../src/domain/incident.js';
import type { Silence } from '../../src/domain/silence.js';

const T0 = Date.parse('2027-03-10T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const silence = (n = 1, overrides: Partial<Silence> = {}): Silence => ({
  id: `sil-${String(n).padStart(8, '0')}`,
  matchers: ['label:service="payments"', `title=~"${'disk '.repeat(40)}.*"`],
  startsAt: iso(T0),
  endsAt: iso(T0 + 7_200_000),
  comment: `failover <@U0ALICE01> *not bold* ${'x'.repeat(600)}`,
  createdBy: 'U0ALICE01',
  createdAt: iso(T0),
  ...overrides,
});

const incident = (n: number): Incident =>
  openIncident({
    number: n,
    fingerprint: `f${n}`,
    now: T0,
    signal: {
      action: 'trigger',
      title: `Disk full on db-${n} ${'*'.repeat(300)}`,
      severity: 'error',
      links: [],
    },
  });

describe('silence blocks', () => {
  it('the end summary lists the incidents within Slack limits, and says how many more', () => {
    const many = Array.from({ length: SUMMARY_INCIDENTS_MAX + 7 }, (_, i) => incident(i + 1));
    const summary = buildSilenceSummary(
      silence(1, { expiredAt: iso(T0 + 60_000), expiredBy: 'U0BOB0001' }),
      many,
    );
    expect(findBlockKitViolations({ kind: 'message', text: summary.text, blocks: summary.blocks })).toEqual(
      [],
    );
    const text = JSON.stringify(summary.blocks);
    expect(text).toContain('was ended by <@U0BOB0001>');
    expect(text).toContain(`${SUMMARY_INCIDENTS_MAX + 7} alerts it held are still firing`);
    expect(text).toContain('INC-1*');
    expect(text).toContain('…and 7 more');
    expect(text).not.toContain('<@U0ALICE01> *not bold*');
  });

  it('lists pending and active silences, not ended ones, within Slack limits', () => {
    const silences = [
      silence(1),
      silence(2, { startsAt: iso(T0 + 3_600_000) }),
      silence(3, { expiredAt: iso(T0 - 1) }),
      silence(4, { matchers: [], fingerprint: 'f', incidentId: 'INC-9' }),
      ...Array.from({ length: SILENCES_SHOWN }, (_, i) => silence(i + 5)),
    ];
    const list = buildSilenceList(silences, T0);
    expect(findBlockKitViolations({ kind: 'message', text: list.text, blocks: list.blocks })).toEqual([]);
    const text = JSON.stringify(list.blocks);
    expect(text).not.toContain('sil-00000003');
    expect(text).toContain('the alert of *INC-9*');
    expect(text).toContain('…and 3 more');
    expect(silenceLine(silence(2, { startsAt: iso(T0 + 3_600_000) }), T0)).toContain('from ');
    expect(buildSilenceList([], T0).text).toContain('Silences');
  });
});
