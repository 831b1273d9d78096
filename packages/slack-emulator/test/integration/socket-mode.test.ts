import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, LogLevel } from '@slack/bolt';
import { createManualClock } from '../helpers/manual-clock.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/index.js';
import { sampleWorkspace } from '../helpers/sample-workspace.js';

const clock = createManualClock(Date.now());
let emulator: SlackEmulator;
let app: App;
/** What the listeners saw, for the assertions. */
const seen: {
  commandText?: string;
  action?: string | undefined;
  homeClick?: unknown;
  submitted?: unknown;
  mention?: string;
  homeUser?: string;
  menuAction?: unknown;
} = {};
let lastTrigger = '';
let viewsOpenError: unknown;

const button = (actionId: string, value: string) => ({
  type: 'actions',
  block_id: 'deploy_actions',
  elements: [
    { type: 'button', action_id: actionId, value, text: { type: 'plain_text', text: 'Acknowledge' } },
  ],
});

const modal = {
  type: 'modal' as const,
  callback_id: 'declare_deploy',
  title: { type: 'plain_text' as const, text: 'Declare deploy' },
  submit: { type: 'plain_text' as const, text: 'Declare' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'title',
      label: { type: 'plain_text' as const, text: 'Title' },
      element: { type: 'plain_text_input' as const, action_id: 'title_input' },
    },
    {
      type: 'input' as const,
      block_id: 'severity',
      optional: true,
      label: { type: 'plain_text' as const, text: 'Severity' },
      element: {
        type: 'static_select' as const,
        action_id: 'severity_select',
        options: ['sev1', 'sev2'].map((v) => ({ text: { type: 'plain_text' as const, text: v }, value: v })),
      },
    },
  ],
};

beforeAll(async () => {
  emulator = await startSlackEmulator({ clock, workspace: sampleWorkspace() });
  app = new App({
    token: emulator.botToken,
    appToken: emulator.appToken,
    socketMode: true,
    clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
  });
  app.command('/deploy', async ({ command, ack, respond, client }) => {
    seen.commandText = command.text;
    if (command.text === 'help') {
      await ack({ text: 'Usage: /deploy declare' });
      await respond({ response_type: 'in_channel', text: 'help was requested' });
      return;
    }
    await ack();
    lastTrigger = command.trigger_id;
    if (command.text === 'late') clock.advance(3_001);
    try {
      await client.views.open({ trigger_id: command.trigger_id, view: modal });
    } catch (error) {
      viewsOpenError = error;
    }
  });
  app.action('ack_deploy', async ({ ack, body, respond }) => {
    await ack();
    seen.action = body.type === 'block_actions' ? body.actions[0]?.action_id : undefined;
    await respond({ replace_original: true, text: 'acknowledged by alice' });
  });
  app.action('deploy_menu', async ({ ack, body }) => {
    await ack();
    seen.menuAction = body.type === 'block_actions' ? body.actions[0] : undefined;
  });
  app.view('declare_deploy', async ({ ack, view }) => {
    seen.submitted = view.state.values;
    await ack();
  });
  app.view('validated', async ({ ack, view }) => {
    const title = view.state.values['title']?.['title_input']?.value ?? '';
    if (title.length < 5) await ack({ response_action: 'errors', errors: { title: 'Too short' } });
    else await ack({ response_action: 'update', view: { ...modal, callback_id: 'done', blocks: [] } });
  });
  app.action('home_refresh', async ({ ack, body }) => {
    await ack();
    seen.homeClick = body.type === 'block_actions' ? body.container['view_id'] : undefined;
  });
  app.event('app_mention', async ({ event }) => {
    seen.mention = event.text;
  });
  app.event('app_home_opened', async ({ event, client }) => {
    seen.homeUser = event.user;
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [{ type: 'divider' }] },
    });
  });
  await app.start();
  await emulator.socket.waitForConnection(2000);
});

afterAll(async () => {
  await app.stop();
  await emulator.close();
});

describe('emulator Socket Mode with a real Bolt App', () => {
  it('connects over Socket Mode', () => {
    expect(emulator.socket.connectionCount).toBe(1);
  });

  it('delivers a slash command; the ack text and respond() both land in the workspace', async () => {
    const result = await emulator.actions.runCommand({
      userId: 'U0ALICE01',
      channelId: 'alerts',
      command: '/deploy',
      text: 'help',
    });
    expect(result).toMatchObject({
      transport: 'socket',
      ack: { payload: { text: 'Usage: /deploy declare' } },
    });
    expect(seen.commandText).toBe('help');
    expect(emulator.workspace.ephemerals.at(-1)).toMatchObject({
      user: 'U0ALICE01',
      channel: 'C0ALERTS1',
      text: 'Usage: /deploy declare',
    });
    await expect.poll(() => emulator.workspace.messages('C0ALERTS1').at(-1)?.text).toBe('help was requested');
  });

  it('routes a button click to app.action and replaces the original through response_url', async () => {
    const posted = await app.client.chat.postMessage({
      channel: 'alerts',
      text: 'disk full on db-1',
      blocks: [button('ack_deploy', 'dep-1')],
    });
    const result = await emulator.actions.clickButton({
      userId: 'U0ALICE01',
      channelId: 'C0ALERTS1',
      messageTs: posted.ts!,
      actionId: 'ack_deploy',
    });
    expect(result.transport).toBe('socket');
    expect(seen.action).toBe('ack_deploy');
    await expect
      .poll(() => emulator.workspace.message('C0ALERTS1', posted.ts!)?.text)
      .toBe('acknowledged by alice');
    await expect(
      emulator.actions.clickButton({
        userId: 'U0ALICE01',
        channelId: 'alerts',
        messageTs: posted.ts!,
        actionId: 'nope',
      }),
    ).rejects.toThrow(/no button/);
    await expect(
      emulator.actions.clickButton({
        userId: 'U0ALICE01',
        channelId: 'alerts',
        messageTs: '1.000001',
        actionId: 'x',
      }),
    ).rejects.toThrow(/no message/);
  });

  it("delivers an overflow menu's chosen option as Slack does: selected_option, no value", async () => {
    const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text }, value });
    const posted = await app.client.chat.postMessage({
      channel: 'alerts',
      text: 'queue depth high',
      blocks: [
        {
          type: 'actions',
          block_id: 'deploy_actions',
          elements: [
            {
              type: 'overflow',
              action_id: 'deploy_menu',
              options: [option('Snooze', 's'), option('Mute', 'm')],
            },
          ],
        },
      ],
    });
    await emulator.actions.chooseOption({
      userId: 'U0ALICE01',
      channelId: 'C0ALERTS1',
      messageTs: posted.ts!,
      actionId: 'deploy_menu',
      optionValue: 'm',
    });
    await expect.poll(() => seen.menuAction).toBeDefined();
    expect(seen.menuAction).toEqual({
      type: 'overflow',
      action_id: 'deploy_menu',
      block_id: 'deploy_actions',
      selected_option: option('Mute', 'm'),
      action_ts: expect.any(String),
    });
    await expect(
      emulator.actions.chooseOption({
        userId: 'U0ALICE01',
        channelId: 'C0ALERTS1',
        messageTs: posted.ts!,
        actionId: 'deploy_menu',
        optionValue: 'x',
      }),
    ).rejects.toThrow(/has no option x/);
  });

  it('opens a modal with the trigger_id and delivers its submission to app.view', async () => {
    await emulator.actions.runCommand({
      userId: 'U0BOB0001',
      channelId: 'alerts',
      command: '/deploy',
      text: 'declare',
    });
    await expect.poll(() => emulator.workspace.views.top('U0BOB0001')).toBeDefined();
    const view = emulator.workspace.views.top('U0BOB0001')!;
    expect(view.definition['callback_id']).toBe('declare_deploy');
    const reused = app.client.views.open({ trigger_id: lastTrigger, view: modal });
    await expect(reused).rejects.toMatchObject({ data: { error: 'exchanged_trigger_id' } });

    await expect(
      emulator.actions.submitView({ userId: 'U0BOB0001', viewId: view.id, values: {} }),
    ).rejects.toThrow(/required input left empty: title_input/);
    await emulator.actions.submitView({
      userId: 'U0BOB0001',
      viewId: view.id,
      values: { title_input: 'Checkout is down', severity_select: 'sev1' },
    });
    expect(seen.submitted).toEqual({
      title: { title_input: { type: 'plain_text_input', value: 'Checkout is down' } },
      severity: {
        severity_select: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'sev1' }, value: 'sev1' },
        },
      },
    });
    expect(emulator.workspace.views.top('U0BOB0001')).toBeUndefined();
  });

  it('rejects views.open with an expired or unknown trigger_id', async () => {
    viewsOpenError = undefined;
    await emulator.actions.runCommand({
      userId: 'U0CAROL01',
      channelId: 'alerts',
      command: '/deploy',
      text: 'late',
    });
    await expect.poll(() => viewsOpenError).toMatchObject({ data: { error: 'expired_trigger_id' } });
    const bogus = app.client.views.open({ trigger_id: '1.2.3', view: modal });
    await expect(bogus).rejects.toMatchObject({ data: { error: 'invalid_trigger_id' } });
  });

  it('applies response_action errors and update from a submission ack', async () => {
    const opened = await app.client.views.open({
      trigger_id: emulator.workspace.issueTrigger('U0ALICE01'),
      view: { ...modal, callback_id: 'validated' },
    });
    const viewId = opened.view!.id!;
    await emulator.actions.submitView({ userId: 'U0ALICE01', viewId, values: { title_input: 'abc' } });
    expect(emulator.workspace.views.get(viewId)?.errors).toEqual({ title: 'Too short' });
    await emulator.actions.submitView({
      userId: 'U0ALICE01',
      viewId,
      values: { title_input: 'long enough' },
    });
    expect(emulator.workspace.views.top('U0ALICE01')?.definition['callback_id']).toBe('done');
  });

  it('clicks a button in the App Home', async () => {
    const home = await app.client.views.publish({
      user_id: 'U0BOB0001',
      view: { type: 'home', blocks: [button('home_refresh', 'now')] },
    });
    await emulator.actions.clickButton({
      userId: 'U0BOB0001',
      viewId: home.view!.id!,
      actionId: 'home_refresh',
    });
    expect(seen.homeClick).toBe(home.view!.id);
  });

  it('delivers app_mention and app_home_opened events', async () => {
    await emulator.actions.mention({ userId: 'U0ALICE01', channelId: 'general', text: 'status?' });
    expect(seen.mention).toBe('<@U0SAMPLE01> status?');
    expect(emulator.workspace.messages('C0GENERAL').at(-1)).toMatchObject({ user: 'U0ALICE01' });

    await emulator.actions.openAppHome('U0CAROL01');
    await expect.poll(() => emulator.workspace.views.home('U0CAROL01')?.type).toBe('home');
    expect(seen.homeUser).toBe('U0CAROL01');
  });

  it('times out an envelope nobody acks (a command without a listener)', async () => {
    const pending = emulator.socket.deliver(
      'slash_commands',
      {
        command: '/nobody-listens',
        text: '',
        user_id: 'U0ALICE01',
        channel_id: 'C0ALERTS1',
        team_id: 'T0LOCAL01',
      },
      { timeoutMs: 200 },
    );
    await expect(pending).rejects.toMatchObject({ code: 'operation_timeout' });
  });
});
