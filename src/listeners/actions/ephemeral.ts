import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { EphemeralReply } from '../error-handler.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * An ephemeral answer to the person who clicked, through the payload's response_url. Slack sends none for a
 * button in App Home or a modal (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload),
 * and Bolt then gives no `respond`: there the click still acts, and the view shows the result, but nothing is
 * said.
 */
export function ephemeralReply(args: ActionArgs): EphemeralReply | undefined {
  const respond = (args as { respond?: ActionArgs['respond'] }).respond;
  if (respond === undefined) return undefined;
  return (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
}
