/**
 * Accept and Decline on a swap request (issue 18), in the asked person's DM. The swap service answers it once
 * (a conditional write), replaces the buttons with the answer and tells the person who asked; a refusal (not
 * theirs to answer, already answered, an override in the way) is told to the clicker only.
 */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export function createSwapButton(deps: ListenerDeps, accept: boolean) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const reply = (text: string) =>
      args.respond({ response_type: 'ephemeral', replace_original: false, text });
    await guard(deps, accept ? 'swap accept button' : 'swap decline button', reply, async () => {
      const id = args.action.value ?? '';
      const answer = await deps.services.swaps.answer(id, args.body.user.id, accept);
      if (!answer.ok) await reply(`⚠️ ${answer.reason}`);
    });
  };
}
