import { describe, expect, it } from 'vitest';
import {
  fingerprintBasis,
  fingerprintOf,
  isSeverity,
  maxSeverity,
  normalizeTitle,
  severityAtLeast,
  severityRank,
  SEVERITIES,
  toIsoTimestamp,
} from '../../src/domain/alert.js';

describe('severity order', () => {
  it('ranks critical > error > warning > info', () => {
    expect(SEVERITIES.map(severityRank)).toEqual([3, 2, 1, 0]);
    expect(severityAtLeast('critical', 'error')).toBe(true);
    expect(severityAtLeast('error', 'error')).toBe(true);
    expect(severityAtLeast('warning', 'error')).toBe(false);
    expect(severityAtLeast('info', 'critical')).toBe(false);
  });

  it('picks the worse of two', () => {
    expect(maxSeverity('warning', 'critical')).toBe('critical');
    expect(maxSeverity('error', 'info')).toBe('error');
  });

  it('recognises severities', () => {
    expect(isSeverity('warning')).toBe(true);
    expect(isSeverity('WARNING')).toBe(false);
    expect(isSeverity(3)).toBe(false);
  });
});

describe('normalizeTitle', () => {
  it('folds the issue example together', () => {
    const a = normalizeTitle('Disk 91% on i-0abc123def');
    expect(a).toBe('disk #% on i-<hex>');
    expect(normalizeTitle('Disk 92% on i-0abc123def')).toBe(a);
  });

  it('trims, lowercases and collapses whitespace', () => {
    expect(normalizeTitle('  API   Latency\tHIGH \n')).toBe('api latency high');
  });

  it('masks uuids, timestamps, hex ids and numbers', () => {
    expect(normalizeTitle('Job 3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e failed')).toBe('job <uuid> failed');
    expect(normalizeTitle('Backup at 2026-01-01T03:00:00.123Z failed')).toBe('backup at <ts> failed');
    expect(normalizeTitle('Backup at 2026-01-01 03:00:00+09:00 failed')).toBe('backup at <ts> failed');
    expect(normalizeTitle('Deploy 9fceb02d0ae598e95dc970b74767f19372d61af8 broke')).toBe(
      'deploy <hex> broke',
    );
    expect(normalizeTitle('Queue depth 1,250 > 1000 for 5.5 min')).toBe('queue depth # > # for # min');
  });

  it('masks 0x hex literals of any length (addresses, status codes)', () => {
    expect(normalizeTitle('SIGSEGV at 0x7ffd5fbff8a0')).toBe('sigsegv at <hex>');
    expect(normalizeTitle('SIGSEGV at 0x0')).toBe('sigsegv at <hex>');
    expect(normalizeTitle('exit code 0xC0000005')).toBe('exit code <hex>');
  });

  it('keeps host names and plain words', () => {
    expect(normalizeTitle('web01 down')).toBe('web01 down');
    expect(normalizeTitle('prod-datapipe03 disk')).toBe('prod-datapipe03 disk');
    // eight a-f letters without a digit are a word, not an id
    expect(normalizeTitle('deadbeef cafebabe')).toBe('deadbeef cafebabe');
  });
});

describe('fingerprintOf', () => {
  it('is the dedup key, verbatim, when there is one', () => {
    expect(fingerprintOf({ title: 'x', dedupKey: 'srv01/mysql' })).toBe('srv01/mysql');
  });

  it('ignores an empty dedup key', () => {
    expect(fingerprintOf({ title: 'x', dedupKey: '' })).toBe(fingerprintOf({ title: 'x' }));
  });

  it('hashes source and normalised title otherwise', () => {
    const a = fingerprintOf({ title: 'Disk 91% on i-0abc123def', source: 'nagios' });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf({ title: 'disk 92%   on I-0ABC123DEF', source: 'nagios' })).toBe(a);
    expect(fingerprintOf({ title: 'Disk 91% on i-0abc123def', source: 'zabbix' })).not.toBe(a);
    expect(fingerprintBasis({ title: 'Disk 91% on i-0abc123def', source: 'nagios' })).toBe(
      'nagios|disk #% on i-<hex>',
    );
    expect(fingerprintBasis({ title: 'Disk' })).toBe('|disk');
  });
});

describe('toIsoTimestamp', () => {
  it('normalises what senders send', () => {
    expect(toIsoTimestamp('2015-07-17T08:42:58.315+0000')).toBe('2015-07-17T08:42:58.315Z');
    expect(toIsoTimestamp('2026-01-01T09:00:00+09:00')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('drops missing, garbage and zero values', () => {
    expect(toIsoTimestamp(undefined)).toBeUndefined();
    expect(toIsoTimestamp(null)).toBeUndefined();
    expect(toIsoTimestamp('')).toBeUndefined();
    expect(toIsoTimestamp('yesterday-ish')).toBeUndefined();
    expect(toIsoTimestamp('0001-01-01T00:00:00Z')).toBeUndefined();
  });
});
