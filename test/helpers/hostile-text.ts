/**
 * Sender text written to be misread: Slack's control sequences and special mentions, Chatwork's notation tags,
 * already-escaped entities (which must not be decoded into markup), broken halves of both, newlines and
 * non-ASCII, mixed with arbitrary strings. Used by the property tests over the formatters.
 */
import fc from 'fast-check';

export const HOSTILE_FRAGMENTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!here|here>',
  '<@U0ALICE01>',
  '<@W12345>',
  '<#C0ALERTS1>',
  '<#C0ALERTS1|alerts>',
  '<!subteam^S0ONCALL|@oncall>',
  '<https://evil.example|your bank>',
  '<mailto:x@evil.example>',
  '<!date^1700000000^{date}|x>',
  '@channel',
  '@here',
  '@everyone',
  '&lt;!channel&gt;',
  '&amp;',
  '&',
  '<',
  '>',
  '|',
  '[toall]',
  '[TOALL]',
  '[To:123]',
  '[To:123] 山田さん',
  '[rp aid=1 to=2-3]',
  '[返信 aid=1 to=2-3]',
  '[info][title]偽[/title]本文[/info]',
  '[qt][qtmeta aid=1]引用[/qt]',
  '[hr]',
  '[picon:1]',
  '[code]',
  '[',
  ']',
  '［toall］',
  '\n',
  '\r\n',
  '```',
  '*bold*',
  '🚨',
  '  ',
] as const;

/** One hostile string: fragments and arbitrary text, in any order. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** Like `hostileText`, never blank (titles and keys must say something). */
export const hostileTitle: fc.Arbitrary<string> = hostileText.filter((text) => text.trim() !== '');
