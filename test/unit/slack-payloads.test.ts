/**
 * The listener-boundary schemas (src/listeners/payloads.ts) against Slack's documented payloads: what Slack may
 * leave out passes, what a listener needs does not.
 */
import { describe, expect, it } from 'vitest';
import {
  appHomeOpenedSchema,
  appMentionSchema,
  buttonSchema,
  incompletePayloadText,
  invalidFields,
  slashCommandSchema,
  viewSubmissionSchema,
} from '../../src/listeners/payloads.js';

const command = {
  token: 'x',
  team_id: 'T0HIKESHI',
  channel_id: 'C0ALERTS1',
  user_id: 'U0ALICE01',
  command: '/incident',
  text: '',
  response_url: 'https://hooks.slack.com/commands/T0HIKESHI/1/abc',
  trigger_id: '1.2.3',
};

describe('listener payload schemas', () => {
  it('a slash command: an empty text is fine, a missing one is not', () => {
    expect(invalidFields(slashCommandSchema, command)).toBeUndefined();
    const { text: _text, user_id: _user, ...rest } = command;
    expect(invalidFields(slashCommandSchema, rest)).toEqual(['text', 'user_id']);
  });

  it('a button from App Home or a modal (no response_url, channel or message) is fine; one without its value is not', () => {
    const fromHome = {
      type: 'block_actions',
      user: { id: 'U0ALICE01' },
      container: { type: 'view', view_id: 'V1' },
      actions: [{ action_id: 'incident_ack', value: 'INC-1', type: 'button' }],
    };
    expect(invalidFields(buttonSchema, fromHome)).toBeUndefined();
    expect(invalidFields(buttonSchema, { ...fromHome, actions: [{ action_id: 'incident_ack' }] })).toEqual([
      'actions.0.value',
    ]);
    expect(invalidFields(buttonSchema, { ...fromHome, actions: [] })).toEqual(['actions']);
  });

  it('a view submission needs its state values', () => {
    const view = {
      callback_id: 'incident_new',
      state: { values: { b: { a: { type: 'plain_text_input', value: 'x' } } } },
    };
    expect(invalidFields(viewSubmissionSchema, { user: { id: 'U1' }, view })).toBeUndefined();
    expect(
      invalidFields(viewSubmissionSchema, { user: { id: 'U1' }, view: { callback_id: 'incident_new' } }),
    ).toEqual(['view.state']);
  });

  it('events: a bot’s mention has no user, which is fine; App Home needs one', () => {
    expect(invalidFields(appMentionSchema, { channel: 'C1', ts: '1.2', text: 'hi' })).toBeUndefined();
    expect(invalidFields(appMentionSchema, { ts: '1.2', text: 'hi' })).toEqual(['channel']);
    expect(invalidFields(appHomeOpenedSchema, { tab: 'home' })).toEqual(['user']);
  });

  it('names the missing fields for the person', () => {
    expect(incompletePayloadText(['text', 'user_id'])).toBe(
      ':warning: Slack sent this without `text`, `user_id`, so Hikeshi did nothing. Please try again.',
    );
  });
});
