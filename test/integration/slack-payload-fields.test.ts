/**
 * Issue 17, B: correctly signed Slack payloads with fields missing reach the real HTTP receiver (the emulator's
 * own payloads, minus a field, signed again: test/helpers/slack-rewriter.ts) and are answered — an ephemeral
 * line naming the field, an empty ack, or a 400 for what Bolt itself cannot route — never thrown inside a
 * listener: no error and no stack in the log, nothing changed. Fields Slack documents as sometimes absent (no
 * response_url, channel or message for a button in App Home or a modal; no user on a bot's mention; an empty
 * `text`) are handled as Slack sends them, the work done.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTaskMessage } from '../../src/blocks/task-message.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';
import { startPayloadHarness, warnedAbout, type PayloadHarness } from '../helpers/slack-payload-harness.js';
import { without, type Payload, type SlackRewriter } from '../helpers/slack-rewriter.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';

let harness: PayloadHarness;
let h: TestHikeshi;
let rewriter: SlackRewriter;
const newLogs = () => harness.newLogs();
const expectNothingThrown = (what: string) => harness.expectNothingThrown(what);

beforeAll(async () => {
  harness = await startPayloadHarness();
  ({ h, rewriter } = harness);
});

afterAll(async () => {
  await harness.close();
});

afterEach(async () => {
  rewriter.rewrite = undefined;
  // What a test left running is not the next test's log.
  await h.app.settle();
  newLogs();
});

const lastEphemeral = () => h.emulator.workspace.ephemerals.at(-1);

describe('slash commands', () => {
  const commands = [
    { command: '/incident', text: 'ack INC-999' },
    { command: '/oncall', text: 'remove <@U0BOB0001>' },
    { command: '/jobs', text: 'forget nightly-backup' },
  ];

  it('without text, user_id, channel_id, trigger_id or response_url: an ephemeral naming it, nothing done', async () => {
    const { id } = await openIncident(h);
    newLogs();
    for (const { command, text } of commands) {
      for (const field of ['text', 'user_id', 'channel_id', 'trigger_id', 'response_url']) {
        rewriter.rewrite = (payload) => without(payload, field);
        const result = await h.emulator.actions.runCommand({
          userId: ALICE,
          channelId: CHANNEL,
          command,
          text: command === '/incident' ? `ack ${id}` : text,
        });
        const what = `${command} without ${field}`;
        expect(result, what).toMatchObject({
          status: 200,
          body: { response_type: 'ephemeral', text: expect.stringContaining(`\`${field}\``) as unknown },
        });
        const entries = await expectNothingThrown(what);
        expect(warnedAbout(entries, field), what).toBe(true);
      }
    }
    expect((await h.app.services.incidents.get(id))?.status).toBe('triggered');
  });

  it('with an empty text, as Slack sends a bare command: the usage', async () => {
    for (const { command } of commands) {
      const result = await h.emulator.actions.runCommand({
        userId: ALICE,
        channelId: CHANNEL,
        command,
        text: '',
      });
      expect(result, command).toMatchObject({ status: 200 });
      await expectNothingThrown(command);
    }
  });

  it('without the command itself: a 400, since Bolt could route it nowhere', async () => {
    rewriter.rewrite = (payload) => without(payload, 'command');
    const result = await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: 'list',
    });
    expect(result).toMatchObject({ status: 400 });
    await expectNothingThrown('no command');
  });
});

describe('incident buttons', () => {
  it('without actions.0.value: an ephemeral naming it, nothing done', async () => {
    const { id, ts } = await openIncident(h);
    newLogs();
    rewriter.rewrite = (payload) => without(payload, 'actions.0.value');
    const result = await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: 'incident_ack',
    });
    expect(result).toMatchObject({ status: 200 });
    const entries = await expectNothingThrown('no value');
    expect(warnedAbout(entries, 'actions.0.value')).toBe(true);
    expect(lastEphemeral()).toMatchObject({
      user: ALICE,
      text: expect.stringContaining('actions.0.value') as unknown,
    });
    expect((await h.app.services.incidents.get(id))?.status).toBe('triggered');
  });

  it('without user: a 400 (Bolt reads user.id before any listener)', async () => {
    const { ts } = await openIncident(h);
    newLogs();
    rewriter.rewrite = (payload) => without(payload, 'user');
    const result = await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: 'incident_ack',
    });
    expect(result).toMatchObject({ status: 400 });
    await expectNothingThrown('no user');
  });

  it('clicked where Slack sends no response_url, channel or message (App Home, a modal): it still acts', async () => {
    const { id, ts } = await openIncident(h);
    newLogs();
    // What Slack sends for a button in a view (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
    rewriter.rewrite = (payload: Payload) => {
      const fromView = without(without(without(payload, 'response_url'), 'channel'), 'message');
      return { ...fromView, container: { type: 'view', view_id: 'V0HOME0001' } };
    };
    for (const actionId of ['incident_watch', 'incident_ack', 'incident_ack', 'incident_resolve']) {
      const result = await h.emulator.actions.clickButton({
        userId: ALICE,
        channelId: CHANNEL,
        messageTs: ts,
        actionId,
      });
      expect(result, actionId).toMatchObject({ status: 200 });
      // The second ack is refused (already acknowledged), which would be said ephemerally: there is no
      // response_url to say it with, and that is no error.
      await expectNothingThrown(`${actionId} from a view`);
    }
    expect((await h.app.services.incidents.get(id))?.status).toBe('resolved');
  });

  it('without message, container, channel or trigger_id, which these buttons do not need: it acts', async () => {
    for (const field of ['message', 'container', 'channel', 'trigger_id']) {
      const { id, ts } = await openIncident(h);
      newLogs();
      rewriter.rewrite = (payload) => without(payload, field);
      const result = await h.emulator.actions.clickButton({
        userId: ALICE,
        channelId: CHANNEL,
        messageTs: ts,
        actionId: 'incident_ack',
      });
      expect(result, field).toMatchObject({ status: 200 });
      await expectNothingThrown(`without ${field}`);
      expect((await h.app.services.incidents.get(id))?.status, field).toBe('acknowledged');
    }
  });
});

describe('task buttons', () => {
  async function postTask(): Promise<string> {
    const message = buildTaskMessage({
      id: `github:acme/shop#7:${Math.random().toString(36).slice(2)}`,
      source: 'github',
      kind: 'issue',
      repo: 'acme/shop',
      number: 7,
      title: 'Add retry to the payment client',
      body: 'It fails on 502s.',
      url: 'https://github.com/acme/shop/issues/7',
      labels: ['coding agent'],
      author: 'octocat',
      received_at: '2026-12-01T00:00:00.000Z',
    });
    return h.emulator.workspace.postMessage({
      channel: CHANNEL,
      user: 'U0HIKESHI',
      asBot: true,
      text: message.text,
      blocks: message.blocks as unknown as Record<string, unknown>[],
    }).ts;
  }

  it('without response_url, message, channel and container: no exception, and Watching still works', async () => {
    const cases: [string, (p: Payload) => Payload][] = [
      ['response_url', (p) => without(p, 'response_url')],
      ['message', (p) => without(p, 'message')],
      ['channel and container', (p) => without(without(p, 'channel'), 'container')],
    ];
    for (const [name, rewrite] of cases) {
      const ts = await postTask();
      newLogs();
      rewriter.rewrite = rewrite;
      for (const actionId of ['task_watch', 'task_analyze']) {
        const result = await h.emulator.actions.clickButton({
          userId: ALICE,
          channelId: CHANNEL,
          messageTs: ts,
          actionId,
        });
        expect(result, `${actionId} without ${name}`).toMatchObject({ status: 200 });
        await expectNothingThrown(`${actionId} without ${name}`);
      }
      const watched = JSON.stringify(h.emulator.workspace.message(CHANNEL, ts)?.blocks);
      expect(watched.includes(ALICE), name).toBe(name === 'response_url');
    }
  });
});

describe('modal submissions', () => {
  async function openNewIncidentModal(): Promise<string> {
    rewriter.rewrite = undefined;
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: 'new',
    });
    await expect.poll(() => h.emulator.workspace.views.top(ALICE)).toBeTruthy();
    return h.emulator.workspace.views.top(ALICE)!.id;
  }

  it('without view.state or its values: an empty ack, nothing opened', async () => {
    for (const field of ['view.state', 'view.state.values']) {
      const viewId = await openNewIncidentModal();
      const open = (await h.app.services.incidents.listOpen()).length;
      newLogs();
      rewriter.rewrite = (payload) => without(payload, field);
      const result = await h.emulator.actions.submitView({
        userId: ALICE,
        viewId,
        values: { title: `Opened by hand without ${field}`, severity: 'critical' },
      });
      expect(result, field).toMatchObject({ status: 200 });
      const entries = await expectNothingThrown(`without ${field}`);
      expect(warnedAbout(entries, field), field).toBe(true);
      expect((await h.app.services.incidents.listOpen()).length, field).toBe(open);
    }
  });

  it('without user: a 400', async () => {
    const viewId = await openNewIncidentModal();
    newLogs();
    rewriter.rewrite = (payload) => without(payload, 'user');
    const result = await h.emulator.actions.submitView({ userId: ALICE, viewId, values: { title: 'x' } });
    expect(result).toMatchObject({ status: 400 });
    await expectNothingThrown('no user');
  });
});

describe('events', () => {
  it('app_home_opened without user: nothing published, no exception', async () => {
    newLogs();
    const published = h.emulator.workspace.postCalls().length;
    rewriter.rewrite = (payload) => without(payload, 'event.user');
    const result = await h.emulator.actions.openAppHome(ALICE);
    expect(result).toMatchObject({ status: 200 });
    const entries = await expectNothingThrown('home without user');
    expect(warnedAbout(entries, 'event.user')).toBe(true);
    expect(h.emulator.workspace.postCalls().length).toBe(published);
  });

  it('app_mention without channel, ts or text: no reply, no exception; without user (a bot): ignored', async () => {
    for (const field of ['channel', 'ts', 'text', 'user']) {
      newLogs();
      const posted = h.emulator.workspace.postCalls().length;
      rewriter.rewrite = (payload) => without(payload, `event.${field}`);
      const result = await h.emulator.actions.mention({ userId: ALICE, channelId: CHANNEL, text: 'hello' });
      expect(result, field).toMatchObject({ status: 200 });
      const entries = await expectNothingThrown(`mention without ${field}`);
      expect(warnedAbout(entries, `event.${field}`), field).toBe(field !== 'user');
      expect(h.emulator.workspace.postCalls().length, field).toBe(posted);
    }
  });
});
