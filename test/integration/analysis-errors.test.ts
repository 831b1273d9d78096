/**
 * To Bedrock Agent when the agent fails: every error class reaches the thread as a message a responder can act
 * on, and Chatwork as an error notice in the seed's layout, line by line, naming the function and the agent and
 * alias ids. Real button clicks, the real Bedrock client against the fake, the real notifier against the fake
 * Chatwork. THROTTLING is retried by the adapter and succeeds when the agent recovers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatNoticeTime } from '../../src/domain/chatwork-format.js';
import { userMessageFor, type ErrorKind } from '../../src/domain/classify.js';
import type { StoredMessage } from '@hikeshi/slack-emulator';
import { Actions } from '../../src/blocks/ids.js';
import { errorScript, type BedrockScript } from '../fakes/bedrock-agent.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';
import { AGENT_ALIAS_ID, AGENT_ID, startOutsideFakes, type OutsideFakes } from '../helpers/outside-fakes.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
/** Retries per request at each level; the fake is scripted with that many failures where the SDK retries. */
const ATTEMPTS = 2;

const twice = (script: BedrockScript): BedrockScript[] => Array.from({ length: ATTEMPTS }, () => script);

const CASES: { kind: ErrorKind; scripts: BedrockScript[] }[] = [
  { kind: 'MODEL_ACCESS_DENIED', scripts: [errorScript('AccessDeniedException', 'You do not have access')] },
  { kind: 'VALIDATION', scripts: [errorScript('ValidationException', 'inputText is too long')] },
  { kind: 'THROTTLING', scripts: twice(errorScript('ThrottlingException', 'Rate exceeded')) },
  { kind: 'RESOURCE_NOT_FOUND', scripts: [errorScript('ResourceNotFoundException', 'Alias not found')] },
  { kind: 'TIMEOUT', scripts: twice({ type: 'hang' }) },
  { kind: 'SERVICE_UNAVAILABLE', scripts: twice(errorScript('ServiceUnavailableException', 'Try later')) },
  {
    kind: 'UNKNOWN',
    scripts: [{ type: 'error', status: 418, errorType: 'TeapotException', message: 'teapot' }],
  },
];

const shown = (m: StoredMessage | undefined) => JSON.stringify([m?.text, m?.blocks]);

describe('To Bedrock Agent failures', () => {
  let fakes: OutsideFakes;
  let h: TestHikeshi;

  beforeAll(async () => {
    fakes = await startOutsideFakes();
    h = await startHikeshi({
      env: fakes.env,
      overrides: {
        integrations: { bedrock: { maxAttempts: ATTEMPTS, timeoutMs: 400, retryBaseDelayMs: 5 } },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await fakes?.close();
  });
  beforeEach(() => {
    fakes.bedrock.reset();
  });

  /** Opens a warning incident (no "opened" notice of its own), clicks To Bedrock Agent, waits for the job. */
  async function clickAnalyse(): Promise<{ id: string; ts: string }> {
    const opened = await openIncident(h, { severity: 'warning' });
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: opened.ts,
      actionId: Actions.toBedrockAgent,
    });
    await expect.poll(() => fakes.bedrock.requests.length, { timeout: 5000 }).toBeGreaterThan(0);
    await h.app.services.defer.drain();
    return opened;
  }

  const noticeFor = (id: string) =>
    fakes.chatwork.messages.find((m) => m.body.includes(`incident_id: ${id}\n`));

  it.each(CASES)('$kind: a clear message in the thread and a Chatwork notice', async ({ kind, scripts }) => {
    fakes.bedrock.script(...scripts);
    const { id, ts } = await clickAnalyse();

    const reply = h.emulator.workspace
      .thread(CHANNEL, ts)
      .find((m) => shown(m).includes('The analysis failed'));
    expect(reply?.text).toBe(`⚠️ *The analysis failed* (\`${kind}\`): ${userMessageFor(kind)}`);
    // Nothing is left saying "Analysing…".
    expect(h.emulator.workspace.thread(CHANNEL, ts).some((m) => shown(m).includes('Analysing'))).toBe(false);

    await expect.poll(() => noticeFor(id), { timeout: 5000 }).toBeDefined();
    expect(noticeFor(id)?.roomId).toBe('123456789');
    expect(noticeFor(id)?.body.split('\n')).toEqual([
      '[toall]',
      '🚨 【エラー発生】Hikeshi',
      '',
      `⏰ 発生時刻: ${formatNoticeTime(new Date(h.clock.now()))}`,
      `🔴 エラー種別: ${kind}`,
      expect.stringMatching(
        /^📝 メッセージ: Bedrock エージェント呼び出しエラー: InvokeAgent failed \(\w+\): .+/,
      ),
      '',
      '📊 詳細情報:',
      '   - function_name: invokeAgent',
      `   - agent_id: ${AGENT_ID}`,
      `   - agent_alias_id: ${AGENT_ALIAS_ID}`,
      `   - incident_id: ${id}`,
      '',
      '👨💻 対応が必要な場合は開発チームまでお知らせください。',
    ]);
    if (kind === 'THROTTLING' || kind === 'SERVICE_UNAVAILABLE') {
      expect(fakes.bedrock.requests).toHaveLength(ATTEMPTS); // retried, then given up
    }
  });

  it('THROTTLING that clears is retried with backoff and answers normally, with no notice', async () => {
    fakes.bedrock.script(errorScript('ThrottlingException', 'Rate exceeded'), {
      type: 'chunks',
      chunks: ['Recovered answer.'],
    });
    const { id, ts } = await clickAnalyse();
    expect(fakes.bedrock.requests).toHaveLength(2);
    expect(h.emulator.workspace.thread(CHANNEL, ts).some((m) => m.text === 'Recovered answer.')).toBe(true);
    expect(noticeFor(id)).toBeUndefined();
  });

  it('a failure after part of the answer keeps the part and says what went wrong', async () => {
    fakes.bedrock.script({
      type: 'exception',
      traceFirst: true,
      chunks: ['The pool is exhausted. '],
      exceptionType: 'internalServerException',
      message: 'Internal error',
    });
    const { id, ts } = await clickAnalyse();
    const reply = h.emulator.workspace
      .thread(CHANNEL, ts)
      .find((m) => shown(m).includes('The analysis failed'));
    expect(reply?.text).toContain('The pool is exhausted.');
    expect(reply?.text).toContain('`SERVICE_UNAVAILABLE`');
    expect(shown(reply)).toContain('Partial analysis of');
    await expect
      .poll(() => noticeFor(id)?.body, { timeout: 5000 })
      .toContain('エラー種別: SERVICE_UNAVAILABLE');
  });
});
