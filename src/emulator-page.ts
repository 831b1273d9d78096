/**
 * The local Slack emulator's web page, configured for Hikeshi (`npm start` without Slack tokens): Hikeshi's name
 * and commands, the "Send a test alert" menu, whose samples go to the app's own public endpoints with the
 * credentials the app accepts (the configured ones, else the documented local defaults), and the phone panel,
 * which shows and answers the local phone's calls (local-phone-panel.ts).
 */
import { join } from 'node:path';
import type { SlackEmulator } from '@hikeshi/slack-emulator';
import { createEmulatorWebUi, type EmulatorWebUi, type PagePhone } from '@hikeshi/slack-emulator/web';
import { readAppManifest } from './app-manifest.js';
import type { Config } from './config/index.js';
import {
  isTestAlertKind,
  sendTestAlert,
  TEST_ALERTS,
  type TestAlertCredentials,
} from './emulator-test-alerts.js';
import { LOCAL_DEV_SECRET, LOCAL_DEV_TOKEN } from './ingress/auth.js';
import type { LocalPhone } from './integrations/local-phone.js';
import { createLocalPhonePanel } from './local-phone-panel.js';
import { withCallHistory } from './local-phone-history.js';
import type { Logger } from './logger.js';

/** What the composer suggests as one types. */
const COMMAND_HINTS = [
  '/incident list',
  '/incident new',
  '/incident ack',
  '/incident resolve',
  '/incident help',
  '/oncall list',
  '/oncall edit',
  '/jobs list',
  '/incident silence',
  '/maintenance start 2h label:service=payments',
  '/maintenance list',
];

export function createEmulatorPage(input: {
  config: Config;
  emulator: SlackEmulator;
  /** Where the app's HTTP server listens (known once it is listening). */
  appUrl: () => string;
  /** The local phone escalation calls when Amazon Connect is not configured (`services.localPhone`). */
  localPhone?: LocalPhone | undefined;
  logger: Logger;
}): EmulatorWebUi {
  const { config } = input;
  const logger = input.logger.child({ component: 'emulator-page' });
  // The panel's calls survive a restart, like the workspace (under DATA_DIR).
  const panel = input.localPhone
    ? withCallHistory(
        createLocalPhonePanel({
          phone: input.localPhone,
          appUrl: input.appUrl,
          token: config.connect.callbackToken?.reveal() ?? LOCAL_DEV_TOKEN,
          logger,
        }),
        join(config.dataDir, 'phone-calls.json'),
        logger,
      )
    : undefined;
  const phone: PagePhone = {
    title: '📞 Phone · Amazon Connect (local)',
    idleNote: 'No calls yet. A critical incident nobody acknowledges rings here.',
    panel,
    unavailable: 'No local phone: with CONNECT_* set, escalation calls real phones through Amazon Connect.',
  };
  const credentials: TestAlertCredentials = {
    alertsToken: config.alertsApiToken?.reveal() ?? LOCAL_DEV_TOKEN,
    jobReportSecret: config.jobReportSecret?.reveal() ?? LOCAL_DEV_SECRET,
    githubSecret: config.github.webhookSecret?.reveal() ?? LOCAL_DEV_SECRET,
    taskLabel: config.tasks.label,
  };
  const page = createEmulatorWebUi({
    emulator: input.emulator,
    defaultChannel: config.slack.alertChannel,
    app: {
      name: 'Hikeshi',
      icon: '🔥',
      commands: (readAppManifest().features.slash_commands ?? []).map((c) => c.command),
      commandHints: COMMAND_HINTS,
      helpCommand: '/incident help',
      // Slack tells an app which thread a mention was typed in, never a command (README's tour, step 4).
      threadHint: 'Reply… or @hikeshi ack',
    },
    menu: {
      id: 'test-alerts',
      label: 'Send a test alert',
      items: [...TEST_ALERTS],
      run: (id) =>
        isTestAlertKind(id)
          ? sendTestAlert(input.appUrl(), id, credentials)
          : Promise.reject(new Error(`no test alert ${id}`)),
    },
    phone,
    logger,
  });
  return {
    ...page,
    close() {
      page.close();
      panel?.close();
    },
  };
}
