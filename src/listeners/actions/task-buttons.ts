/**
 * Watching and To Bedrock Agent on a GitHub/GitLab task message. Both ack at once; the watcher line is kept on
 * the message itself, and the analysis is answered in the message's thread through the analysis service.
 */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '../../blocks/kit.js';
import { toggleTaskWatcher } from '../../blocks/task-message.js';
import { guard } from '../guard.js';
import { ephemeralReply as ephemeral } from './ephemeral.js';
import type { ListenerDeps } from '../types.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

function messageOf(
  args: ButtonArgs,
): { channel: string; ts: string; text: string; blocks: KnownBlock[] } | undefined {
  const { body } = args;
  // A task message is a channel message; from an ephemeral one Slack sends no `message`, from a view no channel.
  const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
  const message = body.message as { ts?: string; text?: string; blocks?: KnownBlock[] } | undefined;
  if (channel === undefined || message?.ts === undefined) return undefined;
  return { channel, ts: message.ts, text: message.text ?? '', blocks: message.blocks ?? [] };
}

export function createTaskWatchButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const reply = ephemeral(args);
    await guard(deps, 'task watch button', reply, async () => {
      const message = messageOf(args);
      if (!message) return;
      const next = toggleTaskWatcher(message.blocks, args.body.user.id);
      await args.client.chat.update({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        blocks: next.blocks,
      });
      await reply?.(next.watching ? '👀 You are watching this task.' : '🙈 You stopped watching this task.');
    });
  };
}

export function createTaskAnalyzeButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    await guard(deps, 'task analysis button', ephemeral(args), async () => {
      const message = messageOf(args);
      if (!message) return;
      await deps.services.analysis.requestForTask({
        taskId: args.action.value ?? 'task',
        channel: message.channel,
        threadTs: message.ts,
        // The message carries the task's title, labels, author, description excerpt and link.
        inputText: `A coding task was received. Explain what it asks for, the likely approach and the risks.\n\n${message.text}`,
        requestedBy: args.body.user.id,
      });
    });
  };
}
