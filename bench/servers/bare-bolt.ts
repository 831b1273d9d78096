/**
 * B4's comparison: a bare Bolt app (same @slack/bolt, HTTPReceiver on /slack/events) whose only listener acks
 * every action, talking to the same Slack emulator. Usage: `bare-bolt.ts <signingSecret> <botToken> <apiUrl>`;
 * announces its port.
 */
import { App, LogLevel } from '@slack/bolt';
import { freePort, announce } from '../lib/process.js';

const [signingSecret = '', token = '', slackApiUrl = ''] = process.argv.slice(2);
const port = await freePort();
const app = new App({
  signingSecret,
  token,
  clientOptions: { slackApiUrl, retryConfig: { retries: 0 } },
  logLevel: LogLevel.WARN,
});
app.action(/.+/, async ({ ack }) => {
  await ack();
});
await app.start(port);
announce({ port });
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
