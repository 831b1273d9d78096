/**
 * A real @slack/web-api client pointed at an emulator, as tests read Slack back through the Web API (exported as
 * `@hikeshi/slack-emulator/testing`, for any app's tests): no retries
 * (a failure is the test's to see) and a logger that keeps the test output quiet.
 */
import { LogLevel, WebClient, type Logger } from '@slack/web-api';

export const silentSlackLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export function emulatorWebClient(emulator: { botToken: string; apiUrl: string }): WebClient {
  return new WebClient(emulator.botToken, {
    slackApiUrl: emulator.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentSlackLogger,
  });
}
