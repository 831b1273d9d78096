/**
 * Issue 20, storms of distinct alerts, over the real wire: alerts through `POST /api/alerts`, Slack through the
 * emulator's Web API enforcing Slack's documented rate limits (one post a second per channel, Tier 3 chat.update
 * 50 a minute, …), people through signed HTTP requests to `/slack/events`, with production pacing.
 * - 500 distinct alerts within a minute (crossing into the next one) are all in Slack within 60 s — five with a
 *   message of their own, the rest in one digest per minute — without a single 429;
 * - each is listed by `/incident list` and App Home;
 * - the digest's List all opens a modal, page by page; Open gives an incident its own message with its buttons;
 * - a person acting on a digested incident gives it its own message; a resolve from the alert source does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ButtonLabels } from '../../src/blocks/incident-message.js';
import { digestOpenActionId } from '../../src/blocks/digest-list.js';
import { inDigestOnly } from '../../src/domain/digest.js';
import { Actions } from '../../src/blocks/ids.js';
import { ALERT_CHANNEL, buttonLabels, post, postedMessage } from '../helpers/alerts.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { allShown, callFigures, sendStorm, SLACK_PACING, STORM_TOKEN, stormView } from '../helpers/storm.js';

const ALICE = 'U0ALICE01';
const STORM = 500;
const DIGEST_AFTER = 5;

let h: TestHikeshi;
let ids: string[] = [];
let seconds = 0;

beforeAll(async () => {
  h = await startHikeshi({
    transport: 'http',
    env: { DIGEST_AFTER: String(DIGEST_AFTER), ALERTS_API_TOKEN: STORM_TOKEN },
    overrides: { slackPacing: SLACK_PACING },
  });
  h.emulator.limits.useSlackLimits();
  const started = Date.now();
  // Half way through, the app's clock moves into the next minute: the storm goes on in a second digest.
  ids = await sendStorm(h, { prefix: 'storm', count: STORM, halfway: () => h.clock.advance(60_000) });
  for (;;) {
    if (await allShown(h, ids)) break;
    if (Date.now() - started > 90_000) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  seconds = (Date.now() - started) / 1000;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('500 distinct alerts in a minute', () => {
  it('are all in Slack within 60 s, five on their own and the rest in one digest per minute, with no 429', async () => {
    expect(new Set(ids).size).toBe(STORM);
    expect(await allShown(h, ids)).toBe(true);
    expect(seconds).toBeLessThan(60);
    const view = stormView(h);
    expect(view.own.size).toBe(DIGEST_AFTER);
    expect(view.digests).toHaveLength(2);
    expect(view.digests.reduce((sum, d) => sum + d.shown, 0)).toBe(STORM - DIGEST_AFTER);
    // Only the five, the two digests: nothing else was posted, and Slack never had to say "slow down".
    expect(h.emulator.workspace.messages(ALERT_CHANNEL)).toHaveLength(DIGEST_AFTER + 2);
    for (const method of ['chat.postMessage', 'chat.update'])
      expect(callFigures(h, method).rateLimited).toBe(0);
    expect(h.emulator.workspace.calls.filter((c) => c.error === 'ratelimited')).toEqual([]);
    expect(callFigures(h, 'chat.update').maxPerMinute).toBeLessThanOrEqual(50);
  });

  it('leaves every digested incident stored, open and escalatable, and listed by /incident list and App Home', async () => {
    const open = await h.app.services.incidents.listOpen();
    expect(open.filter((i) => ids.includes(i.id))).toHaveLength(STORM);
    expect(open.filter((i) => inDigestOnly(i))).toHaveLength(STORM - DIGEST_AFTER);

    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: ALERT_CHANNEL,
      command: '/incident',
      text: 'list',
    });
    const listed = h.emulator.workspace.ephemerals.filter((e) => e.user === ALICE).at(-1);
    expect(JSON.stringify(listed?.blocks)).toContain(`${STORM} open incidents`);
    expect(JSON.stringify(listed?.blocks)).toContain('in a storm digest');

    await h.emulator.actions.openAppHome(ALICE);
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.views.home(ALICE)?.definition ?? ''))
      .toContain(`Open incidents* (${STORM})`);
  });
});

describe("a digest's buttons", () => {
  it('List all opens the list a page at a time; Open gives the incident its own message with its buttons', async () => {
    const digest = stormView(h).digests[0]!;
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: ALERT_CHANNEL,
      messageTs: digest.ts,
      actionId: Actions.digestList,
    });
    await expect.poll(() => h.emulator.workspace.views.top(ALICE)).toBeTruthy();
    const view = h.emulator.workspace.views.top(ALICE)!;
    const first = JSON.stringify(view.definition);
    expect(first).toContain(`*${digest.shown} incidents*`);
    expect(first).toContain('Page 1 of');

    await h.emulator.actions.clickButton({ userId: ALICE, viewId: view.id, actionId: Actions.digestNext });
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.views.get(view.id)?.definition))
      .toContain('Page 2 of');
    const page2 = JSON.stringify(h.emulator.workspace.views.get(view.id)!.definition);
    const target = /"value":"(INC-\d+)"/.exec(page2)?.[1];
    expect(target).toBeDefined();
    const before = h.emulator.workspace.messages(ALERT_CHANNEL).length;

    await h.emulator.actions.clickButton({
      userId: ALICE,
      viewId: view.id,
      actionId: digestOpenActionId(target!),
    });
    const own = await postedMessage(h, target!);
    expect(buttonLabels(own)).toEqual(Object.values(ButtonLabels));
    expect(h.emulator.workspace.messages(ALERT_CHANNEL)).toHaveLength(before + 1);
    // The page is redrawn: no Open for it any more, and it says where it is (once posted) or that it is coming.
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.views.get(view.id)?.definition))
      .not.toContain(digestOpenActionId(target!));
    const stored = await h.app.services.incidents.get(target!);
    expect(stored?.timeline.at(-1)).toMatchObject({ kind: 'note', actor: ALICE });
    // Its thread works: the note is there, a post-pacing second after the message.
    await expect
      .poll(
        () =>
          h.emulator.workspace
            .thread(ALERT_CHANNEL, own.ts)
            .map((m) => m.text)
            .join('\n'),
        { timeout: 5_000 },
      )
      .toContain('Opened from the storm digest');
  });

  it('an analysis asked of a digested incident says how to give it a thread', async () => {
    const [digested] = (await h.app.services.incidents.listOpen()).filter((i) => inDigestOnly(i));
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: ALERT_CHANNEL,
      command: '/incident',
      text: `analyze ${digested!.id}`,
    });
    await expect
      .poll(() => h.emulator.workspace.ephemerals.filter((e) => e.user === ALICE).at(-1)?.text)
      .toContain(`${digested!.id} is in a storm digest and has no thread yet`);
  });

  it('a person acting on a digested incident gives it its own message; a resolve from the source does not', async () => {
    const digested = (await h.app.services.incidents.listOpen()).filter((i) => inDigestOnly(i));
    const [acked, resolved] = digested;
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: ALERT_CHANNEL,
      command: '/incident',
      text: `ack ${acked!.id}`,
    });
    const own = await postedMessage(h, acked!.id);
    expect(JSON.stringify(own.blocks)).toMatch(/[Aa]cknowledged/);

    const before = h.emulator.workspace.messages(ALERT_CHANNEL).length;
    const n = ids.indexOf(resolved!.id);
    const res = await post(`${h.baseUrl}/api/alerts/events-v2`, {
      routing_key: STORM_TOKEN,
      event_action: 'resolve',
      dedup_key: `storm-${n}`,
    });
    expect(res.status).toBe(202);
    await expect
      .poll(async () => (await h.app.services.incidents.get(resolved!.id))?.status)
      .toBe('resolved');
    await h.app.settle();
    expect(h.emulator.workspace.messages(ALERT_CHANNEL)).toHaveLength(before);
    expect((await h.app.services.incidents.get(resolved!.id))?.slack).toBeUndefined();
  });
});
