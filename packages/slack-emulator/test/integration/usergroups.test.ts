/**
 * The emulator's user groups and date-time pickers (issue 18), through the real WebClient, answering as Slack
 * does: usergroups.users.update replaces the members (paid plans only: `paid_teams_only` on the free plan), with
 * Slack's errors for an empty list, ids that are no users and a bot; a DM to a user id lands in the app's DM with
 * them; a datetimepicker's initial_date_time must be UNIX seconds, and its submitted value is
 * `selected_date_time`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';
import { startSlackEmulator, type SlackEmulator } from '../../src/index.js';
import { buildStateValues } from '../../src/view-state.js';
import { emulatorWebClient } from '../helpers/web-client.js';
import { sampleWorkspace } from '../helpers/sample-workspace.js';

let emulator: SlackEmulator;
let client: WebClient;
beforeAll(async () => {
  emulator = await startSlackEmulator({ workspace: sampleWorkspace() });
  client = emulatorWebClient(emulator);
});
afterAll(async () => {
  await emulator.close();
});

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as WebAPIPlatformError,
  );
  expect(error?.code).toBe(ErrorCode.PlatformError);
  return error?.data.error;
}

describe('usergroups.*', () => {
  it('replaces the members of a user group and lists them', async () => {
    const updated = await client.usergroups.users.update({
      usergroup: 'S0ONCALL1',
      users: 'U0BOB0001,U0ALICE01',
    });
    expect(updated.usergroup).toMatchObject({
      id: 'S0ONCALL1',
      handle: 'oncall',
      users: ['U0BOB0001', 'U0ALICE01'],
      user_count: 2,
      updated_by: 'U0SAMPLE01',
    });
    expect((await client.usergroups.users.list({ usergroup: 'S0ONCALL1' })).users).toEqual([
      'U0BOB0001',
      'U0ALICE01',
    ]);
    expect((await client.usergroups.list({ include_users: true })).usergroups?.[0]?.users).toEqual([
      'U0BOB0001',
      'U0ALICE01',
    ]);
  });

  it('answers Slack’s errors and leaves the group as it was', async () => {
    expect(await slackError(client.usergroups.users.update({ usergroup: 'S0ONCALL1', users: '' }))).toBe(
      'no_users_provided',
    );
    expect(await slackError(client.usergroups.users.update({ usergroup: 'S0ONCALL1', users: 'bob' }))).toBe(
      'invalid_users',
    );
    expect(
      await slackError(client.usergroups.users.update({ usergroup: 'S0ONCALL1', users: 'U0NOBODY1' })),
    ).toBe('failed_for_some_users');
    expect(
      await slackError(client.usergroups.users.update({ usergroup: 'S0ONCALL1', users: 'U0SAMPLE01' })),
    ).toBe('invalid_user');
    expect(
      await slackError(client.usergroups.users.update({ usergroup: 'S0NOPE001', users: 'U0BOB0001' })),
    ).toBe('no_such_subteam');
    expect(emulator.workspace.usergroups.get('S0ONCALL1')?.users).toEqual(['U0BOB0001', 'U0ALICE01']);
  });

  it('on the free plan: paid_teams_only', async () => {
    emulator.workspace.usergroups.paid = false;
    try {
      expect(
        await slackError(client.usergroups.users.update({ usergroup: 'S0ONCALL1', users: 'U0BOB0001' })),
      ).toBe('paid_teams_only');
      expect(await slackError(client.usergroups.list())).toBe('paid_teams_only');
    } finally {
      emulator.workspace.usergroups.paid = true;
    }
  });
});

describe('DMs and date-time pickers', () => {
  it('posts to a user id in the app’s DM with that person', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0CAROL01', text: 'Your shift starts soon' });
    expect(posted.channel).toMatch(/^D/);
    expect(emulator.workspace.messages(posted.channel!).map((m) => m.text)).toEqual([
      'Your shift starts soon',
    ]);
  });

  it('refuses an initial_date_time that is not UNIX seconds, and submits selected_date_time', async () => {
    const view = (initial: unknown) => ({
      type: 'modal' as const,
      callback_id: 'when',
      title: { type: 'plain_text' as const, text: 'When' },
      submit: { type: 'plain_text' as const, text: 'Save' },
      blocks: [
        {
          type: 'input',
          block_id: 'b',
          label: { type: 'plain_text', text: 'From' },
          element: { type: 'datetimepicker', action_id: 'from', initial_date_time: initial },
        },
      ],
    });
    const trigger = () => emulator.workspace.issueTrigger('U0ALICE01');
    expect(
      await slackError(client.views.open({ trigger_id: trigger(), view: view('2026-01-07T12:00') as never })),
    ).toBe('invalid_arguments');
    const opened = await client.views.open({ trigger_id: trigger(), view: view(1_767_787_200) as never });
    const blocks = emulator.workspace.views.get(opened.view!.id!)!.definition['blocks'];
    // What Slack sends on submission: the picked instant, else the initial one, as UNIX seconds.
    expect(buildStateValues(blocks, { from: '1767790800' })).toEqual({
      b: { from: { type: 'datetimepicker', selected_date_time: 1_767_790_800 } },
    });
    expect(buildStateValues(blocks, {})).toEqual({
      b: { from: { type: 'datetimepicker', selected_date_time: 1_767_787_200 } },
    });
  });
});
