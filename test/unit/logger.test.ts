import { describe, expect, it } from 'vitest';
import { Secret, loadConfig, secretValuesOf } from '../../src/config/index.js';
import { createScrubber } from '../../src/logger.js';
import { captureLogs } from '../helpers/log-capture.js';

const BOT_TOKEN = 'xoxb-1111-2222-abcdefghijklmnop';
const SIGNING_SECRET = '8f14e45fceea167a5a36dedd4bea2543';
const WIKI_KEY = 'ATATT3xFfGF0-wiki-key';
const SECRETS = [BOT_TOKEN, SIGNING_SECRET, WIKI_KEY];
const PHONE = '+819012340001';
const MASKED = '+81-***-***-0001';

function expectClean(text: string): void {
  for (const value of SECRETS) expect(text).not.toContain(value);
  expect(text).not.toContain('819012340001');
  expect(text).not.toContain('90-1234');
}

describe('secret values never reach a log line', () => {
  it('in the message', () => {
    const { logger, text } = captureLogs({ secrets: SECRETS });
    logger.info(`using token ${BOT_TOKEN}`);
    logger.warn('signing with %s', SIGNING_SECRET);
    expectClean(text());
    expect(text()).toContain('using token [redacted]');
    expect(text()).toContain('signing with [redacted]');
  });

  it('in a nested field, an array and a field name that redact paths do not know', () => {
    const { logger, entries, text } = captureLogs({ secrets: SECRETS });
    logger.info(
      { slack: { client: { options: { headers: { 'x-custom': `Bearer ${BOT_TOKEN}` } } } } },
      'deep',
    );
    logger.info({ list: [{ value: WIKI_KEY }], [SIGNING_SECRET]: 'as a key' }, 'array');
    expectClean(text());
    expect(JSON.stringify(entries()[0])).toContain('Bearer [redacted]');
  });

  it('in an error message, a stack and an error cause', () => {
    const { logger, entries, text } = captureLogs({ secrets: SECRETS });
    const error = new Error(`invalid_auth for ${BOT_TOKEN}`);
    logger.error({ err: error }, 'slack failed');
    const other = new Error('request failed', { cause: new Error(`wiki key ${WIKI_KEY} rejected`) });
    other.stack = `Error: request failed\n    at post (https://wiki.example/rest?key=${WIKI_KEY}:1:2)`;
    logger.error(other);
    expectClean(text());
    const [first, second] = entries();
    expect((first!['err'] as { message: string }).message).toBe('invalid_auth for [redacted]');
    expect((first!['err'] as { stack: string }).stack).toContain('invalid_auth for [redacted]');
    expect((second!['err'] as { stack: string }).stack).toContain('key=[redacted]');
  });

  it('in an authorization header, known or not', () => {
    const { logger, entries, text } = captureLogs({ secrets: SECRETS });
    logger.info({ req: { headers: { authorization: `Bearer ${BOT_TOKEN}` } } }, 'incoming');
    logger.info({ headers: { authorization: 'Bearer some-unregistered-token' } }, 'outgoing');
    logger.info(
      { event: { headers: { Authorization: 'Bearer another-unregistered-token' } } },
      'api gateway',
    );
    logger.info({ request: { headers: { authorization: 'Basic dXNlcjpwYXNz' } } }, 'confluence');
    logger.info({ req: { headers: { 'x-gitlab-token': 'gitlab-unregistered-token' } } }, 'gitlab');
    expectClean(text());
    expect(text()).not.toContain('unregistered-token');
    expect(text()).not.toContain('dXNlcjpwYXNz');
    const [incoming, outgoing] = entries();
    expect(incoming!['req']).toEqual({ headers: { authorization: '[redacted]' } });
    expect(outgoing!['headers']).toEqual({ authorization: '[redacted]' });
  });

  it('with JSON escaping: a secret holding quotes or backslashes', () => {
    const odd = 'p@ss"wo\\rd-123';
    const { logger, text } = captureLogs({ secrets: [odd] });
    logger.info({ value: odd }, `message ${odd}`);
    expect(text()).not.toContain(JSON.stringify(odd).slice(1, -1));
    expect(text()).toContain('[redacted]');
  });

  it('for every Secret in a loaded config, via secretValuesOf', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    const { logger, text } = captureLogs({ secrets: secretValuesOf(config) });
    logger.info({ raw: config.slack.botToken?.reveal() }, `signing ${config.slack.signingSecret?.reveal()}`);
    expectClean(text());
  });
});

describe('phone numbers are masked', () => {
  it('in a message and in a field', () => {
    const { logger, entries, text } = captureLogs();
    logger.info(`calling ${PHONE}`);
    logger.info({ responder: { name: 'Sato', phone: PHONE } }, 'escalating');
    logger.info({ typed: '+81 90-1234-0001' }, 'from a modal');
    expectClean(text());
    const [message, field, typed] = entries();
    expect(message!['msg']).toBe(`calling ${MASKED}`);
    expect(field!['responder']).toEqual({ name: 'Sato', phone: MASKED });
    expect(typed!['typed']).toBe(MASKED);
  });

  it('in an error message', () => {
    const { logger, text } = captureLogs();
    logger.error({ err: new Error(`Connect rejected ${PHONE}`) }, 'call failed');
    expectClean(text());
    expect(text()).toContain(`Connect rejected ${MASKED}`);
  });
});

describe('Secret objects', () => {
  it('log as [redacted] even when the logger was not told their value', () => {
    const secret = new Secret('xapp-1-A0000-unregistered-value');
    const { logger, entries, text } = captureLogs();
    logger.info({ slack: { appToken: secret }, list: [secret] }, `token ${secret}`);
    logger.info('format %s %j %o', secret, secret, secret);
    expect(text()).not.toContain('unregistered-value');
    const [first, second] = entries();
    expect(first!['slack']).toEqual({ appToken: '[redacted]' });
    expect(first!['list']).toEqual(['[redacted]']);
    expect(first!['msg']).toBe('token [redacted]');
    expect(second!['msg']).toBe('format [redacted] "[redacted]" "[redacted]"');
  });
});

describe('request-id child loggers', () => {
  it('carry reqId on every line, through nested children', () => {
    const { logger, entries } = captureLogs();
    const request = logger.child({ reqId: 'req-42' });
    request.info('received');
    request.child({ route: '/api/alerts' }).warn('slow');
    logger.info('no request');
    const [received, slow, plain] = entries();
    expect(received).toMatchObject({ reqId: 'req-42', msg: 'received', service: 'hikeshi', level: 30 });
    expect(slow).toMatchObject({ reqId: 'req-42', route: '/api/alerts', msg: 'slow' });
    expect(plain).not.toHaveProperty('reqId');
  });
});

describe('captureLogs', () => {
  it('records every level down to trace, one JSON object a line', () => {
    const { logger, lines } = captureLogs();
    logger.trace('t');
    logger.debug('d');
    logger.fatal('f');
    expect(lines().map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['t', 'd', 'f']);
  });
});

describe('createScrubber', () => {
  it('ignores values too short to be a real secret, which would mask ordinary words', () => {
    expect(createScrubber(['abc', 'token-123456'])('abc token-123456')).toBe('abc [redacted]');
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    expect(createScrubber(['secret-1', 'secret-123'])('x secret-123 y')).toBe('x [redacted] y');
  });
});
