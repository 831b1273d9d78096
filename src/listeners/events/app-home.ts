import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../types.js';

export function createAppHomeOpened(_deps: ListenerDeps) {
  return async ({
    event,
    client,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '火消し Hikeshi' } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: 'No open incidents. Type `/incident help` to begin.' },
          },
        ],
      },
    });
  };
}
