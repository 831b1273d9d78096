/**
 * The Chatwork layout against the seed (../shared/seeds/chatwork-error-notifications.md, "通知メッセージの例"),
 * line by line. The seed's lines are copied verbatim below; the one substitution is the first line, which the
 * seed shows as Chatwork renders it (`[To:all]`) and which is sent as Chatwork's real tag (`[toall]`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chatworkText,
  formatErrorNotice,
  formatNoticeTime,
  formatWarningNotice,
  SEED_ERROR_NOTICE,
  SEED_WARNING_NOTICE,
} from '../../src/domain/chatwork-format.js';
import { chatworkTags } from '../fakes/chatwork.js';
import { hostileText, hostileTitle } from '../helpers/hostile-text.js';

const SEED_ERROR_LINES = [
  '[To:all]',
  '🚨 【エラー発生】校正AIシステム',
  '',
  '⏰ 発生時刻: 2025-05-30 18:30:45',
  '🔴 エラー種別: MODEL_ACCESS_DENIED',
  '📝 メッセージ: モデルアクセス拒否: arn:aws:bedrock:ap-northeast-1:026090540679:inference-profile/apac.anthropic.claude-sonnet-4',
  '',
  '📊 詳細情報:',
  '   - function_name: _invoke_model_with_profile',
  '   - model_id: arn:aws:bedrock:ap-northeast-1:026090540679:inference-profile/apac.anthropic.claude-sonnet-4',
  '',
  '👨💻 対応が必要な場合は開発チームまでお知らせください。',
  '🔗 ログ確認: AWS CloudWatch > django-ecs-app',
];

const SEED_WARNING_LINES = [
  '⚠️ 【警告】校正AIシステム',
  '',
  '⏰ 発生時刻: 2025-05-30 18:25:30',
  '📝 メッセージ: プロンプトファイルが見つかりません',
  '',
  '📊 詳細情報:',
  '   - file_path: /app/proofreading_ai/prompt.md',
];

describe('chatwork-format', () => {
  it('formats the seed error notice line by line, with the real [toall] tag', () => {
    const lines = formatErrorNotice(SEED_ERROR_NOTICE).split('\n');
    expect(SEED_ERROR_LINES[0]).toBe('[To:all]');
    expect(lines).toEqual(['[toall]', ...SEED_ERROR_LINES.slice(1)]);
  });

  it('formats the seed warning notice line by line, with no mention and no kind', () => {
    const body = formatWarningNotice(SEED_WARNING_NOTICE);
    expect(body.split('\n')).toEqual(SEED_WARNING_LINES);
    expect(body).not.toContain('[toall]');
    expect(body).not.toContain('エラー種別');
  });

  it('leaves out the details section when there are no details, and flattens multi-line values', () => {
    const body = formatWarningNotice({ ...SEED_WARNING_NOTICE, details: {} });
    expect(body).not.toContain('詳細情報');
    const flat = formatErrorNotice({
      ...SEED_ERROR_NOTICE,
      details: { stack: 'Error: x\n    at y', attempts: 3 },
      footer: [],
    });
    expect(flat.split('\n').slice(-3)).toEqual([
      '📊 詳細情報:',
      '   - stack: Error: x at y',
      '   - attempts: 3',
    ]);
  });

  it('shows Asia/Tokyo time by default and another zone when asked', () => {
    const at = new Date(Date.UTC(2025, 11, 31, 15, 0, 5));
    expect(formatNoticeTime(at)).toBe('2026-01-01 00:00:05');
    expect(formatNoticeTime(at, 'UTC')).toBe('2025-12-31 15:00:05');
  });

  it('indents the further lines of a multi-line message under its first', () => {
    const body = formatErrorNotice({
      ...SEED_ERROR_NOTICE,
      message: 'Job failed: Nightly backup\npg_dump: connection refused\r\n\n    at main (run.py:3)',
      details: {},
      footer: [],
    });
    expect(body.split('\n').slice(5)).toEqual([
      '📝 メッセージ: Job failed: Nightly backup',
      '   pg_dump: connection refused',
      '',
      '       at main (run.py:3)',
    ]);
  });
});

/** What a reader sees of sender text: the fullwidth brackets read back as the ones the sender typed. */
const asTyped = (text: string) => text.replace(/\uFF3B/g, '[').replace(/\uFF3D/g, ']');

describe('sender text in a Chatwork notice is plain text', () => {
  const hostile = '[toall][To:123] 山田さん [info][title]偽の告知[/title]本文[/info] [rp aid=1 to=2-3]';

  it('shows Chatwork tags in the title, kind, details and system, and pings only with the layout', () => {
    const body = formatErrorNotice({
      system: 'Hikeshi [hr]',
      occurredAt: SEED_ERROR_NOTICE.occurredAt,
      kind: 'job:[toall]/error',
      message: hostile,
      details: { '[To:1]': '[picon:1]', link: 'https://example.com/a[0]' },
      footer: ['👨💻 対応が必要な場合は開発チームまでお知らせください。'],
    });
    expect(chatworkTags(body)).toEqual(['[toall]']);
    expect(body.startsWith('[toall]\n')).toBe(true);
    const lines = body.split('\n');
    expect(lines[1]).toBe('🚨 【エラー発生】Hikeshi ［hr］');
    expect(lines[4]).toBe('🔴 エラー種別: job:［toall］/error');
    expect(lines[5]).toBe(
      '📝 メッセージ: ［toall］［To:123］ 山田さん ［info］［title］偽の告知［/title］本文［/info］ ［rp aid=1 to=2-3］',
    );
    expect(lines).toContain('   - ［To:1］: ［picon:1］');
    expect(lines).toContain('   - link: https://example.com/a［0］');
  });

  it('a warning notice carries no tag at all', () => {
    const body = formatWarningNotice({ ...SEED_WARNING_NOTICE, message: hostile, details: { x: hostile } });
    expect(chatworkTags(body)).toEqual([]);
  });

  it('chatworkText leaves no ASCII bracket and changes nothing else', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const shown = chatworkText(text);
        expect(shown).not.toMatch(/[[\]]/);
        expect(shown).toHaveLength(text.length);
        expect(asTyped(shown)).toBe(asTyped(text));
      }),
      { numRuns: 500 },
    );
  });

  it("whatever the sender writes, the only tag is the layout's [toall] and the message reads as written", () => {
    const notice = fc.record({
      system: hostileText,
      kind: hostileTitle,
      message: hostileTitle,
      details: fc.dictionary(hostileTitle, fc.oneof(hostileText, fc.integer()), { maxKeys: 4 }),
    });
    fc.assert(
      fc.property(notice, (n) => {
        const error = formatErrorNotice({ ...n, occurredAt: SEED_ERROR_NOTICE.occurredAt, footer: [] });
        expect(chatworkTags(error)).toEqual(['[toall]']);
        expect(error.indexOf('[')).toBe(0);
        const warning = formatWarningNotice({ ...n, occurredAt: SEED_ERROR_NOTICE.occurredAt });
        expect(chatworkTags(warning)).toEqual([]);
        // The message's first line, as shown, is the sender's first line.
        const firstLine = n.message.replace(/\r\n?/g, '\n').split('\n')[0] ?? '';
        const shown = error.split('\n').find((line) => line.startsWith('📝 メッセージ: ')) ?? '';
        expect(asTyped(shown.slice('📝 メッセージ: '.length))).toBe(asTyped(firstLine));
      }),
      { numRuns: 500 },
    );
  });
});
