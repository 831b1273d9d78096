/**
 * `npm run consumer` as a process (`node --import tsx src/consumer.ts`): it reads a task from the real RabbitMQ,
 * posts it to Slack (the emulator, reached as a real workspace would be: bot token, signing secret, API URL),
 * and stops cleanly on SIGTERM. Without Slack tokens it refuses to start and says why.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Task } from '../../src/domain/git-task.js';
import { startSlackEmulator, type SlackEmulator } from '@hikeshi/slack-emulator';
import { localSlackWorkspace } from '../../src/local-slack.js';
import { createTaskQueue } from '../../src/integrations/rabbitmq.js';
import { createLogger } from '../../src/logger.js';
import { AMQP_TEST_URL, deleteTaskTopology, uniqueQueueName } from '../helpers/rabbitmq.js';
import { taskMessages } from '../helpers/webhooks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const queue = uniqueQueueName();
let emulator: SlackEmulator;
let dataDir: string;

beforeAll(async () => {
  emulator = await startSlackEmulator({ workspace: localSlackWorkspace() });
  dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-consumer-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
  await deleteTaskTopology(queue);
});

function run(extra: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(SLACK_|GITHUB_|GITLAB_|SECRETS_ID|QUEUE|TASK_|AMQP_URL)/.test(key))
      env[key] = value;
  }
  Object.assign(
    env,
    { NODE_ENV: 'development', LOG_FORMAT: 'json', LOG_LEVEL: 'info', DATA_DIR: dataDir },
    extra,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/consumer.ts'], {
    cwd: ROOT,
    env,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const task: Task = {
  id: 'github:acme/app#7:delivery-7',
  source: 'github',
  kind: 'issue',
  repo: 'acme/app',
  number: 7,
  title: 'Consumer process test',
  body: 'From the queue to Slack',
  url: 'https://github.com/acme/app/issues/7',
  labels: ['coding agent'],
  author: 'octocat',
  received_at: '2026-01-01T00:00:00.000Z',
};

it('consumes a task from RabbitMQ into Slack and stops cleanly on SIGTERM', async () => {
  const consumer = run({
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_SIGNING_SECRET: emulator.signingSecret,
    SLACK_API_URL: emulator.apiUrl,
    AMQP_URL: AMQP_TEST_URL,
    TASK_QUEUE: queue,
  });
  await expect.poll(consumer.output, { timeout: 15_000 }).toContain('Hikeshi task consumer is running');

  const publisher = createTaskQueue({
    url: AMQP_TEST_URL,
    queue,
    maxAttempts: 3,
    logger: createLogger({ level: 'silent' }),
  });
  await publisher.publish(task);
  await publisher.close();
  await expect.poll(() => taskMessages(emulator).length, { timeout: 10_000 }).toBe(1);
  expect(taskMessages(emulator)[0]?.text).toContain('acme/app#7');
  expect(consumer.output()).not.toContain(emulator.botToken);

  consumer.child.kill('SIGTERM');
  expect(await consumer.exited).toBe(0);
}, 40_000);

it('refuses to start without Slack tokens, and says what to do', async () => {
  const consumer = run({ TASK_QUEUE: queue });
  expect(await consumer.exited).toBe(1);
  expect(consumer.output()).toContain('npm run consumer posts to Slack: set SLACK_BOT_TOKEN');
}, 20_000);
