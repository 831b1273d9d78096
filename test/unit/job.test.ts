import { describe, expect, it } from 'vitest';
import {
  clipMiddle,
  JOB_MESSAGE_MAX,
  jobFailureKey,
  jobLabel,
  jobMissedKey,
  parseIsoWithZone,
  parseJobReport,
  reportDedupKey,
  reportId,
  type JobReport,
} from '../../src/domain/job.js';

const valid = {
  job_key: 'daily-price-sync',
  title: '価格同期処理',
  status: 'success',
  finished_at: '2024-01-25T10:00:00.123456+00:00',
  message: null,
};

function parsed(body: unknown): JobReport {
  const result = parseJobReport(body);
  if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
  return result.report;
}

describe('parseIsoWithZone', () => {
  it.each([
    ['2024-01-25T10:00:00.123456+00:00', Date.UTC(2024, 0, 25, 10, 0, 0, 123)], // Python isoformat()
    ['2024-01-25T10:00:00Z', Date.UTC(2024, 0, 25, 10)], // the seed's curl
    ['2024-01-25T10:00:00.1234567Z', Date.UTC(2024, 0, 25, 10, 0, 0, 123)], // PowerShell ToString("o")
    ['2024-01-25T19:00:00+09:00', Date.UTC(2024, 0, 25, 10)],
    ['2024-01-25T05:30:00-0430', Date.UTC(2024, 0, 25, 10)],
    ['2024-01-25T10:00+00:00', Date.UTC(2024, 0, 25, 10)],
    ['2024-01-25 10:00:00z', Date.UTC(2024, 0, 25, 10)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('reads %s', (text, ms) => {
    expect(parseIsoWithZone(text)).toBe(ms);
  });

  it.each([
    'yesterday',
    '',
    '2024-01-25', // no time
    '2024-01-25T10:00:00', // no zone
    '2024-02-30T10:00:00Z', // no such day
    '2023-02-29T10:00:00Z',
    '2024-13-01T10:00:00Z',
    '2024-01-25T24:00:00Z',
    '2024-01-25T10:60:00Z',
    '2024-01-25T10:00:00+25:00',
    '1706176800',
    'Thu, 25 Jan 2024 10:00:00 GMT',
    ' 2024-01-25T10:00:00Z',
  ])('refuses %j', (text) => {
    expect(parseIsoWithZone(text)).toBeUndefined();
  });
});

describe('parseJobReport', () => {
  it("accepts the seed snippet's body and normalises finished_at", () => {
    expect(parsed(valid)).toEqual({
      jobKey: 'daily-price-sync',
      title: '価格同期処理',
      status: 'success',
      finishedAtRaw: '2024-01-25T10:00:00.123456+00:00',
      finishedAt: '2024-01-25T10:00:00.123Z',
      message: null,
    });
  });

  it('treats an absent message as null, keeps a given one, and ignores unknown keys', () => {
    const { message: _omit, ...withoutMessage } = valid;
    expect(parsed(withoutMessage).message).toBeNull();
    expect(parsed({ ...valid, status: 'error', message: 'boom', extra: 1 })).toMatchObject({
      status: 'error',
      message: 'boom',
    });
  });

  it('trims the key, and shortens a huge message keeping both ends', () => {
    const long = `start ${'x'.repeat(20_000)} Traceback end`;
    const report = parsed({ ...valid, job_key: '  spaced  ', message: long });
    expect(report.jobKey).toBe('spaced');
    expect(report.message).toHaveLength(JOB_MESSAGE_MAX);
    expect(report.message?.startsWith('start ')).toBe(true);
    expect(report.message?.endsWith('Traceback end')).toBe(true);
  });

  it.each([
    [{ ...valid, job_key: undefined }, 'job_key', 'is required'],
    [{ ...valid, job_key: '' }, 'job_key', 'must not be empty'],
    [{ ...valid, job_key: '   ' }, 'job_key', 'must not be empty'],
    [{ ...valid, job_key: 42 }, 'job_key', 'must be a string'],
    [{ ...valid, job_key: 'a'.repeat(256) }, 'job_key', 'at most 255'],
    [{ ...valid, job_key: 'a\nb' }, 'job_key', 'control characters'],
    [{ ...valid, title: undefined }, 'title', 'is required'],
    [{ ...valid, status: undefined }, 'status', 'is required'],
    [{ ...valid, status: 'ok' }, 'status', 'must be "success" or "error"'],
    [{ ...valid, status: 'SUCCESS' }, 'status', 'must be "success" or "error"'],
    [{ ...valid, finished_at: undefined }, 'finished_at', 'is required'],
    [{ ...valid, finished_at: 'yesterday' }, 'finished_at', 'ISO 8601'],
    [{ ...valid, finished_at: '2024-01-25T10:00:00' }, 'finished_at', 'with a zone'],
    [{ ...valid, finished_at: 1706176800 }, 'finished_at', 'must be a string'],
    [{ ...valid, message: 42 }, 'message', 'must be a string or null'],
  ])('refuses %j naming %s', (body, field, reason) => {
    const result = parseJobReport(body);
    expect(result).toMatchObject({ ok: false, field });
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('report identity', () => {
  const report = parsed(valid);

  it('gives a retry the same id and dedup key, and another run a different one', () => {
    expect(reportId(report)).toBe(reportId({ ...report }));
    expect(reportId(report)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(reportId({ ...report, status: 'error' })).not.toBe(reportId(report));
    expect(reportId({ ...report, finishedAtRaw: '2024-01-25T10:00:01Z' })).not.toBe(reportId(report));
    expect(reportDedupKey(report)).toBe(
      'job-report:daily-price-sync\nsuccess\n2024-01-25T10:00:00.123456+00:00',
    );
  });

  it('names incidents and labels', () => {
    expect(jobFailureKey('a')).toBe('job:a');
    expect(jobMissedKey('a')).toBe('job-missed:a');
    expect(jobLabel(report)).toBe('価格同期処理');
    expect(jobLabel({ ...report, title: '' })).toBe('daily-price-sync');
  });

  it('clips in the middle', () => {
    expect(clipMiddle('abcdefghij', 5)).toBe('a…hij');
    expect(clipMiddle('abc', 5)).toBe('abc');
  });
});
