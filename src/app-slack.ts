/**
 * Where Slack is and how Bolt receives from it: the emulator or the configured workspace, and Socket Mode,
 * HTTP or the Lambda receiver (app.ts builds the Web API client and the Bolt app from these).
 */
import type { AppOverrides, SlackConnection } from './app-types.js';
import type { Config } from './config/index.js';
import type { SlackRuntime } from './integrations/slack-bolt.js';

export function slackConnection(config: Config, overrides: AppOverrides): SlackConnection {
  const connection: SlackConnection | undefined =
    overrides.slack ??
    (config.slack.botToken
      ? {
          botToken: config.slack.botToken.reveal(),
          ...(config.slack.appToken ? { appToken: config.slack.appToken.reveal() } : {}),
          ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret.reveal() } : {}),
          ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        }
      : undefined);
  if (!connection) throw new Error('No Slack connection: start the emulator or set SLACK_BOT_TOKEN');
  return connection;
}

export function slackRuntime(
  connection: SlackConnection,
  overrides: AppOverrides,
): { runtime: SlackRuntime; apiUrl?: string } {
  const apiUrl = connection.apiUrl === undefined ? {} : { apiUrl: connection.apiUrl };
  if (overrides.runtime === 'lambda') {
    return {
      runtime: {
        kind: 'lambda',
        botToken: connection.botToken,
        signingSecret: connection.signingSecret ?? '',
      },
      ...apiUrl,
    };
  }
  if (connection.appToken) {
    return {
      runtime: { kind: 'socket', botToken: connection.botToken, appToken: connection.appToken },
      ...apiUrl,
    };
  }
  return {
    runtime: { kind: 'http', botToken: connection.botToken, signingSecret: connection.signingSecret ?? '' },
    ...apiUrl,
  };
}
