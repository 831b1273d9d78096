/**
 * The local Slack emulator's web page, configured for Hikeshi (`npm start` without Slack tokens): the test alerts
 * go to the app's own public endpoints with the credentials the app accepts (the configured ones, else the
 * documented local defaults), and the phone panel shows and answers the local phone's calls (local-phone-panel.ts).
 */
import { join } from 'node:path';
import type { Config } from './config/index.js';
import type { SlackEmulator } from '@hikeshi/slack-emulator';
import {
  sendTestAlert,
  type TestAlertCredentials,
  createEmulatorWebUi,
  type EmulatorWebUi,
} from '@hikeshi/slack-emulator/web';
import { LOCAL_DEV_SECRET, LOCAL_DEV_TOKEN } from './ingress/auth.js';
import type { LocalPhone } from './integrations/local-phone.js';
import { createLocalPhonePanel } from './local-phone-panel.js';
import { withCallHistory } from './local-phone-history.js';
import type { Logger } from './logger.js';

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
  const phone = input.localPhone
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
  const credentials: TestAlertCredentials = {
    alertsToken: config.alertsApiToken?.reveal() ?? LOCAL_DEV_TOKEN,
    jobReportSecret: config.jobReportSecret?.reveal() ?? LOCAL_DEV_SECRET,
    githubSecret: config.github.webhookSecret?.reveal() ?? LOCAL_DEV_SECRET,
    taskLabel: config.tasks.label,
  };
  const page = createEmulatorWebUi({
    emulator: input.emulator,
    alertChannel: config.slack.alertChannel,
    sendTestAlert: (kind) => sendTestAlert(input.appUrl(), kind, credentials),
    phone,
    logger,
  });
  return {
    ...page,
    close() {
      page.close();
      phone?.close();
    },
  };
}
