/**
 * The five buttons on an incident message. Each acks at once, then asks a service and answers the clicker
 * ephemerally when nothing changed (already acknowledged, resolved…). The message itself is re-rendered by
 * the publisher, so a listener never edits it.
 */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { acknowledgeOutcomeText, resolveOutcomeText, watchOutcomeText } from '../../blocks/outcomes.js';
import { guard } from '../guard.js';
import { ephemeralReply as ephemeral } from './ephemeral.js';
import type { ListenerDeps } from '../types.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export function createWatchButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const reply = ephemeral(args);
    await guard(deps, 'watch button', reply, async () => {
      const id = args.action.value ?? '';
      // Watching is a toggle, and the message is the same for everyone: the reply tells the clicker which way
      // it went, and how to go back.
      const outcome = await deps.services.incidents.toggleWatch(id, args.body.user.id);
      await reply?.(watchOutcomeText(id, outcome));
    });
  };
}

export function createAcknowledgeButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const reply = ephemeral(args);
    await guard(deps, 'acknowledge button', reply, async () => {
      const id = args.action.value ?? '';
      const outcome = await deps.services.incidents.acknowledge(id, args.body.user.id);
      if (!outcome.ok) await reply?.(acknowledgeOutcomeText(id, outcome));
    });
  };
}

export function createResolveButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const reply = ephemeral(args);
    await guard(deps, 'resolve button', reply, async () => {
      const id = args.action.value ?? '';
      const outcome = await deps.services.incidents.resolve(id, args.body.user.id);
      if (!outcome.ok) await reply?.(resolveOutcomeText(id, outcome));
    });
  };
}

/**
 * To Bedrock Agent and Reporting stay useful after an incident is resolved (a postmortem is written then),
 * so they are not refused on resolved incidents; the services post "Analysing…" at once and do the slow
 * part after the ack.
 */
export function createAnalyzeButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    await guard(deps, 'analysis button', ephemeral(args), async () => {
      await deps.services.analysis.request(args.action.value ?? '', { requestedBy: args.body.user.id });
    });
  };
}

export function createReportButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    await guard(deps, 'report button', ephemeral(args), async () => {
      await deps.services.reports.request(args.action.value ?? '', { requestedBy: args.body.user.id });
    });
  };
}
