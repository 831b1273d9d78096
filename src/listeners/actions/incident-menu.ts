/**
 * The incident message's overflow menu (src/blocks/incident-menu.ts): snooze, end a snooze, change the severity.
 * Acks at once, then asks the incident service; the message shows the change, so the chooser is answered
 * ephemerally only when nothing changed.
 */
import type { AllMiddlewareArgs, BlockOverflowAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { parseMenuChoice } from '../../blocks/incident-menu.js';
import { severityOutcomeText, snoozeOutcomeText, unsnoozeOutcomeText } from '../../blocks/outcomes.js';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';
import { ephemeralReply } from './ephemeral.js';

type MenuArgs = SlackActionMiddlewareArgs<BlockOverflowAction> & AllMiddlewareArgs;

export function createIncidentMenu(deps: ListenerDeps) {
  return async (args: MenuArgs): Promise<void> => {
    await args.ack();
    const reply = ephemeralReply(args);
    await guard(deps, 'incident menu', reply, async () => {
      const { incidents } = deps.services;
      const by = args.body.user.id;
      const choice = parseMenuChoice(args.action.selected_option.value);
      if (choice === undefined) {
        await reply?.('⚠️ Hikeshi does not know that menu option; nothing changed.');
        return;
      }
      const id = choice.incidentId;
      switch (choice.kind) {
        case 'snooze': {
          const outcome = await incidents.snooze(id, by, choice.durationMs);
          if (!outcome.ok) await reply?.(snoozeOutcomeText(id, outcome));
          return;
        }
        case 'unsnooze': {
          const outcome = await incidents.unsnooze(id, by);
          if (!outcome.ok) await reply?.(unsnoozeOutcomeText(id, outcome));
          return;
        }
        case 'severity': {
          const outcome = await incidents.setSeverity(id, by, choice.severity);
          if (!outcome.ok) await reply?.(severityOutcomeText(id, outcome));
          return;
        }
      }
    });
  };
}
