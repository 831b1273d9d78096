/**
 * Issue 3, the Slack side: the living message and its five buttons, `/incident`, `/oncall`, modals and
 * App Home, driven through the local emulator against the real Bolt app, over Socket Mode and over
 * signed HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertSignal } from '../../src/domain/alert.js';
import type { StoredMessage } from '@hikeshi/slack-emulator';
import { Actions } from '../../src/blocks/ids.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const CAROL = 'U0CAROL01';

let seq = 0;
function signal(overrides: Partial<AlertSignal> = {}): AlertSignal {
  seq += 1;
  return {
    action: 'trigger',
    title: `Checkout latency high ${String.fromCharCode(97 + (seq % 26))}${'x'.repeat(seq)}`,
    severity: 'error',
    source: 'test',
    links: [],
    ...overrides,
  };
}

const rendered = (m: StoredMessage | undefined) => JSON.stringify([m?.text, m?.blocks, m?.attachments]);

function ephemeralsFor(h: TestHikeshi, user: string): string[] {
  return h.emulator.workspace.ephemerals.filter((e) => e.user === user).map((e) => e.text);
}

async function openIncident(h: TestHikeshi, overrides: Partial<AlertSignal> = {}) {
  const outcome = await h.app.services.incidents.ingest(signal(overrides));
  if (outcome.action === 'ignored') throw new Error('not opened');
  const id = outcome.incident.id;
  await expect
    .poll(async () => (await h.app.services.incidents.get(id))?.slack?.ts, { timeout: 5000 })
    .toBeTruthy();
  const incident = await h.app.services.incidents.get(id);
  return { id, ts: incident!.slack!.ts };
}

describe.each(['socket', 'http'] as const)('incidents in Slack over %s', (transport) => {
  let h: TestHikeshi;
  beforeAll(async () => {
    h = await startHikeshi({ transport });
  });
  afterAll(async () => {
    await h.close();
  });

  it('posts one message with the five buttons', async () => {
    const { ts } = await openIncident(h, { title: 'Database down', message: 'connection refused' });
    const message = h.emulator.workspace.message(CHANNEL, ts)!;
    const labels = JSON.stringify(message.blocks);
    for (const label of ['Watching', 'To Bedrock Agent', 'Reporting', 'Acknowledge', 'Resolve']) {
      expect(labels).toContain(`"${label}"`);
    }
    expect(rendered(message)).toContain('Database down');
  });

  it('forgets an incident once its message is idle, and edits it as before when it changes again', async () => {
    const tracked = async () =>
      Number(
        /^hikeshi_slack_publisher_tracked_incidents (\d+)$/m.exec(await h.app.metrics.render())?.[1] ?? NaN,
      );
    const opened = await Promise.all(Array.from({ length: 5 }, () => openIncident(h)));
    await h.app.services.publisher.flush();
    // Kept for one edit interval after the last post or edit (100 ms here), then forgotten.
    await expect.poll(tracked, { timeout: 5000 }).toBe(0);
    const [first] = opened;
    expect((await h.app.services.incidents.acknowledge(first!.id, ALICE)).ok).toBe(true);
    await expect
      .poll(() => rendered(h.emulator.workspace.message(CHANNEL, first!.ts)), { timeout: 5000 })
      .toMatch(/[Aa]cknowledged/);
    expect(h.emulator.workspace.messages(CHANNEL).filter((m) => m.ts === first!.ts)).toHaveLength(1);
    await expect.poll(tracked, { timeout: 5000 }).toBe(0);
  });

  it('Watching toggles the clicking user on the message', async () => {
    const { id, ts } = await openIncident(h);
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.watching,
    });
    await expect
      .poll(() => rendered(h.emulator.workspace.message(CHANNEL, ts)), { timeout: 5000 })
      .toContain(`<@${ALICE}>`);
    expect((await h.app.services.incidents.get(id))?.watchers).toEqual([ALICE]);
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.watching,
    });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.watchers).toEqual([]);
    await expect
      .poll(() => rendered(h.emulator.workspace.message(CHANNEL, ts)), { timeout: 5000 })
      .not.toContain(`<@${ALICE}>`);
  });

  it('Acknowledge and Resolve work by button, with the timeline in the thread and watchers mentioned', async () => {
    const { id, ts } = await openIncident(h);
    await h.emulator.actions.clickButton({
      userId: CAROL,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.watching,
    });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.watchers).toEqual([CAROL]);

    await h.emulator.actions.clickButton({
      userId: BOB,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.acknowledge,
    });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.status).toBe('acknowledged');
    await expect
      .poll(() => rendered(h.emulator.workspace.message(CHANNEL, ts)), { timeout: 5000 })
      .toContain(`<@${BOB}>`);

    // A second acknowledgement is told who got there first, and changes nothing.
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.acknowledge,
    });
    await expect
      .poll(() => ephemeralsFor(h, ALICE).join('\n'))
      .toContain(`already acknowledged by <@${BOB}>`);

    await h.emulator.actions.clickButton({
      userId: BOB,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.resolve,
    });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.status).toBe('resolved');
    await expect
      .poll(
        () =>
          h.emulator.workspace
            .thread(CHANNEL, ts)
            .map((m) => m.text)
            .join('\n'),
        { timeout: 5000 },
      )
      .toMatch(/Acknowledged[\s\S]*Resolved/);
    const replies = h.emulator.workspace
      .thread(CHANNEL, ts)
      .slice(1)
      .map((m) => m.text);
    expect(replies.some((t) => t.includes('Resolved') && t.includes(`<@${CAROL}>`))).toBe(true);

    // A button on a resolved incident answers ephemerally and changes nothing.
    const before = await h.app.services.incidents.get(id);
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.watching,
    });
    await expect.poll(() => ephemeralsFor(h, ALICE).join('\n')).toContain('is resolved; nothing changed');
    expect((await h.app.services.incidents.get(id))?.version).toBe(before?.version);
  });

  it('/incident ack and resolve by command, and asks which incident without the ID (Slack sends no thread)', async () => {
    const a = await openIncident(h);
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: `ack ${a.id}`,
    });
    await expect.poll(async () => (await h.app.services.incidents.get(a.id))?.status).toBe('acknowledged');
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: `resolve ${a.id.toLowerCase()} rolled back the deploy`,
    });
    await expect
      .poll(async () => (await h.app.services.incidents.get(a.id))?.resolveNote)
      .toBe('rolled back the deploy');

    const b = await openIncident(h);
    const ask = await h.emulator.actions.runCommand({
      userId: BOB,
      channelId: CHANNEL,
      command: '/incident',
      text: 'ack',
    });
    expect(JSON.stringify(ask.ack.payload)).toContain('Which incident?');
    expect((await h.app.services.incidents.get(b.id))?.acknowledgedBy).toBeUndefined();
  });

  it('/incident list shows the open ids; unknown ids and bad syntax get usage and change nothing', async () => {
    const a = await openIncident(h);
    const list = await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: 'list',
    });
    expect(JSON.stringify(list.ack.payload)).toContain(a.id);

    // Earlier tests' edits may still be queued behind Slack's pacing: shown first, so that none is taken for a
    // write of these commands (the ack of the previous test landed here, about a second late).
    await h.app.services.publisher.flush();
    const calls = h.emulator.workspace.calls.length;
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: 'ack INC-99999',
    });
    await expect.poll(() => ephemeralsFor(h, ALICE).join('\n')).toContain('There is no incident INC-99999');
    const bad = await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: 'frobnicate',
    });
    expect(JSON.stringify(bad.ack.payload)).toContain('Unknown subcommand');
    const noId = await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: 'ack',
    });
    expect(JSON.stringify(noId.ack.payload)).toContain('Which incident?');
    // No Slack write other than the ephemeral answer (response_url) happened.
    const writes = h.emulator.workspace.calls
      .slice(calls)
      .filter((c) => ['chat.postMessage', 'chat.update'].includes(c.method));
    expect(writes).toEqual([]);
  });

  it('/oncall add, move and remove round-trip, with masked numbers', async () => {
    const run = (text: string) =>
      h.emulator.actions.runCommand({ userId: ALICE, channelId: CHANNEL, command: '/oncall', text });
    await run(`add <@${ALICE}|alice> +819012340001`);
    await run(`add <@${BOB}|bob> +819012340002`);
    await run(`add <@${CAROL}|carol> +14155550123 1`);
    await expect
      .poll(() => h.app.services.oncall.list())
      .toMatchObject([{ userId: CAROL }, { userId: ALICE }, { userId: BOB }]);
    await run(`move <@${BOB}|bob> 1`);
    await expect
      .poll(async () => (await h.app.services.oncall.list()).map((e) => e.userId))
      .toEqual([BOB, CAROL, ALICE]);
    await run(`remove <@${CAROL}|carol>`);
    await expect
      .poll(async () => (await h.app.services.oncall.list()).map((e) => e.userId))
      .toEqual([BOB, ALICE]);

    const list = await run('');
    const text = JSON.stringify(list.ack.payload);
    expect(text).toContain('+81-***-***-0002');
    expect(text).not.toContain('+819012340002');

    await run(`add <@${CAROL}|carol> 090-1234`);
    await expect.poll(() => ephemeralsFor(h, ALICE).join('\n')).toContain('not E.164');
    expect((await h.app.services.oncall.list()).map((e) => e.userId)).toEqual([BOB, ALICE]);
    await run(`remove <@${BOB}|bob>`);
    await run(`remove <@${ALICE}|alice>`);
    await expect.poll(() => h.app.services.oncall.list()).toEqual([]);
  });

  it('concurrent acknowledgements produce exactly one winner', async () => {
    const { id, ts } = await openIncident(h);
    const users = [ALICE, BOB, CAROL];
    await Promise.all(
      users.map((userId) =>
        h.emulator.actions.clickButton({
          userId,
          channelId: CHANNEL,
          messageTs: ts,
          actionId: Actions.acknowledge,
        }),
      ),
    );
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.status).toBe('acknowledged');
    const winner = (await h.app.services.incidents.get(id))!.acknowledgedBy!;
    const losers = users.filter((u) => u !== winner);
    for (const loser of losers) {
      await expect
        .poll(() => ephemeralsFor(h, loser).join('\n'))
        .toContain(`already acknowledged by <@${winner}>`);
    }
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.app.services.incidents.acknowledge(id, `U0RACE${String(i).padStart(4, '0')}`),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(0);
  });
});

describe('modals, App Home and concurrency over Socket Mode, at real Slack pacing', () => {
  let h: TestHikeshi;
  beforeAll(async () => {
    h = await startHikeshi({
      transport: 'socket',
      overrides: { slackPacing: { minUpdateIntervalMs: 1000, channelPostIntervalMs: 1000 } },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('/incident new opens a modal whose submission opens an incident', async () => {
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: 'new',
    });
    await expect.poll(() => h.emulator.workspace.views.top(ALICE)).toBeTruthy();
    const view = h.emulator.workspace.views.top(ALICE)!;
    const empty = await h.emulator.actions
      .submitView({ userId: ALICE, viewId: view.id, values: {} })
      .catch((e: Error) => e);
    expect(empty).toBeInstanceOf(Error); // the title is required, as Slack's client enforces
    await h.emulator.actions.submitView({
      userId: ALICE,
      viewId: view.id,
      values: { title: 'Payments failing by hand', message: 'seen by support', severity: 'critical' },
    });
    await expect
      .poll(
        async () =>
          (await h.app.services.incidents.listOpen()).find((i) => i.title === 'Payments failing by hand')
            ?.severity,
      )
      .toBe('critical');
  });

  it('App Home shows open incidents and the on-call list', async () => {
    const { id } = await openIncident(h, { title: 'Home test incident' });
    await h.app.services.oncall.add({ userId: BOB, phone: '+819012340009' });
    await h.emulator.actions.openAppHome(ALICE);
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.views.home(ALICE)?.definition ?? ''))
      .toContain(id);
    const home = JSON.stringify(h.emulator.workspace.views.home(ALICE)!.definition);
    expect(home).toContain('+81-***-***-0009');
    expect(home).not.toContain('+819012340009');
  });

  it('50 identical alerts fold into one message that ends showing a count of 50', async () => {
    const posts = h.emulator.workspace.postCalls().length;
    const alert = signal({ title: 'Disk almost full', dedupKey: 'disk-full-web01' });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => h.app.services.incidents.ingest(alert)),
    );
    const ids = new Set(outcomes.map((o) => (o.action === 'ignored' ? 'none' : o.incident.id)));
    expect(ids.size).toBe(1);
    expect(outcomes.filter((o) => !o.deduplicated)).toHaveLength(1);
    const [id] = [...ids];
    await expect.poll(async () => (await h.app.services.incidents.get(id!))?.count).toBe(50);
    await h.app.services.publisher.flush();
    const incident = await h.app.services.incidents.get(id!);
    const message = h.emulator.workspace.message(CHANNEL, incident!.slack!.ts);
    expect(rendered(message)).toMatch(/\b50\b/);
    const newTopLevel = h.emulator.workspace
      .postCalls()
      .slice(posts)
      .filter((c) => c.method === 'chat.postMessage' && !('thread_ts' in (c.args as object)));
    expect(newTopLevel).toHaveLength(1);
    // Edits are coalesced: far fewer than one per alert (about one per second while they arrive).
    const edits = h.emulator.workspace.calls.filter(
      (c) => c.method === 'chat.update' && (c.args as { ts?: string }).ts === incident!.slack!.ts,
    );
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(5);
  });
});
