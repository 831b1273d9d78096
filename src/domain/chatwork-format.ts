/**
 * Chatwork notice bodies, in the seed's layout (../shared/seeds/chatwork-error-notifications.md, "通知メッセージの例"),
 * line for line. The one deliberate difference: the seed shows the to-all mention as Chatwork *renders* it,
 * `[To:all]`; the message body must carry Chatwork's real tag, `[toall]`, for the mention to happen.
 * No `[info]` wrapping, so the lines stay exactly the seed's.
 *
 * Everything a notice carries is shown as plain text (`chatworkText`): only the layout itself — the leading
 * `[toall]` of an error notice — is Chatwork notation. The footer counts as layout (Hikeshi's own fixed lines).
 *
 * Times are shown in Asia/Tokyo by default (the seed's readers are in Japan and its examples carry no zone);
 * pass another IANA zone to change it.
 */
import type { ErrorNotice, WarningNotice } from './notice.js';

export const DEFAULT_NOTICE_TIME_ZONE = 'Asia/Tokyo';
export const CHATWORK_TO_ALL = '[toall]';

export interface NoticeFormatOptions {
  /** IANA time zone for `発生時刻`. Default Asia/Tokyo. */
  timeZone?: string;
}

/**
 * Text shown literally in a Chatwork message. Chatwork's message notation
 * (https://developer.chatwork.com/docs/message-notation) marks every tag with ASCII square brackets — `[toall]`,
 * `[To:123]`, `[rp aid=… to=…]`, `[qt]`, `[info]`, `[title]`, `[hr]`, `[picon:…]`, `[code]` — and documents no
 * way to escape one. So the brackets of the text are replaced by their fullwidth forms, `［` (U+FF3B) and `］`
 * (U+FF3D):
 * - no text, and no line the layout builds from several texts, can contain a tag, whatever tag names Chatwork
 *   has or adds later: the only ASCII brackets left in a notice are the layout's own `[toall]`;
 * - the reader still sees a bracket wherever the sender wrote one (`［To:123］ 山田さん` reads as what was sent;
 *   fullwidth brackets are ordinary in Japanese text), and the change is visible, so nobody mistakes it for the
 *   original. A zero-width space inside the tag would look identical, but it would silently break copy and
 *   paste (a pasted id no longer matches in a search) and depends on Chatwork never stripping invisible characters.
 */
export function chatworkText(text: string): string {
  return text.replace(/\[/g, '\uFF3B').replace(/\]/g, '\uFF3D');
}

/** A one-line field (system, kind): as `chatworkText`, with line breaks flattened so the layout keeps its lines. */
function lineText(text: string): string {
  return chatworkText(text.replace(/\s*[\r\n]+\s*/g, ' '));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD HH:mm:ss` in the given zone. */
export function formatNoticeTime(date: Date, timeZone: string = DEFAULT_NOTICE_TIME_ZONE): string {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  const get = (type: string): string => parts[type] ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** One line per detail: a line break inside a key or value would break the list, so it is flattened. */
function detailLines(details: Record<string, string | number>): string[] {
  const entries = Object.entries(details);
  if (entries.length === 0) return [];
  return [
    '',
    '📊 詳細情報:',
    ...entries.map(([key, value]) => `   - ${lineText(key)}: ${lineText(String(value))}`),
  ];
}

/**
 * `📝 メッセージ: <first line>`; further lines of a multi-line message (an error's text under its summary, a
 * stack trace) follow indented like the details, so they read as part of the message.
 */
function messageLines(message: string): string[] {
  const [first = '', ...rest] = chatworkText(message).replace(/\r\n?/g, '\n').split('\n');
  return [`📝 メッセージ: ${first}`, ...rest.map((line) => (line.trim() === '' ? '' : `   ${line}`))];
}

function footerLines(footer: readonly string[] | undefined): string[] {
  return footer === undefined || footer.length === 0 ? [] : ['', ...footer];
}

/**
 * [toall]
 * 🚨 【エラー発生】<system>
 *
 * ⏰ 発生時刻: YYYY-MM-DD HH:mm:ss
 * 🔴 エラー種別: <KIND>
 * 📝 メッセージ: <message>
 *
 * 📊 詳細情報:
 *    - key: value
 *
 * <footer lines>
 */
export function formatErrorNotice(notice: ErrorNotice, options: NoticeFormatOptions = {}): string {
  return [
    CHATWORK_TO_ALL,
    `🚨 【エラー発生】${lineText(notice.system)}`,
    '',
    `⏰ 発生時刻: ${formatNoticeTime(notice.occurredAt, options.timeZone)}`,
    `🔴 エラー種別: ${lineText(notice.kind)}`,
    ...messageLines(notice.message),
    ...detailLines(notice.details),
    ...footerLines(notice.footer),
  ].join('\n');
}

/** Like the error notice without the mention and the kind, headed `⚠️ 【警告】<system>`. */
export function formatWarningNotice(notice: WarningNotice, options: NoticeFormatOptions = {}): string {
  return [
    `⚠️ 【警告】${lineText(notice.system)}`,
    '',
    `⏰ 発生時刻: ${formatNoticeTime(notice.occurredAt, options.timeZone)}`,
    ...messageLines(notice.message),
    ...detailLines(notice.details),
    ...footerLines(notice.footer),
  ].join('\n');
}

const MODEL_ARN =
  'arn:aws:bedrock:ap-northeast-1:026090540679:inference-profile/apac.anthropic.claude-sonnet-4';

/**
 * The seed's own example notices (18:30:45 JST = 09:30:45 UTC), used by `scripts/chatwork-test.ts` and the tests
 * that hold the layout to the seed.
 */
export const SEED_ERROR_NOTICE: ErrorNotice = {
  system: '校正AIシステム',
  occurredAt: new Date(Date.UTC(2025, 4, 30, 9, 30, 45)),
  kind: 'MODEL_ACCESS_DENIED',
  message: `モデルアクセス拒否: ${MODEL_ARN}`,
  details: { function_name: '_invoke_model_with_profile', model_id: MODEL_ARN },
  footer: [
    '👨💻 対応が必要な場合は開発チームまでお知らせください。',
    '🔗 ログ確認: AWS CloudWatch > django-ecs-app',
  ],
};

export const SEED_WARNING_NOTICE: WarningNotice = {
  system: '校正AIシステム',
  occurredAt: new Date(Date.UTC(2025, 4, 30, 9, 25, 30)),
  message: 'プロンプトファイルが見つかりません',
  details: { file_path: '/app/proofreading_ai/prompt.md' },
};
