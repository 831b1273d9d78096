import { describe, expect, it } from 'vitest';
import { formatSlackDate, isSafeUrl, parseMrkdwn, type MrkdwnNode } from '../../src/web/client/mrkdwn.js';

const text = (t: string): MrkdwnNode => ({ kind: 'text', text: t });

describe('emulator page: mrkdwn', () => {
  it('parses bold, italic, strike and code, leaving snake_case and spaced marks alone', () => {
    expect(parseMrkdwn('*Triggered* · _seen_ ~gone~ `deploy_ack`')).toEqual([
      { kind: 'bold', children: [text('Triggered')] },
      text(' · '),
      { kind: 'italic', children: [text('seen')] },
      text(' '),
      { kind: 'strike', children: [text('gone')] },
      text(' '),
      { kind: 'code', text: 'deploy_ack' },
    ]);
    expect(parseMrkdwn('deploy_ack and snake_case_name')).toEqual([text('deploy_ack and snake_case_name')]);
    expect(parseMrkdwn('2 * 3 * 4')).toEqual([text('2 * 3 * 4')]);
    expect(parseMrkdwn('+81-***-***-5678 and **not bold**')).toEqual([
      text('+81-***-***-5678 and **not bold**'),
    ]);
  });

  it('nests styles', () => {
    expect(parseMrkdwn('*bold _and italic_*')).toEqual([
      { kind: 'bold', children: [text('bold '), { kind: 'italic', children: [text('and italic')] }] },
    ]);
  });

  it('reads links, mentions, channels, broadcasts and dates', () => {
    expect(
      parseMrkdwn(
        '<https://a.example/x?a=1&amp;b=2|Dash &amp; board> <@U0ALICE01> <#C0ALERTS1|alerts> <!channel>',
      ),
    ).toEqual([
      { kind: 'link', url: 'https://a.example/x?a=1&b=2', label: 'Dash & board' },
      text(' '),
      { kind: 'user', id: 'U0ALICE01' },
      text(' '),
      { kind: 'channel', id: 'C0ALERTS1', label: 'alerts' },
      text(' '),
      { kind: 'broadcast', name: 'channel' },
    ]);
    expect(parseMrkdwn('<!date^1767225600^{date_short} {time}|2026-01-01 00:00 UTC>')).toEqual([
      { kind: 'date', epoch: 1767225600, format: '{date_short} {time}', fallback: '2026-01-01 00:00 UTC' },
    ]);
  });

  it('decodes Slack escapes, so escaped markup stays text', () => {
    expect(parseMrkdwn('a &lt;b&gt; &amp; c')).toEqual([text('a <b> & c')]);
    expect(parseMrkdwn('&lt;script&gt;')).toEqual([text('<script>')]);
  });

  it('links bare URLs and replaces emoji shortcodes', () => {
    expect(parseMrkdwn(':warning: see https://example.com/a.')).toEqual([
      text('⚠️ see '),
      { kind: 'link', url: 'https://example.com/a', label: 'https://example.com/a' },
      text('.'),
    ]);
    expect(parseMrkdwn(':not_an_emoji:')).toEqual([text(':not_an_emoji:')]);
  });

  it('leaves bare URLs as text in a verbatim text object, as Slack does, and still reads manual links', () => {
    expect(
      parseMrkdwn('see https://example.com/a and <https://b.example|b> *bold*', { verbatim: true }),
    ).toEqual([
      text('see https://example.com/a and '),
      { kind: 'link', url: 'https://b.example', label: 'b' },
      text(' '),
      { kind: 'bold', children: [text('bold')] },
    ]);
  });

  it('keeps code blocks verbatim and reads quotes and line breaks', () => {
    expect(parseMrkdwn('before\n```\n*not bold* <x>\n```\nafter')).toEqual([
      text('before'),
      { kind: 'pre', text: '*not bold* <x>\n' },
      text('after'),
    ]);
    expect(parseMrkdwn('one\n> quoted *line*\n> two\nthree')).toEqual([
      text('one'),
      {
        kind: 'quote',
        children: [text('quoted '), { kind: 'bold', children: [text('line')] }, { kind: 'br' }, text('two')],
      },
      text('three'),
    ]);
  });

  it('only lets web and mail links be links', () => {
    expect(isSafeUrl('https://example.com')).toBe(true);
    expect(isSafeUrl('mailto:a@example.com')).toBe(true);
    expect(isSafeUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeUrl('data:text/html,x')).toBe(false);
  });

  it('formats <!date> tokens', () => {
    const epoch = Date.UTC(2026, 0, 2, 9, 5, 7) / 1000;
    const utc = { timeZone: 'UTC', now: Date.UTC(2026, 0, 10) };
    expect(formatSlackDate(epoch, '{date_num} {time} {time_secs}', utc)).toBe('2026-01-02 09:05 09:05:07');
    expect(formatSlackDate(epoch, '{date_short}', utc)).toBe('Jan 2, 2026');
    expect(formatSlackDate(epoch, '{date}', utc)).toBe('January 2nd, 2026');
    expect(formatSlackDate(epoch, '{date_long}', utc)).toBe('Friday, January 2nd, 2026');
    expect(formatSlackDate(epoch, '{date_pretty}', { ...utc, now: Date.UTC(2026, 0, 2, 20) })).toBe('today');
    expect(formatSlackDate(epoch, '{date_short_pretty}', { ...utc, now: Date.UTC(2026, 0, 3, 1) })).toBe(
      'yesterday',
    );
    expect(formatSlackDate(epoch, '{ago}', { ...utc, now: (epoch + 180) * 1000 })).toBe('3 minutes ago');
    expect(formatSlackDate(Date.UTC(2026, 0, 11) / 1000, '{date}', utc)).toBe('January 11th, 2026');
    expect(formatSlackDate(epoch, '{unknown}', utc)).toBe('{unknown}');
  });
});
