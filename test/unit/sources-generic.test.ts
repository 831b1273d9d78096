import { describe, expect, it } from 'vitest';
import { parseGenericAlert } from '../../src/domain/sources/generic.js';

describe('parseGenericAlert', () => {
  it('accepts the minimal body, leaving severity unset (the default applies only when an incident opens)', () => {
    expect(parseGenericAlert({ title: 'Checkout 500s' })).toEqual({
      ok: true,
      signal: { action: 'trigger', title: 'Checkout 500s', links: [] },
    });
  });

  it.each([
    [{ status: 'resolved' }, 'resolve'],
    [{ status: 'acknowledged' }, 'acknowledge'],
    [{ status: 'triggered' }, 'trigger'],
    [{ event_action: 'resolve' }, 'resolve'],
    [{ event_action: 'acknowledge' }, 'acknowledge'],
    [{ event_action: 'trigger' }, 'trigger'],
    [{ status: 'resolved', event_action: 'resolve' }, 'resolve'],
  ])('reads %j as %s', (fields, action) => {
    const result = parseGenericAlert({ title: 'X', dedup_key: 'k', severity: 'critical', ...fields });
    if (!result.ok) throw new Error(result.reason);
    expect(result.signal.action).toBe(action);
    // An acknowledge or resolve carries no severity: it cannot change the incident's.
    if (action === 'trigger') expect(result.signal.severity).toBe('critical');
    else expect(result.signal).not.toHaveProperty('severity');
  });

  it('acknowledges and resolves by dedup_key alone, or by the title (and source) the alert was sent with', () => {
    expect(parseGenericAlert({ dedup_key: 'k', status: 'resolved' })).toEqual({
      ok: true,
      signal: { action: 'resolve', title: 'k', dedupKey: 'k', links: [] },
    });
    expect(parseGenericAlert({ title: 'Disk full', source: 'nagios', event_action: 'acknowledge' })).toEqual({
      ok: true,
      signal: { action: 'acknowledge', title: 'Disk full', source: 'nagios', links: [] },
    });
  });

  it.each([
    [{ status: 'resolved' }, 'dedup_key', 'is required to resolve'],
    [{ event_action: 'acknowledge' }, 'dedup_key', 'is required to acknowledge'],
    [{ dedup_key: 'k', status: 'done' }, 'status', ''],
    [{ dedup_key: 'k', event_action: 'close' }, 'event_action', ''],
    [{ dedup_key: 'k', status: 'resolved', event_action: 'trigger' }, 'event_action', 'contradicts'],
    [{ dedup_key: 'k', status: 'triggered' }, 'title', 'is required'],
  ])('refuses %j naming %s', (body, field, reason) => {
    expect(parseGenericAlert(body)).toMatchObject({
      ok: false,
      field,
      reason: expect.stringContaining(reason),
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
      signal: { action: 'trigger', title: 't', links: [] },
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
