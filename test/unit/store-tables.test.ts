import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/domain/clock.js';
import { isExpired, ttlFromNow, ttlFromNowDays } from '../../src/store/expiry.js';
import { historySortKey } from '../../src/store/job-reports-repository.js';
import {
  TABLE_DEFINITIONS,
  TTL_ATTRIBUTE,
  keyAttributesOf,
  resolveTableNames,
} from '../../src/store/tables.js';

describe('resolveTableNames', () => {
  it('uses the seed default names', () => {
    expect(resolveTableNames({})).toEqual({
      callStatus: 'CallStatus',
      inProgress: 'InProgress',
      responders: 'Responders',
      callHistory: 'CallHistory',
      incidents: 'Incidents',
      jobReports: 'JobReports',
      dedup: 'Dedup',
      oncall: 'Oncall',
      escalations: 'Escalations',
      contacts: 'Contacts',
      silences: 'Silences',
    });
  });

  it('prepends TABLE_PREFIX, and a per-table variable wins over it', () => {
    const names = resolveTableNames({
      TABLE_PREFIX: 'hikeshi-prod-',
      CALL_STATUS_TABLE: 'legacy-call-status',
      DEDUP_TABLE: '  ',
    });
    expect(names.callStatus).toBe('legacy-call-status');
    expect(names.inProgress).toBe('hikeshi-prod-InProgress');
    expect(names.dedup).toBe('hikeshi-prod-Dedup');
  });

  it('honours every per-table variable of the seed and ours', () => {
    const names = resolveTableNames({
      CALL_STATUS_TABLE: 'a',
      IN_PROGRESS_TABLE: 'b',
      RESPONDERS_TABLE: 'c',
      CALL_HISTORY_TABLE: 'd',
      INCIDENTS_TABLE: 'e',
      JOB_REPORTS_TABLE: 'f',
      DEDUP_TABLE: 'g',
      ONCALL_TABLE: 'h',
      ESCALATIONS_TABLE: 'i',
      CONTACTS_TABLE: 'j',
      SILENCES_TABLE: 'k',
    });
    expect(Object.values(names)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
  });
});

describe('table definitions', () => {
  it('keeps the seed keys and uses `ttl` wherever items expire', () => {
    expect(TABLE_DEFINITIONS.callStatus.partitionKey).toBe('statusId');
    expect(TABLE_DEFINITIONS.inProgress.partitionKey).toBe('errorId');
    expect(TABLE_DEFINITIONS.responders.partitionKey).toBe('groupId');
    expect(keyAttributesOf('callHistory')).toEqual(['errorId']);
    expect(keyAttributesOf('jobReports')).toEqual(['pk', 'sk']);
    expect(TABLE_DEFINITIONS.responders.ttlAttribute).toBeUndefined();
    for (const def of Object.values(TABLE_DEFINITIONS)) {
      if (def.ttlAttribute !== undefined) expect(def.ttlAttribute).toBe(TTL_ATTRIBUTE);
    }
  });
});

describe('expiry helpers', () => {
  it('computes ttl in epoch seconds and treats ttl < now as expired', () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1, 0, 0, 0, 500));
    const start = Date.UTC(2026, 0, 1) / 1000;
    expect(ttlFromNow(clock, 60)).toBe(start + 60);
    expect(ttlFromNowDays(clock, 30)).toBe(start + 30 * 86_400);
    const item = { ttl: start + 60 };
    expect(isExpired(item, clock)).toBe(false);
    clock.advance(60_000);
    expect(isExpired(item, clock)).toBe(false); // ttl == now: DynamoDB still keeps it
    clock.advance(1_000);
    expect(isExpired(item, clock)).toBe(true);
    expect(isExpired({}, clock)).toBe(false);
    expect(isExpired(undefined, clock)).toBe(false);
  });
});

describe('job history sort key', () => {
  it('sorts chronologically whatever the ISO offset', () => {
    const a = historySortKey({ id: 'x', finishedAt: '2024-01-25T10:00:00+09:00' }); // 01:00Z
    const b = historySortKey({ id: 'y', finishedAt: '2024-01-25T02:00:00Z' });
    expect(a < b).toBe(true);
    expect(a).toBe(`H#${String(Date.UTC(2024, 0, 25, 1)).padStart(15, '0')}#x`);
  });

  it('rejects an unparseable time', () => {
    expect(() => historySortKey({ id: 'x', finishedAt: 'yesterday' })).toThrow(/finished_at/);
  });
});
