/**
 * The `/oncall override` modal's submission (issue 18): field errors as Slack shows them (next to the field),
 * including an overlap with another override, which the service reports before anything is saved; then a
 * confirmation only the person sees, in the channel they typed the command in.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ViewStateValues } from '../../blocks/modals.js';
import { OverrideFields, parseOverrideSubmission } from '../../blocks/override-modal.js';
import { overrideAddedText } from '../../blocks/schedule-messages.js';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function createOverrideSubmission(deps: ListenerDeps) {
  return async (args: ViewArgs): Promise<void> => {
    const parsed = parseOverrideSubmission(args.view.state.values as unknown as ViewStateValues);
    if (!parsed.ok) {
      await args.ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    const by = args.body.user.id;
    // Saved before the ack (one conditional write, well inside Slack's 3 s) so a refusal shows in the form.
    const { user, start, end, schedule } = parsed;
    const added = await deps.services.schedules.addOverride({ schedule, user, start, end, by });
    if (!added.ok) {
      await args.ack({ response_action: 'errors', errors: { [OverrideFields.start.blockId]: added.reason } });
      return;
    }
    await args.ack();
    deps.logger.info({ by, override: added.override.id, schedule: added.schedule.id }, 'override added');
    const channel = args.view.private_metadata;
    if (channel === '') return;
    await guard(deps, 'override confirmation', undefined, async () => {
      await args.client.chat.postEphemeral({
        channel,
        user: by,
        text: overrideAddedText({ user, start, end, schedule: added.schedule, now: deps.clock.now() }),
      });
    });
  };
}
