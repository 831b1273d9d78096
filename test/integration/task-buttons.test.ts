/** Watching and To Bedrock Agent on a GitHub/GitLab task message, clicked through the emulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/domain/git-task.js';
import { Actions } from '../../src/blocks/ids.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

const task: Task = {
  id: 'github:octo/shop#7:delivery-1',
  source: 'github',
  kind: 'issue',
  repo: 'octo/shop',
  number: 7,
  title: 'Checkout returns 500 when the cart is empty',
  body: 'TypeError: Cannot read properties of undefined (reading "total") in cart.ts',
  url: 'https://github.com/octo/shop/issues/7',
  labels: ['coding agent'],
  author: 'octocat',
  received_at: '2026-01-01T00:00:00.000Z',
};

describe('task message buttons', () => {
  let h: TestHikeshi;
  let ts: string;
  beforeAll(async () => {
    h = await startHikeshi();
    await h.app.services.tasks.process(task);
    ts = h.emulator.workspace.messages(CHANNEL).find((m) => m.text.includes('#7'))!.ts;
  });
  afterAll(async () => {
    await h.close();
  });

  it('Watching adds and removes the clicking user on the message', async () => {
    const blocks = () => JSON.stringify(h.emulator.workspace.message(CHANNEL, ts)?.blocks);
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.taskWatch,
    });
    await expect.poll(blocks).toContain(`<@${ALICE}>`);
    await h.emulator.actions.clickButton({
      userId: BOB,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.taskWatch,
    });
    await expect.poll(blocks).toContain(`<@${BOB}>`);
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.taskWatch,
    });
    await expect.poll(blocks).not.toContain(`<@${ALICE}>`);
    expect(blocks()).toContain(`<@${BOB}>`);
    // The buttons are still there after the edit.
    expect(blocks()).toContain(Actions.taskAnalyze);
  });

  it('To Bedrock Agent answers in the task thread with the local analyser', async () => {
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.taskAnalyze,
    });
    await expect
      .poll(
        () =>
          h.emulator.workspace
            .thread(CHANNEL, ts)
            .slice(1)
            .map((m) => JSON.stringify([m.text, m.blocks]))
            .join('\n'),
        {
          timeout: 5000,
        },
      )
      .toMatch(/not an LLM/i);
  });
});
