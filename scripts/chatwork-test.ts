/**
 * `npm run chatwork:test` (tsx scripts/chatwork-test.ts): sends the seed's test error and warning notices to a
 * Chatwork room, like the seed's test_chatwork_notification.py, and prints the seed's expected lines.
 * Environment: CHATWORK_API_TOKEN, CHATWORK_ROOM_ID, and optionally CHATWORK_API_URL (default
 * https://api.chatwork.com/v2). The notifier never throws, so success is judged from its log: a delivery that
 * failed logs "chatwork notice failed" at warn level.
 */
import { Writable } from 'node:stream';
import { SEED_ERROR_NOTICE, SEED_WARNING_NOTICE } from '../src/domain/chatwork-format.js';
import { createChatworkNotifier, DEFAULT_CHATWORK_API_URL } from '../src/integrations/chatwork.js';
import { createLogger } from '../src/logger.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

const token = process.env.CHATWORK_API_TOKEN ?? '';
const roomId = process.env.CHATWORK_ROOM_ID ?? '';
const apiUrl = process.env.CHATWORK_API_URL || DEFAULT_CHATWORK_API_URL;

say('🧪 チャットワーク通知機能テスト開始');
if (token === '' || roomId === '') {
  complain('❌ チャットワーク設定が不完全です: CHATWORK_API_TOKEN と CHATWORK_ROOM_ID を設定してください');
  process.exit(1);
}

const failures: string[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    const line = JSON.parse(chunk.toString('utf8')) as { msg?: string; status?: number; reason?: string };
    if (line.msg === 'chatwork notice failed' || line.msg === 'chatwork notice deferred') {
      const text = `${line.msg} (status ${line.status ?? '-'}): ${line.reason ?? ''}`;
      if (line.msg === 'chatwork notice failed') failures.push(text);
      complain(`   ${text}`);
    }
    callback();
  },
});
const logger = createLogger({ level: 'info', destination, secrets: [token] });
const notifier = createChatworkNotifier({ apiUrl, apiToken: token, roomId, system: 'Hikeshi', logger });
say('✅ チャットワーク通知機能が正常に動作しています');

async function step(label: string, send: () => Promise<void>): Promise<boolean> {
  const before = failures.length;
  await send();
  const ok = failures.length === before;
  say(ok ? `✅ ${label}テスト成功` : `❌ ${label}テスト失敗`);
  return ok;
}

const now = new Date();
const errorOk = await step('エラー通知', () => notifier.error({ ...SEED_ERROR_NOTICE, occurredAt: now }));
const warningOk = await step('警告通知', () => notifier.warning({ ...SEED_WARNING_NOTICE, occurredAt: now }));
if (errorOk && warningOk) {
  say('🎉 すべてのテストが成功しました！');
} else {
  complain('❌ チャットワーク通知送信エラー: APIトークン、ルームID、ネットワーク接続を確認してください');
  process.exitCode = 1;
}
