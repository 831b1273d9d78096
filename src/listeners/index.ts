import type { App } from '@slack/bolt';
import {
  createAcknowledgeButton,
  createAnalyzeButton,
  createReportButton,
  createResolveButton,
  createWatchButton,
} from './actions/incident-buttons.js';
import { createTaskAnalyzeButton, createTaskWatchButton } from './actions/task-buttons.js';
import { createIncidentCommand } from './commands/incident.js';
import { createOncallCommand } from './commands/oncall.js';
import { createJobsCommand } from './commands/jobs.js';
import { jobHomeBlocks } from '../blocks/jobs.js';
import { reportListenerError } from './error-handler.js';
import { createAppHomeOpened } from './events/app-home.js';
import { createAppMention } from './events/app-mention.js';
import { Actions, Commands, Events, Views } from './ids.js';
import type { ListenerDeps } from './types.js';
import { createNewIncidentSubmission, createOncallEditSubmission } from './views/submissions.js';
import { createSwapButton } from './actions/swap-buttons.js';
import { createOverrideSubmission } from './views/override-submission.js';

/** Registers every listener; nothing registers at import time (so tests build as many apps as they like). */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(Commands.incident, createIncidentCommand(deps));
  app.command(Commands.oncall, createOncallCommand(deps));
  app.command(Commands.jobs, createJobsCommand(deps));

  app.action(Actions.watching, createWatchButton(deps));
  app.action(Actions.acknowledge, createAcknowledgeButton(deps));
  app.action(Actions.resolve, createResolveButton(deps));
  app.action(Actions.toBedrockAgent, createAnalyzeButton(deps));
  app.action(Actions.reporting, createReportButton(deps));
  app.action(Actions.taskWatch, createTaskWatchButton(deps));
  app.action(Actions.taskAnalyze, createTaskAnalyzeButton(deps));
  app.action(Actions.swapAccept, createSwapButton(deps, true));
  app.action(Actions.swapDecline, createSwapButton(deps, false));

  app.view(Views.newIncident, createNewIncidentSubmission(deps));
  app.view(Views.editOncall, createOncallEditSubmission(deps));
  app.view(Views.oncallOverride, createOverrideSubmission(deps));

  app.event(
    Events.appHomeOpened,
    createAppHomeOpened(deps, () => jobHomeBlocks(deps.services.jobs)),
  );
  app.event(Events.appMention, createAppMention(deps));

  app.error(async (error) => {
    await reportListenerError(error.original ?? error, { logger: deps.logger, what: 'bolt' });
  });
}
