/**
 * To Bedrock Agent through the whole app: the real button click over Socket Mode, the real
 * BedrockAgentRuntimeClient (HTTP/2, SigV4, event stream) against the fake agent, the reply streamed into the
 * incident's thread at most once per interval, the full answer at the end (split when long), the timeline note,
 * follow-ups by mention in the same session, `/incident analyze`, and the local analyser when no agent is set.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_ANALYSIS_HEADER } from '../../src/domain/local-analyser.js';
import type { StoredMessage } from '@hikeshi/slack-emulator';
import { Actions } from '../../src/blocks/ids.js';
import { STREAM_UPDATE_INTERVAL_MS } from '../../src/services/analysis.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';
import { AGENT_ALIAS_ID, AGENT_ID, startOutsideFakes, type OutsideFakes } from '../helpers/outside-fakes.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

const replies = (h: TestHikeshi, ts: string): StoredMessage[] =>
  h.emulator.workspace.thread(CHANNEL, ts).slice(1);
const shown = (m: StoredMessage | undefined) => JSON.stringify([m?.text, m?.blocks]);

/** The analysis messages: they open with a context line naming who asked (timeline replies are plain text). */
function analysisReplies(h: TestHikeshi, ts: string): StoredMessage[] {
  return replies(h, ts).filter((m) => m.blocks[0]?.['type'] === 'context' && shown(m).includes('asked by'));
}

describe('To Bedrock Agent with the agent configured', () => {
  let fakes: OutsideFakes;
  let h: TestHikeshi;

  beforeAll(async () => {
    fakes = await startOutsideFakes();
    h = await startHikeshi({
      env: fakes.env,
      overrides: { integrations: { bedrock: { retryBaseDelayMs: 5 } } },
    });
  });
  afterAll(async () => {
    await h?.close();
    await fakes?.close();
  });
  beforeEach(() => fakes.bedrock.reset());

  it('streams the chunks into the thread reply, then ends with the full answer', async () => {
    const { id, ts } = await openIncident(h);
    // Chunk 0 is empty (the adapter skips it): its gate-less write only marks that the request has arrived, so
    // every real chunk is written after its gate has moved the clock past the interval.
    const chunks = [
      '',
      '## Likely cause\n',
      'The **payments** upstream ',
      'refused connections ',
      '(see `ECONNREFUSED`).',
    ];
    // What each chunk looks like once converted to mrkdwn.
    const seen = ['', '*Likely cause*', 'The *payments* upstream', 'refused connections', 'ECONNREFUSED'];
    const previews: string[] = [];
    const replyOf = () => analysisReplies(h, ts)[0];
    fakes.bedrock.script({
      type: 'chunks',
      chunks,
      // Before chunk i: see chunk i-1 in the thread (it was shown before the next one was even sent), then let
      // an interval pass so the service may edit again.
      gate: async (i) => {
        if (i >= 2) {
          await expect.poll(() => shown(replyOf()), { timeout: 5000 }).toContain(seen[i - 1]);
          previews.push(shown(replyOf()));
        }
        h.clock.advance(STREAM_UPDATE_INTERVAL_MS);
      },
    });

    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.toBedrockAgent,
    });

    await expect.poll(() => shown(replyOf()), { timeout: 5000 }).toContain('(see `ECONNREFUSED`).');
    await h.app.services.defer.drain();
    // Three previews were seen growing before the end, each written while the agent was still answering.
    expect(previews).toHaveLength(3);
    for (const preview of previews) expect(preview).toContain('_writing…_');
    expect(previews[0]).not.toContain('payments');
    expect(previews[2]).toContain('The *payments* upstream refused connections');
    expect(previews[2]).not.toContain('ECONNREFUSED');
    // The final answer is Slack mrkdwn: heading and bold converted, inline code kept.
    const final = replyOf()!;
    expect(final.text).toBe(
      '*Likely cause*\nThe *payments* upstream refused connections (see `ECONNREFUSED`).',
    );
    expect(shown(final)).not.toContain('writing…');
    expect(shown(final)).toContain(`asked by <@${ALICE}>`);

    // The real InvokeAgent request: the ids, the incident id as the session, the facts in the input.
    expect(fakes.bedrock.requests).toHaveLength(1);
    const request = fakes.bedrock.requests[0]!;
    expect(request).toMatchObject({ agentId: AGENT_ID, agentAliasId: AGENT_ALIAS_ID, sessionId: id });
    const input = String(request.body.inputText);
    for (const part of [
      'Payment API returns 502',
      'connection refused',
      'service: payments',
      'Source: alertmanager',
    ]) {
      expect(input).toContain(part);
    }
    expect(String(request.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKEFAKE\//);

    // The timeline records it (a thread reply, and the stored entry).
    await expect
      .poll(async () => (await h.app.services.incidents.get(id))?.timeline.at(-1)?.kind)
      .toBe('analysis');
  });

  it('edits at most once per interval: with the clock standing still, only the final answer is written', async () => {
    const { ts } = await openIncident(h);
    fakes.bedrock.script({ type: 'chunks', chunks: ['one ', 'two ', 'three ', 'four'] });
    const before = h.emulator.workspace.calls.length;
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.toBedrockAgent,
    });
    await expect.poll(() => analysisReplies(h, ts)[0]?.text, { timeout: 5000 }).toBe('one two three four');
    await h.app.services.defer.drain();
    const reply = analysisReplies(h, ts)[0]!;
    const edits = h.emulator.workspace.calls
      .slice(before)
      .filter((c) => c.method === 'chat.update' && c.args['ts'] === reply.ts);
    expect(edits).toHaveLength(1);
  });

  it('splits a long answer over several messages without losing a character', async () => {
    const { ts } = await openIncident(h);
    const paragraphs = Array.from(
      { length: 60 },
      (_, i) => `Step ${i + 1}: ${'check the upstream pool '.repeat(12).trim()}`,
    );
    const answer = paragraphs.join('\n\n');
    fakes.bedrock.script({ type: 'chunks', chunks: [answer.slice(0, 9000), answer.slice(9000)] });
    await h.emulator.actions.clickButton({
      userId: BOB,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.toBedrockAgent,
    });
    await expect.poll(() => analysisReplies(h, ts).length, { timeout: 5000 }).toBeGreaterThan(1);
    await h.app.services.defer.drain();
    const messages = analysisReplies(h, ts);
    const sections = messages.flatMap((m) =>
      m.blocks.filter((b) => b['type'] === 'section').map((b) => (b['text'] as { text: string }).text),
    );
    for (const text of sections) expect(text.length).toBeLessThanOrEqual(3000);
    expect(sections.join('\n')).toBe(answer);
    expect(shown(messages[0])).toContain(`part 1/${messages.length}`);
  });

  it('a mention in the thread asks again in the same session, with the question', async () => {
    const { id, ts } = await openIncident(h);
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.toBedrockAgent,
    });
    await expect.poll(() => fakes.bedrock.requests.length, { timeout: 5000 }).toBe(1);
    await h.app.services.defer.drain();
    fakes.bedrock.script({ type: 'chunks', chunks: ['It started after deploy 1234.'] });

    await h.emulator.actions.mention({
      userId: BOB,
      channelId: CHANNEL,
      threadTs: ts,
      text: 'what changed before this started?',
    });

    await expect.poll(() => fakes.bedrock.requests.length, { timeout: 5000 }).toBe(2);
    await h.app.services.defer.drain();
    const [first, second] = fakes.bedrock.requests;
    expect(second!.sessionId).toBe(first!.sessionId);
    expect(second!.sessionId).toBe(id);
    expect(String(second!.body.inputText)).toContain('Question: what changed before this started?');
    await expect
      .poll(() => replies(h, ts).some((m) => m.text === 'It started after deploy 1234.'))
      .toBe(true);
    expect(shown(replies(h, ts).find((m) => m.text === 'It started after deploy 1234.'))).toContain(
      `a follow-up on *${id}*`,
    );
  });

  it('a mention in a resolved incident’s thread still asks the agent (the thread names the incident)', async () => {
    const { id, ts } = await openIncident(h);
    await h.app.services.incidents.resolve(id, ALICE);
    await h.emulator.actions.mention({
      userId: BOB,
      channelId: CHANNEL,
      threadTs: ts,
      text: 'postmortem hints?',
    });
    await expect.poll(() => fakes.bedrock.requests.at(-1)?.sessionId, { timeout: 5000 }).toBe(id);
    await h.app.services.defer.drain();
  });

  it('a mention outside an incident thread gets a hint and asks nobody', async () => {
    await h.emulator.actions.mention({ userId: BOB, channelId: CHANNEL, text: 'hello' });
    await expect
      .poll(() =>
        h.emulator.workspace.calls.some(
          (c) =>
            c.method === 'chat.postMessage' && String(c.args['text']).includes('Mention me in an incident'),
        ),
      )
      .toBe(true);
    expect(fakes.bedrock.requests).toHaveLength(0);
  });

  it('/incident analyze ID works like the button', async () => {
    const { id, ts } = await openIncident(h);
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: `analyze ${id}`,
    });
    await expect
      .poll(() => analysisReplies(h, ts)[0]?.text, { timeout: 5000 })
      .toBe('Hello from the fake agent.');
    expect(fakes.bedrock.requests[0]?.sessionId).toBe(id);
  });

  it('/incident analyze with an unknown id answers ephemerally and posts nothing', async () => {
    // Let the earlier tests' jobs and timeline replies finish first.
    await h.app.services.defer.drain();
    await h.app.services.publisher.flush();
    const before = h.emulator.workspace.postCalls().length;
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: 'analyze INC-9999',
    });
    await expect
      .poll(() =>
        h.emulator.workspace.ephemerals
          .filter((e) => e.user === ALICE)
          .map((e) => e.text)
          .join('\n'),
      )
      .toContain('There is no incident INC-9999');
    expect(
      h.emulator.workspace
        .postCalls()
        .slice(before)
        .filter((c) => c.method === 'chat.postMessage' && /Analysing|INC-9999/.test(JSON.stringify(c.args))),
    ).toEqual([]);
    expect(fakes.bedrock.requests).toHaveLength(0);
  });
});

describe('To Bedrock Agent without an agent: the local analyser', () => {
  let h: TestHikeshi;
  beforeAll(async () => {
    h = await startHikeshi();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers from the rule table and says it is not an LLM', async () => {
    const { id, ts } = await openIncident(h, { message: 'connect ECONNREFUSED 10.0.0.12:5432' });
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.toBedrockAgent,
    });
    await expect
      .poll(() => shown(analysisReplies(h, ts)[0]), { timeout: 5000 })
      .toContain('Connection / DNS failure');
    await h.app.services.defer.drain();
    const reply = analysisReplies(h, ts)[0]!;
    expect(reply.text.startsWith(LOCAL_ANALYSIS_HEADER)).toBe(true);
    expect(shown(reply)).toContain('not an LLM');
    expect((await h.app.services.incidents.get(id))?.timeline.at(-1)?.text).toContain('local analyser');
  });
});
