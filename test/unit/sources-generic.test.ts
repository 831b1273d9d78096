import { describe, expect, it } from 'vitest';
import { parseGenericAlert } from '../../src/domain/sources/generic.js';

describe('parseGenericAlert', () => {
  it('accepts the minimal body and defaults severity to error', () => {
    expect(parseGenericAlert({ title: 'Checkout 500s' })).toEqual({
      ok: true,
      signal: { action: 'trigger', title: 'Checkout 500s', severity: 'error', links: [] },
    });
  });

  it('maps every field', () => {
    const result = parseGenericAlert({
      title: '  Disk 91% on i-0abc123def ',
      message: 'Only 9% left on /',
      severity: 'critical',
      source: 'nagios',
      dedup_key: 'disk/i-0abc123def',
      details: { host: 'i-0abc123def', free: 0.09 },
      links: [
        { title: 'Graph', url: 'https://grafana.example.com/d/1' },
        { url: 'http://nagios.example.com/x' },
      ],
      unknown_extra_field: true,
    });
    expect(result).toEqual({
      ok: true,
      signal: {
        action: 'trigger',
        title: 'Disk 91% on i-0abc123def',
        message: 'Only 9% left on /',
        severity: 'critical',
        source: 'nagios',
        dedupKey: 'disk/i-0abc123def',
        details: { host: 'i-0abc123def', free: 0.09 },
        links: [
          { title: 'Graph', url: 'https://grafana.example.com/d/1' },
          { title: 'http://nagios.example.com/x', url: 'http://nagios.example.com/x' },
        ],
      },
    });
  });

  it('reads null optional fields as absent', () => {
    const result = parseGenericAlert({
      title: 't',
      message: null,
      severity: null,
      details: null,
      links: null,
    });
    expect(result).toEqual({
      ok: true,
      signal: { action: 'trigger', title: 't', severity: 'error', links: [] },
    });
  });

  it.each([
    [{}, 'title', 'is required'],
    [{ title: '' }, 'title', 'must not be empty'],
    [{ title: '   ' }, 'title', 'must not be empty'],
    [{ title: 42 }, 'title', 'expected string'],
    [{ title: 'x'.repeat(501) }, 'title', 'at most 500'],
    [{ title: 't', severity: 'fatal' }, 'severity', ''],
    [{ title: 't', message: 5 }, 'message', 'expected string'],
    [{ title: 't', details: [1, 2] }, 'details', ''],
    [{ title: 't', details: 'text' }, 'details', ''],
    [{ title: 't', links: {} }, 'links', ''],
    [{ title: 't', links: [{ title: 'x', url: 'ftp://example.com' }] }, 'links.0.url', 'http(s) URL'],
    [{ title: 't', links: [{ title: 'x', url: 'javascript:alert(1)' }] }, 'links.0.url', 'http(s) URL'],
    [{ title: 't', links: [{ title: 'ok', url: 'https://a.example' }, { title: 'x' }] }, 'links.1.url', ''],
    [{ title: 't', dedup_key: 'k'.repeat(256) }, 'dedup_key', 'at most 255'],
    [[], 'body', 'expected object'],
    [null, 'body', ''],
    ['a string', 'body', ''],
  ])('refuses %j naming %s', (body, field, reason) => {
    const result = parseGenericAlert(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.field).toBe(field);
    expect(result.reason).toContain(reason);
  });

  it('names the first failing field when several fail', () => {
    const result = parseGenericAlert({ title: '', severity: 'nope' });
    expect(result).toMatchObject({ ok: false, field: 'title' });
  });
});
