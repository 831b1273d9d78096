import type { App } from '@slack/bolt';
import {
  createAcknowledgeButton,
  createAnalyzeButton,
  createReportButton,
  createResolveButton,
  createWatchButton,
} from './actions/incident-buttons.js';
import { createIncidentMenu } from './actions/incident-menu.js';
import { createTaskAnalyzeButton, createTaskWatchButton } from './actions/task-buttons.js';
import {
  createDigestListButton,
  createDigestOpenButton,
  createDigestPageButton,
} from './actions/digest-buttons.js';
import { createIncidentCommand } from './commands/incident.js';
import { createOncallCommand } from './commands/oncall.js';
import { createJobsCommand } from './commands/jobs.js';
import { createMaintenanceCommand } from './commands/maintenance.js';
import { jobHomeBlocks } from '../blocks/jobs.js';
import { reportListenerError } from './error-handler.js';
import { createAppHomeOpened } from './events/app-home.js';
import { createAppMention } from './events/app-mention.js';
import { Actions, Commands, Events, Shortcuts, Views } from '../blocks/ids.js';
import { createAcknowledgeShortcut } from './shortcuts/acknowledge.js';
import type { ListenerDeps } from './types.js';
import {
  appHomeOpenedSchema,
  appMentionSchema,
  checkButton,
  checkCommand,
  checkEvent,
  checkShortcut,
  checkViewSubmission,
  menuSchema,
} from './payloads.js';
import { createNewIncidentSubmission, createOncallEditSubmission } from './views/submissions.js';
import { createSwapButton } from './actions/swap-buttons.js';
import { createOverrideSubmission } from './views/override-submission.js';

/**
 * Registers every listener; nothing registers at import time (so tests build as many apps as they like). Each
 * listener runs behind the check of its payload kind (payloads.ts), so none reads a field Slack did not send.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const command = checkCommand(deps.logger);
  app.command(Commands.incident, command, createIncidentCommand(deps));
  app.command(Commands.oncall, command, createOncallCommand(deps));
  app.command(Commands.jobs, command, createJobsCommand(deps));
  app.command(Commands.maintenance, command, createMaintenanceCommand(deps));

  const button = checkButton(deps.logger);
  app.action(Actions.watching, button, createWatchButton(deps));
  app.action(Actions.acknowledge, button, createAcknowledgeButton(deps));
  app.action(Actions.resolve, button, createResolveButton(deps));
  app.action(Actions.toBedrockAgent, button, createAnalyzeButton(deps));
  app.action(Actions.reporting, button, createReportButton(deps));
  app.action(Actions.menu, checkButton(deps.logger, menuSchema), createIncidentMenu(deps));
  app.action(Actions.taskWatch, button, createTaskWatchButton(deps));
  app.action(Actions.taskAnalyze, button, createTaskAnalyzeButton(deps));
  app.action(Actions.digestList, button, createDigestListButton(deps));
  app.action(Actions.digestPrevious, button, createDigestPageButton(deps));
  app.action(Actions.digestNext, button, createDigestPageButton(deps));
  app.action(new RegExp(`^${Actions.digestOpen}:`), button, createDigestOpenButton(deps));
  app.action(Actions.swapAccept, button, createSwapButton(deps, true));
  app.action(Actions.swapDecline, button, createSwapButton(deps, false));

  const submission = checkViewSubmission(deps.logger);
  app.view(Views.newIncident, submission, createNewIncidentSubmission(deps));
  app.view(Views.editOncall, submission, createOncallEditSubmission(deps));
  app.view(Views.oncallOverride, submission, createOverrideSubmission(deps));

  app.shortcut(
    { type: 'message_action', callback_id: Shortcuts.acknowledge },
    checkShortcut(deps.logger),
    createAcknowledgeShortcut(deps),
  );

  app.event(
    Events.appHomeOpened,
    checkEvent(deps.logger, appHomeOpenedSchema),
    createAppHomeOpened(deps, () => jobHomeBlocks(deps.services.jobs)),
  );
  app.event(Events.appMention, checkEvent(deps.logger, appMentionSchema), createAppMention(deps));

  app.error(async (error) => {
    await reportListenerError(error.original ?? error, { logger: deps.logger, what: 'bolt' });
  });
}
