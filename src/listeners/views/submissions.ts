/** Modal submissions: validate (errors shown next to the field, as Slack does), then act. */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  parseNewIncidentSubmission,
  parseOncallEditSubmission,
  type ViewStateValues,
} from '../../blocks/modals.js';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const valuesOf = (args: ViewArgs) => args.view.state.values as unknown as ViewStateValues;

export function createNewIncidentSubmission(deps: ListenerDeps) {
  return async (args: ViewArgs): Promise<void> => {
    const parsed = parseNewIncidentSubmission(valuesOf(args));
    if (!parsed.ok) {
      await args.ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await args.ack();
    const by = args.body.user.id;
    await guard(deps, 'new incident modal', undefined, async () => {
      const incident = await deps.services.incidents.openManual({
        title: parsed.title,
        severity: parsed.severity,
        by,
        ...(parsed.message === undefined ? {} : { message: parsed.message }),
      });
      deps.logger.info({ incident: incident.id, by }, 'incident opened by hand');
    });
  };
}

export function createOncallEditSubmission(deps: ListenerDeps) {
  return async (args: ViewArgs): Promise<void> => {
    const existing = await deps.services.oncall.list();
    const parsed = parseOncallEditSubmission(valuesOf(args), existing);
    if (!parsed.ok) {
      await args.ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await args.ack();
    await guard(deps, 'on-call edit modal', undefined, async () => {
      await deps.services.oncall.replace(parsed.entries);
      deps.logger.info({ by: args.body.user.id, responders: parsed.entries.length }, 'on-call list replaced');
    });
  };
}
