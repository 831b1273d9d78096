/**
 * A hello-world Bolt app, as a newcomer writes it from Slack's tutorial: a slash command answered with a button,
 * the button's click, and a mention. Nothing in it knows the emulator; only the tokens and the API URL it is
 * given do (test/integration/hello-world.test.ts).
 */
import type { App, BlockAction } from '@slack/bolt';

export function helloWorld(app: App): void {
  app.command('/hello', async ({ command, ack, respond }) => {
    await ack();
    const text = `Hello, <@${command.user_id}>!`;
    await respond({
      response_type: 'in_channel',
      text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'wave', text: { type: 'plain_text', text: 'Wave back' } }],
        },
      ],
    });
  });
  app.action<BlockAction>('wave', async ({ ack, body, client }) => {
    await ack();
    await client.chat.postMessage({ channel: body.channel?.id ?? '', text: `<@${body.user.id}> waved 👋` });
  });
  app.event('app_mention', async ({ event, say }) => {
    await say({ text: `Hi <@${event.user ?? ''}>, you said: ${event.text}`, thread_ts: event.ts });
  });
}
