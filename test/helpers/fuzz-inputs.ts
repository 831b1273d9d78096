/**
 * Hostile inputs for the ingress fuzz tests (issue 11, R1), as fast-check arbitraries: random bytes, truncated
 * and deeply nested JSON, bodies over 1 MB, values of the wrong type, odd Unicode, wrong content types,
 * missing / wrong / duplicated credentials and wrong methods. Most cases start from a real, valid request of
 * the route (its seed) and break one thing, so they get past the first check and reach the deeper ones.
 */
import fc from 'fast-check';

/** Cases per route: `FUZZ_RUNS` (10 000 in `npm run test:fuzz`), a quick sample in `npm test`. */
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
/**
 * `npm test` replays the same cases every run (a fixed seed per route), so it never fails by luck; the nightly
 * run (`npm run test:fuzz`) draws new ones, and fast-check prints the seed of any failure to replay it with
 * FUZZ_SEED.
 */
export function fuzzSeed(index: number): number | undefined {
  const given = process.env['FUZZ_SEED'];
  if (given !== undefined && given !== '') return Number(given);
  return process.env['FUZZ_RUNS'] === undefined ? 20_260_101 + index : undefined;
}

/** Cases per route over real HTTP (headers, body limit, methods through node:http). */
export const HTTP_FUZZ_RUNS = Number(
  process.env['HTTP_FUZZ_RUNS'] ?? Math.max(20, Math.round(FUZZ_RUNS / 10)),
);

const MB = 1024 * 1024;

/** Strings that have broken parsers, terminals, databases and Slack before. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uFEFF{"title":"bom"}',
  '\uD800', // a lone surrogate: JSON.stringify escapes it, Buffer.from writes U+FFFD
  '\uDFFF\uD800',
  '\u202Eevil\u202C', // right-to-left override
  'zero\u200Bwidth\u2060joiner',
  'e\u0301\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
  '𝕳𝖎𝖐𝖊𝖘𝖍𝖎 🔥👩‍🚒🧯',
  'İıſK', // case mapping that changes length
  '火消し\r\n\t',
  '<!channel> <@U0ALICE01> *bold* `code`',
  '%00%2e%2e%2f',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '"; DROP TABLE incidents; --',
  '__proto__',
  'constructor',
  'x'.repeat(10_000),
];

export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ maxLength: 40 }),
);

/** Any JSON value, with odd strings and (rarely) a big one. */
const oddJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: oddString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, -0, 2 ** 53 + 1, [], {}) },
  { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 900_000 }).map((n) => 'y'.repeat(n)) },
);

/** `depth` levels of arrays or objects, closed or not. */
export function nested(depth: number, kind: 'array' | 'object', closed: boolean): string {
  const open = kind === 'array' ? '[' : '{"a":';
  const close = kind === 'array' ? ']' : '}';
  return open.repeat(depth) + (closed ? `1${close.repeat(depth)}` : '');
}

const nestingDepth = fc.constantFrom(10, 33, 100, 1000, 10_000, 100_000);

const DEEP = '__hikeshi_fuzz_deep__';

/** Sets `value` at a random path of a copy of `seed` (top level or one level down). */
function mutate(seed: unknown, path: string[], value: unknown): unknown {
  if (typeof seed !== 'object' || seed === null || Array.isArray(seed) || path.length === 0) return value;
  const copy: Record<string, unknown> = { ...(seed as Record<string, unknown>) };
  const [head, ...rest] = path;
  if (head === undefined) return copy;
  copy[head] = mutate(copy[head], rest, value);
  return copy;
}

function keyPaths(seed: unknown, prefix: string[] = [], depth = 0): string[][] {
  if (typeof seed !== 'object' || seed === null || Array.isArray(seed) || depth > 2) return [];
  return Object.entries(seed).flatMap(([key, value]) => [
    [...prefix, key],
    ...keyPaths(value, [...prefix, key], depth + 1),
  ]);
}

export type BodyKind =
  | 'seed'
  | 'mutated'
  | 'deep-field'
  | 'removed'
  | 'truncated'
  | 'bytes'
  | 'nested'
  | 'other-json'
  | 'odd-text'
  | 'empty'
  | 'huge';

export interface FuzzBody {
  kind: BodyKind;
  bytes: Buffer;
}

/** Bodies derived from `seed` (a valid body of the route), or none at all. */
export function bodyArb(seed: unknown): fc.Arbitrary<FuzzBody> {
  const text = JSON.stringify(seed);
  const paths = keyPaths(seed);
  const body = (kind: BodyKind) => (bytes: Buffer | string) => ({
    kind,
    bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'),
  });
  const pathArb = paths.length > 0 ? fc.constantFrom(...paths) : fc.constant([] as string[]);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(text).map(body('seed')) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(pathArb, oddJson)
        .map(([path, value]) => JSON.stringify(mutate(seed, path, value)))
        .map(body('mutated')),
    },
    {
      weight: 2,
      // Spliced in as text: building a 100 000-level value in JS would overflow the stack of the test itself.
      arbitrary: fc
        .tuple(pathArb, nestingDepth, fc.constantFrom<'array' | 'object'>('array', 'object'))
        .map(([path, depth, kind]) =>
          JSON.stringify(mutate(seed, path, DEEP)).replace(`"${DEEP}"`, nested(depth, kind, true)),
        )
        .map(body('deep-field')),
    },
    {
      weight: 2,
      arbitrary: pathArb.map((path) => JSON.stringify(mutate(seed, path, undefined))).map(body('removed')),
    },
    {
      weight: 3,
      arbitrary: fc
        .nat({ max: Math.max(0, text.length - 1) })
        .map((n) => body('truncated')(text.slice(0, n))),
    },
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((a) => body('bytes')(Buffer.from(a))) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(nestingDepth, fc.constantFrom<'array' | 'object'>('array', 'object'), fc.boolean())
        .map(([depth, kind, closed]) => body('nested')(nested(depth, kind, closed))),
    },
    {
      weight: 2,
      arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => body('other-json')(JSON.stringify(v))),
    },
    { weight: 2, arbitrary: oddString.map(body('odd-text')) },
    { weight: 1, arbitrary: fc.constant(body('empty')('')) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: MB + 1, max: MB + 64 * 1024 })
        .map((n) => body('huge')(Buffer.alloc(n, text.length > 0 ? text.charCodeAt(0) : 32))),
    },
  );
}

export type AuthMode = 'valid' | 'missing' | 'wrong' | 'duplicate' | 'empty' | 'odd';

/** Mostly the right credential (so the body is what gets tested), else every way of getting it wrong. */
export const authArb: fc.Arbitrary<AuthMode> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<AuthMode>('valid') },
  { weight: 4, arbitrary: fc.constantFrom<AuthMode>('missing', 'wrong', 'duplicate', 'empty', 'odd') },
);

export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'text/plain; charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/vnd.api+json',
      'application/json, text/plain', // a header sent twice, as Node joins it
      'application/json; charset=utf-16',
      '',
      ';;;',
      '\u00ff/\u00fe',
    ),
  },
);

export const wrongMethodArb = fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'FOO');

/** A path segment: ordinary, odd, percent-encoded (validly or not), traversal attempts. */
export const segmentArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z0-9._-]{1,40}$/),
  fc.constantFrom(
    '%E0%A4%A',
    '%',
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    '..',
    '.',
    'report.html',
    'INC-1.html',
    '%F0%9F%94%A5',
    'a'.repeat(500),
  ),
  // Percent-encoded bytes (encodeURIComponent refuses lone surrogates; the router must not).
  oddString.map((s) =>
    [...Buffer.from(s, 'utf8').subarray(0, 200)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
  ),
);

/** Extra headers a hostile or confused sender might add. */
export const extraHeadersArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom(
    'x-github-delivery',
    'x-github-event',
    'x-gitlab-event',
    'x-gitlab-event-uuid',
    'idempotency-key',
    'x-amz-sns-message-type',
    'x-slack-retry-num',
    'x-request-id',
    'content-encoding',
    'transfer-encoding-hint',
  ),
  fc.oneof(
    fc.stringMatching(/^[\w.:-]{0,60}$/),
    fc.constantFrom('issues', 'Issue Hook', 'Notification', 'x'.repeat(5000), 'gzip', '0, 0'),
  ),
  { maxKeys: 3 },
);
