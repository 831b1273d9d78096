/**
 * The Lambda `tasks` handler's work (src/ingress/adapters/amazon-mq.ts): an Amazon MQ for RabbitMQ event, as the
 * event source mapping delivers it, processed by the real task service of a running app (Slack emulator,
 * dynalite). `tasks` in src/lambda.ts is this call on the container's app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/domain/git-task.js';
import { handleAmazonMqEvent, type AmazonMqEvent } from '../../src/ingress/adapters/amazon-mq.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs, type LogCapture } from '../helpers/log-capture.js';
import { buttonsOf, taskMessages } from '../helpers/webhooks.js';

let h: TestHikeshi;
let logs: LogCapture;

beforeAll(async () => {
  logs = captureLogs();
  h = await startHikeshi({ logger: logs.logger });
});
afterAll(async () => {
  await h.close();
});

function task(n: number): Task {
  return {
    id: `gitlab:group/project#${n}:uuid-${n}`,
    source: 'gitlab',
    kind: 'issue',
    repo: 'group/project',
    number: n,
    title: `Lambda task ${n}`,
    body: 'Please have a look',
    url: `https://gitlab.example.com/group/project/-/issues/${n}`,
    labels: ['coding agent'],
    author: 'root',
    received_at: '2026-01-01T00:00:00.000Z',
  };
}

/** The documented event shape: https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html */
function mqEvent(bodies: Record<string, (Task | string)[]>): AmazonMqEvent {
  return {
    eventSource: 'aws:rmq',
    eventSourceArn: 'arn:aws:mq:us-west-2:111122223333:broker:hikeshi:b-9bcfa592-423a-4942-879d-eb284b418fc8',
    rmqMessagesByQueue: Object.fromEntries(
      Object.entries(bodies).map(([queue, list]) => [
        queue,
        list.map((body, i) => ({
          basicProperties: {
            contentType: 'application/json',
            contentEncoding: null,
            headers: {},
            deliveryMode: 2,
            messageId: typeof body === 'string' ? null : body.id,
            bodySize: 80 + i,
          },
          redelivered: false,
          data: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64'),
        })),
      ]),
    ),
  };
}

const process = (t: Task) => h.app.services.tasks.process(t);
const messagesFor = (n: number) => taskMessages(h.emulator).filter((m) => m.text.includes(`project#${n}:`));

describe('Amazon MQ → tasks', () => {
  it('posts every task of the batch, once even when the batch comes again', async () => {
    const event = mqEvent({ 'hikeshi.tasks::/': [task(1), task(2)], 'other.tasks::/': [task(3)] });
    expect(await handleAmazonMqEvent(event, process, logs.logger)).toEqual({ processed: 3, skipped: 0 });
    expect(await handleAmazonMqEvent(event, process, logs.logger)).toEqual({ processed: 3, skipped: 0 });
    for (const n of [1, 2, 3]) expect(messagesFor(n)).toHaveLength(1);
    const [first] = messagesFor(1);
    expect(buttonsOf(first!).map((b) => [b.text, b.value])).toEqual([
      ['Watching', task(1).id],
      ['To Bedrock Agent', task(1).id],
    ]);
  });

  it('skips (and logs) a message that is not a task, processing the others', async () => {
    const event = mqEvent({ 'hikeshi.tasks::/': ['{"hello":', task(4)] });
    expect(await handleAmazonMqEvent(event, process, logs.logger)).toEqual({ processed: 1, skipped: 1 });
    expect(messagesFor(4)).toHaveLength(1);
    expect(logs.text()).toContain('Dropping a message that is not a task');
  });

  it('throws when a task fails, after trying the rest; the retried batch redoes only the failed one', async () => {
    const event = mqEvent({ 'hikeshi.tasks::/': [task(5), task(6)] });
    h.emulator.faults.add({ method: 'chat.postMessage', status: 500, times: 1 });
    await expect(handleAmazonMqEvent(event, process, logs.logger)).rejects.toThrow(
      /1 task\(s\) failed: gitlab:group\/project#5/,
    );
    expect(messagesFor(5)).toHaveLength(0);
    expect(messagesFor(6)).toHaveLength(1);

    expect(await handleAmazonMqEvent(event, process, logs.logger)).toEqual({ processed: 2, skipped: 0 });
    expect(messagesFor(5)).toHaveLength(1);
    expect(messagesFor(6)).toHaveLength(1);
  });

  it('refuses an event from another source', async () => {
    await expect(
      handleAmazonMqEvent({ eventSource: 'aws:sqs', rmqMessagesByQueue: {} }, process, logs.logger),
    ).rejects.toThrow(/Not an Amazon MQ for RabbitMQ event/);
  });
});
