/**
 * B6's comparison: Bolt's own "deploy to AWS Lambda" hello world (an App on an AwsLambdaReceiver that answers
 * "hello"), bundled exactly like Hikeshi's functions (bench/b6-lambda-bundles.ts).
 * https://docs.slack.dev/tools/bolt-js/deployments/aws-lambda
 */
import { App, AwsLambdaReceiver } from '@slack/bolt';

const receiver = new AwsLambdaReceiver({ signingSecret: process.env['SLACK_SIGNING_SECRET'] ?? '' });
const app = new App({ token: process.env['SLACK_BOT_TOKEN'] ?? '', receiver });

app.message('hello', async ({ message, say }) => {
  await say(`Hey there <@${'user' in message ? String(message.user) : 'you'}>!`);
});

export const handler = async (...args: Parameters<Awaited<ReturnType<AwsLambdaReceiver['start']>>>) => {
  const handle = await receiver.start();
  return handle(...args);
};
