import type { App } from '@slack/bolt';
import { reportListenerError } from './error-handler.js';
import { createIncidentCommand } from './commands/incident.js';
import { createAppHomeOpened } from './events/app-home.js';
import { Commands, Events } from './ids.js';
import type { ListenerDeps } from './types.js';

/** Registers every listener; nothing registers at import time (so tests build as many apps as they like). */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(Commands.incident, createIncidentCommand(deps));
  app.event(Events.appHomeOpened, createAppHomeOpened(deps));
  app.error(async (error) => {
    await reportListenerError(error.original ?? error, { logger: deps.logger, what: 'bolt' });
  });
}
