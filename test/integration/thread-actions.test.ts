/**
 * Issue 21: acting from inside an incident's thread through what Slack really sends. A slash command carries no
 * thread, so the thread's incident is named by an `app_mention` (with `thread_ts`) or by the message shortcut
 * "Acknowledge incident" (a `message_action` payload); the answer goes to that thread, to the person only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashCommandPayload, Workspace } from '@hikeshi/slack-emulator';
import { localSlackWorkspace } from '../../src/local-slack.js';
import { Shortcuts } from '../../src/blocks/ids.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident as openTestIncident } from '../helpers/open-incident.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

/** An incident with its Slack message posted (the shared helper, as an error from this test). */
async function openIncident(h: TestHikeshi) {
  const opened = await openTestIncident(h, {
    title: `Queue backlog ${Math.random().toString(36).slice(2, 8)}`,
    severity: 'error',
    source: 'test',
  });
  return opened;
}

function ephemeralsIn(h: TestHikeshi, user: string, threadTs: string): string[] {
  return h.emulator.workspace.ephemerals
    .filter((e) => e.user === user && e.thread_ts === threadTs)
    .map((e) => e.text);
}

describe.each(['socket', 'http'] as const)('acting from an incident thread over %s', (transport) => {
  let h: TestHikeshi;
  beforeAll(async () => {
    h = await startHikeshi({ transport });
  });
  afterAll(async () => {
    await h.close();
  });

  it('@hikeshi ack in the thread acknowledges its incident and answers in the thread', async () => {
    const { id, ts } = await openIncident(h);
    await h.emulator.actions.mention({ userId: BOB, channelId: CHANNEL, text: 'ack', threadTs: ts });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.acknowledgedBy).toBe(BOB);
    await expect.poll(() => ephemeralsIn(h, BOB, ts).join('\n')).toContain(`You acknowledged *${id}*`);
  });

  it('@hikeshi snooze 30m and resolve with a note act on the thread’s incident', async () => {
    const { id, ts } = await openIncident(h);
    await h.emulator.actions.mention({ userId: ALICE, channelId: CHANNEL, text: 'snooze 30m', threadTs: ts });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.snoozedUntil).toBeTruthy();
    await h.emulator.actions.mention({
      userId: ALICE,
      channelId: CHANNEL,
      text: 'resolve rolled back',
      threadTs: ts,
    });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.resolveNote).toBe('rolled back');
    await expect.poll(() => ephemeralsIn(h, ALICE, ts).join('\n')).toContain(`You resolved *${id}*`);
  });

  it('a verb mentioned outside any thread asks which incident and changes nothing', async () => {
    const { id } = await openIncident(h);
    const result = await h.emulator.actions.mention({ userId: ALICE, channelId: CHANNEL, text: 'ack' });
    expect(result).toBeDefined();
    await expect
      .poll(() => h.emulator.workspace.ephemerals.map((e) => e.text).join('\n'))
      .toContain('Which incident?');
    expect((await h.app.services.incidents.get(id))?.acknowledgedBy).toBeUndefined();
  });

  it('the message shortcut on a reply in the thread acknowledges the incident, answered in the thread', async () => {
    const { id, ts } = await openIncident(h);
    const reply = h.emulator.workspace.postMessage({
      channel: CHANNEL,
      user: ALICE,
      text: 'looking at it',
      threadTs: ts,
    });
    await h.emulator.actions.runMessageShortcut({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: reply.ts,
      callbackId: Shortcuts.acknowledge,
    });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.acknowledgedBy).toBe(ALICE);
    await expect.poll(() => ephemeralsIn(h, ALICE, ts).join('\n')).toContain(`You acknowledged *${id}*`);
  });

  it('the shortcut on a message outside any incident thread says so and changes nothing', async () => {
    const other = h.emulator.workspace.postMessage({ channel: CHANNEL, user: BOB, text: 'lunch?' });
    await h.emulator.actions.runMessageShortcut({
      userId: BOB,
      channelId: CHANNEL,
      messageTs: other.ts,
      callbackId: Shortcuts.acknowledge,
    });
    await expect
      .poll(() =>
        h.emulator.workspace.ephemerals
          .filter((e) => e.user === BOB)
          .map((e) => e.text)
          .join('\n'),
      )
      .toContain('not in an incident’s thread');
  });
});

describe('the slash command payload', () => {
  it('carries exactly the fields Slack documents, and no thread', () => {
    const payload = slashCommandPayload(new Workspace(undefined, localSlackWorkspace()), {
      user: { id: ALICE, name: 'alice' } as never,
      channel: { id: CHANNEL, name: 'alerts', is_im: false } as never,
      command: '/incident',
      text: 'ack',
      responseUrl: 'https://hooks.slack.com/commands/T/1/x',
      triggerId: '1.2.3',
    });
    expect(Object.keys(payload).sort()).toEqual(
      [
        'api_app_id',
        'channel_id',
        'channel_name',
        'command',
        'is_enterprise_install',
        'response_url',
        'team_domain',
        'team_id',
        'text',
        'token',
        'trigger_id',
        'user_id',
        'user_name',
      ].sort(),
    );
  });
});
