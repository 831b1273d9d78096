/**
 * Sample incidents for the Block Kit tests, built through the real domain transitions with fixed times so the
 * snapshots are stable. (Not a test file itself: no `.test.` in the name.)
 */
import type { AlertSignal } from '../../src/domain/alert.js';
import { fingerprintOf } from '../../src/domain/alert.js';
import {
  acknowledge,
  attachSlackMessage,
  openIncident,
  resolve,
  toggleWatcher,
  type Incident,
} from '../../src/domain/incident.js';
import { foldSignal } from '../../src/domain/incident-repeats.js';
import type { OncallEntry } from '../../src/domain/oncall.js';

export const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
export const MIN = 60_000;

export const diskSignal: AlertSignal = {
  action: 'trigger',
  title: 'Disk 91% full on i-0abc123def',
  message: 'Filesystem / on i-0abc123def:9100 has only 9% available space left.',
  severity: 'critical',
  source: 'alertmanager:hikeshi',
  dedupKey: 'am:1a30ba71cca2921f',
  details: {
    alertname: 'NodeFilesystemAlmostFull',
    instance: 'i-0abc123def:9100',
    job: 'node',
    mountpoint: '/',
  },
  links: [
    { title: 'Runbook', url: 'https://runbooks.example.com/node/NodeFilesystemAlmostFull' },
    { title: 'Alertmanager', url: 'http://alertmanager.example.com:9093' },
  ],
};

function must<T>(result: { ok: true; incident: T } | { ok: false }): T {
  if (!result.ok) throw new Error('sample transition failed');
  return result.incident;
}

export function triggered(): Incident {
  let incident = openIncident({
    number: 42,
    signal: diskSignal,
    fingerprint: fingerprintOf(diskSignal),
    now: T0,
  });
  for (let i = 1; i < 50; i++) incident = must(foldSignal(incident, diskSignal, T0 + i * 6000));
  return attachSlackMessage(incident, { channel: 'C0ALERTS', ts: '1767225600.000100' });
}

export function acknowledged(): Incident {
  let incident = must(toggleWatcher(triggered(), 'U0WATCH1', T0 + 6 * MIN));
  incident = must(toggleWatcher(incident, 'U0WATCH2', T0 + 7 * MIN));
  return must(acknowledge(incident, { by: 'U0ACKER', now: T0 + 8 * MIN }));
}

export function resolved(): Incident {
  return must(
    resolve(acknowledged(), { by: 'U0ACKER', note: 'Rotated /var/log; 40% free now.', now: T0 + 42 * MIN }),
  );
}

export function resolvedBySignal(): Incident {
  return must(resolve(triggered(), { by: 'system:alertmanager:hikeshi', now: T0 + 30 * MIN }));
}

/** Everything a hostile or careless sender could put in: mrkdwn control characters, huge texts, many details. */
export function adversarial(): Incident {
  const details: Record<string, unknown> = {};
  // One huge value and many small ones: the stored details are capped at 16 KB of JSON (domain/storable.ts),
  // so forty huge values would not all reach the message.
  for (let i = 0; i < 40; i++)
    details[`key <${i}> & more ${'k'.repeat(200)}`] =
      i === 0 ? 'v'.repeat(5000) : i % 2 ? { nested: 'x'.repeat(50) } : 'v'.repeat(50);
  const signal: AlertSignal = {
    action: 'trigger',
    title: `<!channel> <https://evil.example|click> & ${'T'.repeat(600)}`,
    message: `<!here> ${'m&'.repeat(4000)}`,
    severity: 'warning',
    source: `<@U0EVIL> ${'s'.repeat(400)}`,
    details,
    links: Array.from({ length: 12 }, (_, i) => ({
      title: `l|nk <${i}> ${'t'.repeat(300)}`,
      url: `https://x.example/${i}?a=<b>|c d`,
    })),
  };
  let incident = openIncident({ number: 999_999_999, signal, fingerprint: 'f', now: T0 });
  for (let i = 0; i < 60; i++)
    incident = must(toggleWatcher(incident, `U0W${String(i).padStart(6, '0')}`, T0 + i));
  return must(resolve(incident, { by: 'U0ACKER', note: `<!everyone> ${'n'.repeat(3000)}`, now: T0 + MIN }));
}

export const oncall: OncallEntry[] = [
  { userId: 'U0BBB', phone: '+819012340002', priority: 2 },
  { userId: 'U0AAA', phone: '+819012340001', priority: 1 },
  { userId: 'U0CCC', phone: '+14155550100', priority: 3 },
];
