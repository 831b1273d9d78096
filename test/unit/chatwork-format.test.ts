/**
 * The Chatwork layout against the seed (../shared/seeds/chatwork-error-notifications.md, "通知メッセージの例"),
 * line by line. The seed's lines are copied verbatim below; the one substitution is the first line, which the
 * seed shows as Chatwork renders it (`[To:all]`) and which is sent as Chatwork's real tag (`[toall]`).
 */
import { describe, expect, it } from 'vitest';
import {
  formatErrorNotice,
  formatNoticeTime,
  formatWarningNotice,
  SEED_ERROR_NOTICE,
  SEED_WARNING_NOTICE,
} from '../../src/domain/chatwork-format.js';

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
});
