import { describe, expect, it } from 'vitest';
import type { AlertSignal } from '../../src/domain/alert.js';
import {
  addToBatch,
  isPlainRepeat,
  mergeBatches,
  withBatches,
  type FoldBatch,
} from '../../src/domain/fold.js';
import { LINKS_MAX, openIncident } from '../../src/domain/incident.js';
import { foldSignal } from '../../src/domain/incident-repeats.js';

const T0 = Date.UTC(2026, 0, 1);
const signal: AlertSignal = {
  action: 'trigger',
  title: 'Queue depth above 10k',
  severity: 'warning',
  source: 'grafana',
  links: [{ title: 'Dashboard', url: 'https://grafana.example.com/d/q' }],
};
const incident = openIncident({ number: 7, signal, fingerprint: 'fp', now: T0 });
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

describe('plain repeats', () => {
  it('a repeat with the same severity and known links is plain', () => {
    expect(isPlainRepeat(incident, signal)).toBe(true);
    expect(isPlainRepeat(incident, { ...signal, severity: 'info', links: [] })).toBe(true);
  });

  it('a severity raise, a new link or a resolved incident is not', () => {
    expect(isPlainRepeat(incident, { ...signal, severity: 'critical' })).toBe(false);
    expect(
      isPlainRepeat(incident, { ...signal, links: [{ title: 'x', url: 'https://x.example.com' }] }),
    ).toBe(false);
    expect(isPlainRepeat({ ...incident, status: 'resolved' }, signal)).toBe(false);
  });

  it('a new link is plain once the incident holds the most links it keeps', () => {
    const links = Array.from({ length: LINKS_MAX }, (_, i) => ({ title: `${i}`, url: `https://e.com/${i}` }));
    expect(
      isPlainRepeat({ ...incident, links }, { ...signal, links: [{ title: 'n', url: 'https://n.com' }] }),
    ).toBe(true);
  });
});

describe('batches', () => {
  it('count, keep the latest time, message and details, whatever the arrival order', () => {
    let batch: FoldBatch | undefined;
    batch = addToBatch(batch, { ...signal, message: 'first' }, at(5));
    batch = addToBatch(batch, { ...signal, details: { depth: 12000 } }, at(3));
    batch = addToBatch(batch, signal, at(4));
    expect(batch).toEqual({ count: 3, lastSeenAt: at(5), message: 'first', details: { depth: 12000 } });
  });

  it('a signal standing for several firings adds them all', () => {
    const batch = addToBatch(addToBatch(undefined, { ...signal, count: 40 }, at(1)), signal, at(2));
    expect(batch.count).toBe(41);
  });

  it('merge: counts add up, the later time wins, the second batch refreshes message and details', () => {
    const a: FoldBatch = { count: 2, lastSeenAt: at(9), message: 'a' };
    const b: FoldBatch = { count: 3, lastSeenAt: at(7), message: 'b' };
    expect(mergeBatches(a, b)).toEqual({ count: 5, lastSeenAt: at(9), message: 'b' });
    expect(mergeBatches(a, undefined)).toBe(a);
  });

  it('an incident with its batches reads as folding each repeat one by one would', () => {
    let folded = incident;
    let batch: FoldBatch | undefined;
    for (let i = 1; i <= 50; i += 1) {
      const repeat = { ...signal, message: `repeat ${i}` };
      const r = foldSignal(folded, repeat, T0 + i * 1000);
      if (r.ok) folded = r.incident;
      batch = addToBatch(batch, repeat, at(i));
    }
    const buffered = withBatches(incident, [batch, undefined]);
    expect(buffered.count).toBe(folded.count);
    expect(buffered.count).toBe(51);
    expect(buffered.lastSeenAt).toBe(folded.lastSeenAt);
    expect(buffered.message).toBe(folded.message);
  });
});
