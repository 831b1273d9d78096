import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/domain/alert.js';
import {
  alertDedupKey,
  mapAlertmanagerSeverity,
  parseAlertmanagerWebhook,
} from '../../src/domain/sources/alertmanager.js';
import { fixture } from '../fixtures/index.js';

describe('parseAlertmanagerWebhook', () => {
  it('turns each firing alert of the documented payload into a trigger', () => {
    const result = parseAlertmanagerWebhook(fixture('alertmanager-firing.json'));
    if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
    expect(result.receiver).toBe('hikeshi');
    expect(result.truncatedAlerts).toBe(0);
    expect(result.groupKey).toContain('NodeFilesystemAlmostFull');
    expect(result.signals).toHaveLength(2);
    const [first, second] = result.signals;
    expect(first).toEqual({
      action: 'trigger',
      title: 'Disk 91% full on i-0abc123def',
      message: 'Filesystem / on i-0abc123def:9100 has only 9% available space left.',
      severity: 'critical',
      source: 'alertmanager:hikeshi',
      dedupKey: 'am:1a30ba71cca2921f',
      occurredAt: '2026-01-01T00:00:00.000Z',
      firingId: '2026-01-01T00:00:00.000Z',
      details: {
        alertname: 'NodeFilesystemAlmostFull',
        instance: 'i-0abc123def:9100',
        job: 'node',
        mountpoint: '/',
        severity: 'critical',
        runbook_url: 'https://runbooks.example.com/node/NodeFilesystemAlmostFull',
      },
      links: [
        { title: 'Runbook', url: 'https://runbooks.example.com/node/NodeFilesystemAlmostFull' },
        {
          title: 'Source',
          url: 'http://prometheus.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes+%2F+node_filesystem_size_bytes+%3C+0.1&g0.tab=1',
        },
        { title: 'Alertmanager', url: 'http://alertmanager.example.com:9093' },
      ],
    });
    expect(second).toMatchObject({ severity: 'warning', dedupKey: 'am:c6eadffa33fcdf37' });
  });

  it('turns resolved alerts into resolves of the same fingerprints', () => {
    const firing = parseAlertmanagerWebhook(fixture('alertmanager-firing.json'));
    const resolved = parseAlertmanagerWebhook(fixture('alertmanager-resolved.json'));
    if (!firing.ok || !resolved.ok) throw new Error('fixture did not parse');
    expect(resolved.signals.map((s) => s.action)).toEqual(['resolve', 'resolve']);
    expect(resolved.signals.map(fingerprintOf)).toEqual(firing.signals.map(fingerprintOf));
    expect(resolved.signals[0]?.occurredAt).toBe('2026-01-01T00:42:00.000Z');
    expect(resolved.signals[0]).not.toHaveProperty('firingId');
  });

  it('names each firing by its startsAt, so a re-notification is the same firing and a new startsAt is not', () => {
    const body = (startsAt: string | undefined) => ({
      version: '4',
      status: 'firing',
      receiver: 'r',
      alerts: [
        {
          status: 'firing',
          fingerprint: 'abc',
          labels: { alertname: 'X' },
          ...(startsAt === undefined ? {} : { startsAt }),
        },
      ],
    });
    const firing = (startsAt: string | undefined) => {
      const parsed = parseAlertmanagerWebhook(body(startsAt));
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.signals[0];
    };
    expect(firing('2026-01-01T00:00:00Z')?.firingId).toBe('2026-01-01T00:00:00.000Z');
    expect(firing('2026-01-01T00:00:00.000Z')?.firingId).toBe(firing('2026-01-01T00:00:00Z')?.firingId);
    expect(firing('2026-01-01T01:00:00Z')?.firingId).toBe('2026-01-01T01:00:00.000Z');
    // No (or Alertmanager's zero) startsAt: every trigger counts, as before.
    expect(firing(undefined)).not.toHaveProperty('firingId');
    expect(firing('0001-01-01T00:00:00Z')).not.toHaveProperty('firingId');
  });

  it('falls back to alertname for the title and labels for the key', () => {
    const result = parseAlertmanagerWebhook({
      version: '4',
      status: 'firing',
      receiver: 'ops',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'InstanceDown', job: 'api', instance: 'web01:9100' },
          annotations: {},
          startsAt: '2026-01-01T00:00:00Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
        },
      ],
    });
    if (!result.ok) throw new Error(result.reason);
    expect(result.signals[0]).toMatchObject({
      title: 'InstanceDown',
      dedupKey: 'am:instancedown{instance="web01:9100",job="api"}',
      firingId: '2026-01-01T00:00:00.000Z',
      links: [],
    });
    expect(result.signals[0]).not.toHaveProperty('message');
    // No severity label: no severity (the incident opens as error; a repeat keeps the incident's).
    expect(result.signals[0]).not.toHaveProperty('severity');
  });

  it('keeps an annotation whose name a label already has', () => {
    const key = alertDedupKey({ labels: { b: '2', alertname: 'X', a: '1' } });
    expect(key).toBe('am:x{a="1",b="2"}');
    const result = parseAlertmanagerWebhook({
      version: '4',
      status: 'firing',
      receiver: 'r',
      alerts: [{ status: 'firing', labels: { alertname: 'X', team: 'a' }, annotations: { team: 'b' } }],
    });
    if (!result.ok) throw new Error(result.reason);
    expect(result.signals[0]?.details).toEqual({ alertname: 'X', team: 'a', 'annotations.team': 'b' });
  });

  it.each([
    ['critical', 'critical'],
    ['page', 'critical'],
    ['ERROR', 'error'],
    ['high', 'error'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    ['info', 'info'],
    ['low', 'info'],
    ['none', 'info'],
    ['major', 'error'],
    [undefined, undefined],
    ['  ', undefined],
  ] as const)('maps severity label %s to %s', (label, severity) => {
    expect(mapAlertmanagerSeverity(label)).toBe(severity);
  });

  it.each([
    [{}, 'version'],
    [{ version: '4', status: 'firing', receiver: 'r' }, 'alerts'],
    [{ version: '4', status: 'pending', receiver: 'r', alerts: [] }, 'status'],
    [{ version: '4', status: 'firing', receiver: 'r', alerts: [{ status: 'firing' }] }, 'alerts.0.labels'],
    [
      { version: '4', status: 'firing', receiver: 'r', alerts: [{ status: 'firing', labels: { a: 1 } }] },
      'alerts.0.labels.a',
    ],
  ])('refuses %j naming %s', (body, field) => {
    expect(parseAlertmanagerWebhook(body)).toMatchObject({ ok: false, field });
  });
});
