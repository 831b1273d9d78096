/** `/oncall …`: the responder list Hikeshi phones, in priority order. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildOncallEditModal } from '../../blocks/modals.js';
import { buildOncallList } from '../../blocks/oncall.js';
import { oncallAddedText, oncallProblemText } from '../../blocks/outcomes.js';
import { ownPhoneText, phoneSetText } from '../../blocks/contact-replies.js';
import { ONCALL_USAGE, usageReply } from '../../blocks/usage.js';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';
import { parseOncallCommand } from './args.js';
import { createScheduleCommand } from './oncall-schedules.js';
import { isScheduleCommand } from './schedule-args.js';

export function createOncallCommand(deps: ListenerDeps) {
  const { oncall } = deps.services;
  // The overview, `who`, `override` and `swap` (issue 18: schedules); the rest is the flat list's.
  const schedules = createScheduleCommand(deps);
  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    if (isScheduleCommand(args.command.text)) return schedules(args);
    const { command, ack, respond, client } = args;
    const parsed = parseOncallCommand(command.text);
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });
    switch (parsed.kind) {
      case 'help':
        await ack({ response_type: 'ephemeral', ...usageReply(ONCALL_USAGE) });
        return;
      case 'error':
        await ack({ response_type: 'ephemeral', ...usageReply(ONCALL_USAGE, parsed.problem) });
        return;
      case 'list':
        await ack({ response_type: 'ephemeral', ...buildOncallList(await oncall.list()) });
        return;
      case 'edit':
        await ack();
        await guard(deps, '/oncall edit', reply, async () => {
          await client.views.open({
            trigger_id: command.trigger_id,
            view: buildOncallEditModal(await oncall.list()),
          });
        });
        return;
      case 'phone':
        await ack();
        await guard(deps, '/oncall phone', reply, async () => {
          const { contacts } = deps.services;
          if (parsed.phone === undefined) {
            const phone = await contacts.phoneOf(command.user_id);
            await reply(ownPhoneText(phone));
            return;
          }
          const outcome = await contacts.setPhone(command.user_id, parsed.phone);
          if (outcome.ok) deps.logger.info({ by: command.user_id }, 'own phone number stored');
          await reply(phoneSetText(outcome));
        });
        return;
      default:
        break;
    }
    await ack();
    await guard(deps, `/oncall ${parsed.kind}`, reply, async () => {
      const change =
        parsed.kind === 'add'
          ? await oncall.add(parsed)
          : parsed.kind === 'remove'
            ? await oncall.remove(parsed.userId)
            : await oncall.move(parsed.userId, parsed.priority);
      if (!change.ok) {
        await reply(oncallProblemText(change));
        return;
      }
      deps.logger.info(
        { by: command.user_id, change: parsed.kind, user: parsed.userId },
        'on-call list changed',
      );
      const entry = change.entries.find((e) => e.userId === parsed.userId);
      const headline =
        parsed.kind === 'add' && entry
          ? oncallAddedText(entry.userId, entry.phone, entry.priority, parsed.priority)
          : parsed.kind === 'remove'
            ? `🗑️ Removed <@${parsed.userId}> from the on-call list.`
            : `↕️ Moved <@${parsed.userId}> to priority ${entry?.priority ?? parsed.priority}${
                entry !== undefined && entry.priority !== parsed.priority
                  ? ` (priority ${parsed.priority} → ${entry.priority}: the list has ${change.entries.length})`
                  : ''
              }.`;
      const list = buildOncallList(change.entries);
      await respond({
        response_type: 'ephemeral',
        text: `${headline}\n${list.text}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: headline } }, ...list.blocks],
      });
    });
  };
}
