/**
 * `/maintenance …` (issue 20): maintenance windows, i.e. silences made from Slack. Thin: parses the words
 * (silence-args.ts), asks the silence service, answers ephemerally (blocks/silences.ts). Reads and syntax errors
 * are answered in the ack; changes run after it.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import {
  buildSilenceList,
  MAINTENANCE_USAGE,
  silenceEndedText,
  silenceStartedText,
} from '../../blocks/silences.js';
import { usageReply } from '../../blocks/usage.js';
import { silenceFromNow } from '../../domain/silence-input.js';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';
import { parseMaintenanceCommand } from './silence-args.js';

export function createMaintenanceCommand(deps: ListenerDeps) {
  const { silences } = deps.services;
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });
    const parsed = parseMaintenanceCommand(command.text);
    switch (parsed.kind) {
      case 'help':
        await ack({ response_type: 'ephemeral', ...usageReply(MAINTENANCE_USAGE) });
        return;
      case 'error':
        await ack({ response_type: 'ephemeral', ...usageReply(MAINTENANCE_USAGE, parsed.problem) });
        return;
      case 'list':
        await ack({
          response_type: 'ephemeral',
          ...buildSilenceList(await silences.current(), deps.clock.now()),
        });
        return;
      case 'start': {
        const draft = silenceFromNow({
          matchers: parsed.matchers,
          durationMs: parsed.durationMs,
          comment: parsed.comment ?? 'Maintenance window',
          now: deps.clock.now(),
        });
        if (!draft.ok) {
          const problem = `${draft.field.replace('ends_at', 'The duration')} ${draft.reason}`;
          await ack({ response_type: 'ephemeral', ...usageReply(MAINTENANCE_USAGE, problem) });
          return;
        }
        await ack();
        await guard(deps, '/maintenance start', reply, async () => {
          const silence = await silences.create(draft.draft, command.user_id);
          await reply(silenceStartedText(silence, deps.clock.now()));
        });
        return;
      }
      case 'end':
        await ack();
        await guard(deps, '/maintenance end', reply, async () => {
          await reply(silenceEndedText(parsed.id, await silences.expire(parsed.id, command.user_id)));
        });
        return;
    }
  };
}
