/**
 * Slack's `mrkdwn` parsed into a small tree the page renders with DOM calls (never innerHTML), so text that came
 * from an app's message cannot become markup. Pure: no DOM, unit-tested in test/unit/web-mrkdwn.test.ts.
 *
 * Covers what apps' messages use and what people type: *bold*, _italic_, ~strike~, `code`, ```pre```, `>`
 * quotes, line breaks, `<url|label>` links and bare URLs, `<@U…>` mentions, `<#C…>` channels, `<!channel>`-style
 * broadcasts, `<!date^…|fallback>`, the `&amp;` `&lt;` `&gt;` escapes, and common `:emoji:` shortcodes.
 * https://docs.slack.dev/messaging/formatting-message-text
 */

export type MrkdwnNode =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: MrkdwnNode[] }
  | { kind: 'code'; text: string }
  | { kind: 'pre'; text: string }
  | { kind: 'quote'; children: MrkdwnNode[] }
  | { kind: 'br' }
  | { kind: 'link'; url: string; label: string }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  | { kind: 'broadcast'; name: string }
  | { kind: 'date'; epoch: number; format: string; fallback: string; url?: string };

export const EMOJI: Readonly<Record<string, string>> = {
  warning: '⚠️',
  rotating_light: '🚨',
  fire: '🔥',
  eyes: '👀',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  memo: '📝',
  page_facing_up: '📄',
  robot_face: '🤖',
  telephone_receiver: '📞',
  phone: '☎️',
  information_source: 'ℹ️',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  large_green_circle: '🟢',
  thumbsup: '👍',
  '+1': '👍',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  bell: '🔔',
  mag: '🔍',
  link: '🔗',
  bulb: '💡',
  tada: '🎉',
  wave: '👋',
};

/** Slack escapes exactly these three in message text. */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function replaceEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all);
}

/** Links the page may open: web and mail only (a `javascript:` URL in a message must stay text). */
export function isSafeUrl(url: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(url);
}

const BARE_URL = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/g;

/**
 * How Slack treats the plain-text parts: a text object with `verbatim: true` is not preprocessed, so a bare URL
 * in it stays text (https://docs.slack.dev/reference/block-kit/composition-objects/text-object).
 */
export interface ParseOptions {
  verbatim?: boolean;
}

function textNodes(raw: string, options: ParseOptions): MrkdwnNode[] {
  const text = replaceEmoji(decodeEntities(raw));
  if (options.verbatim === true) return text === '' ? [] : [{ kind: 'text', text }];
  const out: MrkdwnNode[] = [];
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    if (match.index > last) out.push({ kind: 'text', text: text.slice(last, match.index) });
    out.push({ kind: 'link', url: match[0], label: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** `<…>` contents: a mention, channel, broadcast, date, or link. */
function special(inner: string): MrkdwnNode {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : decodeEntities(inner.slice(bar + 1));
  const withLabel = label === undefined || label === '' ? {} : { label };
  if (target.startsWith('@')) return { kind: 'user', id: target.slice(1), ...withLabel };
  if (target.startsWith('#')) return { kind: 'channel', id: target.slice(1), ...withLabel };
  if (target.startsWith('!date^')) {
    const [, epoch, format, url] = target.split('^');
    return {
      kind: 'date',
      epoch: Number(epoch),
      format: format ?? '{date_short}',
      fallback: label ?? '',
      ...(url === undefined ? {} : { url: decodeEntities(url) }),
    };
  }
  if (target.startsWith('!subteam^')) return { kind: 'broadcast', name: label ?? 'group' };
  if (target.startsWith('!')) return { kind: 'broadcast', name: target.slice(1) };
  const url = decodeEntities(target);
  return { kind: 'link', url, label: label ?? url };
}

const WORD = /[\p{L}\p{N}]/u;

/**
 * Index of the closing `mark` for an opening at `start`, or -1. Slack wants no space just inside the marks, no
 * letter or digit just outside them, and a run of marks (`***` in a masked number) is text, not markup.
 */
function closing(line: string, start: number, mark: string): number {
  const single = (i: number) => line[i - 1] !== mark && line[i + 1] !== mark;
  if (start > 0 && WORD.test(line[start - 1] ?? '')) return -1;
  if (/\s/.test(line[start + 1] ?? ' ') || !single(start)) return -1;
  for (let j = start + 2; j < line.length; j += 1) {
    if (line[j] !== mark || /\s/.test(line[j - 1] ?? '') || !single(j)) continue;
    if (j + 1 < line.length && WORD.test(line[j + 1] ?? '')) continue;
    return j;
  }
  return -1;
}

const STYLE: Record<string, 'bold' | 'italic' | 'strike'> = { '*': 'bold', _: 'italic', '~': 'strike' };

export function parseInline(line: string, options: ParseOptions = {}): MrkdwnNode[] {
  const out: MrkdwnNode[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer !== '') out.push(...textNodes(buffer, options));
    buffer = '';
  };
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] ?? '';
    if (c === '`') {
      const end = line.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ kind: 'code', text: decodeEntities(line.slice(i + 1, end)) });
        i = end;
        continue;
      }
    } else if (c === '<') {
      const end = line.indexOf('>', i + 1);
      if (end > i + 1) {
        flush();
        out.push(special(line.slice(i + 1, end)));
        i = end;
        continue;
      }
    } else if (STYLE[c]) {
      const end = closing(line, i, c);
      if (end > 0) {
        flush();
        out.push({ kind: STYLE[c], children: parseInline(line.slice(i + 1, end), options) });
        i = end;
        continue;
      }
    }
    buffer += c;
  }
  flush();
  return out;
}

function parseLines(text: string, options: ParseOptions): MrkdwnNode[] {
  const out: MrkdwnNode[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    // Quotes are blocks: no line break before or after one.
    if (i > 0 && out.at(-1)?.kind !== 'quote' && !line.startsWith('>')) out.push({ kind: 'br' });
    if (line.startsWith('>')) {
      const quoted: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('>')) {
        quoted.push((lines[i] ?? '').replace(/^> ?/, ''));
        i += 1;
      }
      i -= 1;
      out.push({ kind: 'quote', children: parseLines(quoted.join('\n'), options) });
      continue;
    }
    out.push(...parseInline(line, options));
  }
  return out;
}

export function parseMrkdwn(text: string, options: ParseOptions = {}): MrkdwnNode[] {
  const out: MrkdwnNode[] = [];
  let last = 0;
  for (const match of text.matchAll(/```([\s\S]*?)```/g)) {
    if (match.index > last)
      out.push(...parseLines(text.slice(last, match.index).replace(/\n$/, ''), options));
    out.push({ kind: 'pre', text: decodeEntities((match[1] ?? '').replace(/^\n/, '')) });
    last = match.index + match[0].length;
  }
  // A line break right after a closing fence belongs to the fence.
  const rest = last > 0 ? text.slice(last).replace(/^\n/, '') : text;
  if (rest !== '') out.push(...parseLines(rest, options));
  return out;
}

/** Plain text (a plain_text object) with emoji. */
export function plainText(text: string, emoji = true): string {
  return emoji ? replaceEmoji(text) : text;
}

// ------------------------------------------------------------------------------------------------- dates

function ordinal(day: number): string {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][day % 10] ?? 'th');
  return `${day}${suffix}`;
}

export interface DateFormatOptions {
  timeZone?: string;
  /** Now in epoch milliseconds, for the _pretty and {ago} tokens. */
  now?: number;
}

/**
 * Formats `<!date^epoch^format|fallback>` as Slack documents the tokens ({date_num}, {date}, {date_short},
 * {date_long}, their _pretty forms, {time}, {time_secs}, {ago}), in English and 24-hour time.
 */
export function formatSlackDate(epoch: number, format: string, options: DateFormatOptions = {}): string {
  if (!Number.isFinite(epoch)) return '';
  const date = new Date(epoch * 1000);
  const tz = options.timeZone === undefined ? {} : { timeZone: options.timeZone };
  const parts = (o: Intl.DateTimeFormatOptions) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { ...o, ...tz }).formatToParts(date).map((p) => [p.type, p.value]),
    );
  const p = parts({ year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
  const short = parts({ month: 'short' })['month'] ?? '';
  const n = parts({ year: 'numeric', month: '2-digit', day: '2-digit' });
  const t = parts({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const day = Number(p['day']);
  const dayKey = (ms: number) => {
    const q = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', ...tz })
        .formatToParts(new Date(ms))
        .map((x) => [x.type, x.value]),
    );
    return `${q['year']}-${q['month']}-${q['day']}`;
  };
  const now = options.now ?? Date.now();
  const relative = (): string | undefined => {
    const key = dayKey(epoch * 1000);
    if (key === dayKey(now)) return 'today';
    if (key === dayKey(now - 86_400_000)) return 'yesterday';
    if (key === dayKey(now + 86_400_000)) return 'tomorrow';
    return undefined;
  };
  const tokens: Record<string, () => string> = {
    date_num: () => `${n['year']}-${n['month']}-${n['day']}`,
    date: () => `${p['month']} ${ordinal(day)}, ${p['year']}`,
    date_short: () => `${short} ${day}, ${p['year']}`,
    date_long: () => `${p['weekday']}, ${p['month']} ${ordinal(day)}, ${p['year']}`,
    date_pretty: () => relative() ?? tokens['date']?.() ?? '',
    date_short_pretty: () => relative() ?? tokens['date_short']?.() ?? '',
    date_long_pretty: () => relative() ?? tokens['date_long']?.() ?? '',
    time: () => `${t['hour']}:${t['minute']}`,
    time_secs: () => `${t['hour']}:${t['minute']}:${t['second']}`,
    ago: () => ago(now - epoch * 1000),
  };
  return format.replace(/\{(\w+)\}/g, (all, name: string) => tokens[name]?.() ?? all);
}

function ago(ms: number): string {
  const future = ms < 0;
  const s = Math.round(Math.abs(ms) / 1000);
  const [value, unit] =
    s < 60
      ? [s, 'second']
      : s < 3600
        ? [Math.round(s / 60), 'minute']
        : s < 86_400
          ? [Math.round(s / 3600), 'hour']
          : [Math.round(s / 86_400), 'day'];
  const text = `${value} ${unit}${value === 1 ? '' : 's'}`;
  return future ? `in ${text}` : `${text} ago`;
}
