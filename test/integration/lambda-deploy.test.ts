/**
 * Issue 17, B: a deploy with the default parameters works. The real bundles are built once and packaged by osls
 * twice, as a deploy would package them: with the defaults (no phone escalation, no Bedrock agent) and with phone
 * escalation. Each function's zip is unpacked outside the checkout and run in its own process
 * (test/helpers/lambda-deploy.ts) with exactly the environment the packaged template gives it, plus what Lambda
 * sets and the endpoints of the local fakes. Its secrets come from the SECRETS_ID secret the template names, in
 * the Secrets Manager fake, holding what a real deploy's secret holds; its tables are the template's, created in
 * dynalite; its task queue is the real RabbitMQ.
 *
 * Every function is invoked, each for the first time in its process, with the events AWS sends: API Gateway
 * requests (alerts, Slack through the emulator, a GitHub webhook), the worker's asynchronous invoke, the
 * EventBridge tick, the Amazon MQ batch of the queued task, the contact flow.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLambdaBundles, type LambdaFunction } from '../../scripts/build-lambda.js';
import { contactFlowEvent } from '../../src/domain/contact-flow.js';
import { startSlackEmulator, type SlackEmulator, type StoredMessage } from '@hikeshi/slack-emulator';
import { localSlackWorkspace } from '../../src/local-slack.js';
import { LOCAL_DEV_TOKEN } from '../../src/ingress/auth.js';
import { Actions } from '../../src/blocks/ids.js';
import { startFakeConnect, type FakeConnect } from '../fakes/connect.js';
import { startFakeLambda, type FakeLambda } from '../fakes/lambda.js';
import { startSecretsManagerFake, type SecretsManagerFake } from '../fakes/secrets-manager.js';
import { startApiGateway, type ApiGateway } from '../helpers/api-gateway.js';
import type { StackContext } from '../helpers/cloudformation.js';
import { awslogsEvent, dataMessage } from '../helpers/cloudwatch-logs.js';
import { createTables, startStack, type DeployedFunction } from '../helpers/lambda-deploy.js';
import { AMQP_TEST_URL, deleteTaskTopology, drainQueue, uniqueQueueName } from '../helpers/rabbitmq.js';
import {
  BROKER_PARAMS,
  packageServerless,
  type CfnTemplate,
  type PackagedStack,
} from '../helpers/serverless.js';
import { startTestStore, type TestStore } from '../helpers/store.js';
import { githubExample } from '../helpers/webhooks.js';

const REGION = 'ap-northeast-1';
const ACCOUNT = '123456789012';
const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const ALICE_PHONE = '+819012340001';
const PHONE_PARAMS = {
  connectInstanceId: '0f2d6b1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  connectContactFlowId: '9c1b7a2e-3d4c-4b5a-9e8f-7a6b5c4d3e2f',
  connectSourcePhone: '+815012345678',
  escalateAfterSeconds: '0',
};
/** What the deploy's Secrets Manager secret holds besides the Slack credentials (README, "Deploy"). */
const SECRET = {
  alerts_api_token: 'alerts-token-deploy-4c1e',
  job_report_secret: 'job-secret-deploy-8d2f',
  github_webhook_secret: 'github-secret-deploy-1a9b',
  amqp_url: AMQP_TEST_URL,
};

const STAGES = [
  { stage: 'nophone', phone: false, params: {} },
  { stage: 'phone', phone: true, params: PHONE_PARAMS },
];

let dir: string;
/** Each stage packaged by osls, from the same bundles. */
const packaged: Record<string, PackagedStack> = {};
let emulator: SlackEmulator;
let store: TestStore;
let secrets: SecretsManagerFake;
let lambda: FakeLambda;
let connect: FakeConnect;
let gateway: ApiGateway;
/** The stage API Gateway and the Lambda fake send to. */
let current: Stage | undefined;

interface Stage {
  name: string;
  template: CfnTemplate;
  queue: string;
  functions: Record<LambdaFunction, DeployedFunction>;
}

const stackOf = (stage: string): StackContext => ({
  region: REGION,
  accountId: ACCOUNT,
  stackName: `hikeshi-${stage}`,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hikeshi-deploy-'));
  const bundlesDir = join(dir, 'bundles');
  // One build, packaged once per stage, as `npm run package` would with each stage's parameters.
  const built = buildLambdaBundles({ outDir: bundlesDir }).then(async (result) => {
    expect(result.reports.filter((r) => r.problems.length > 0)).toEqual([]);
    await Promise.all(
      STAGES.map(async ({ stage, params }) => {
        packaged[stage] = await packageServerless({
          stage,
          params: { ...BROKER_PARAMS, taskQueue: queueOf(stage), ...params },
          bundlesDir,
          dir: join(dir, `sls-${stage}`),
        });
      }),
    );
  });
  built.catch(() => undefined); // awaited below; meanwhile a failure is not an unhandled rejection
  [emulator, store, connect] = await Promise.all([
    startSlackEmulator({ workspace: localSlackWorkspace() }),
    startTestStore({ listen: true }),
    startFakeConnect(),
  ]);
  const secret = {
    ...SECRET,
    slack_token: emulator.botToken,
    slack_signing_secret: emulator.signingSecret,
  };
  // The secret each stage names (SECRETS_ID: hikeshi/<stage>, serverless.yml's default).
  secrets = await startSecretsManagerFake(
    Object.fromEntries(STAGES.map(({ stage }) => [`hikeshi/${stage}`, secret])),
  );
  // Each stage's slack and ingress hand slow work to that stage's worker, by its name in the template.
  lambda = await startFakeLambda(
    Object.fromEntries(
      STAGES.map(({ stage }) => [
        `hikeshi-${stage}-worker`,
        (event: unknown) =>
          current?.name === stage
            ? current.functions.worker.invoke(event)
            : Promise.reject(new Error(`stage ${stage} is not deployed`)),
      ]),
    ),
  );
  gateway = await startApiGateway((path) => {
    const fn = path === '/slack/events' ? 'slack' : 'ingress';
    const deployed = current?.functions[fn];
    if (deployed === undefined) throw new Error('no stage deployed');
    return { functionName: deployed.name, handler: (event) => deployed.invoke(event) };
  });
  emulator.useHttpTransport({ url: `${gateway.url}/slack/events`, signingSecret: emulator.signingSecret });
  await built;
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await Promise.all([lambda?.close(), secrets?.close(), connect?.close()]);
  await store?.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Each stage's own task queue on the shared broker (the `taskQueue` parameter). */
const queues = new Map<string, string>();
function queueOf(stage: string): string {
  if (!queues.has(stage)) queues.set(stage, uniqueQueueName());
  return queues.get(stage) ?? '';
}

/** Creates the packaged stage's tables and starts each function from its unpacked zip. */
async function deploy(name: string): Promise<Stage> {
  const stack = packaged[name];
  if (stack === undefined) throw new Error(`stage ${name} was not packaged`);
  const { template, artifacts } = stack;
  const queue = queueOf(name);
  await createTables(template, store.endpoint ?? '', REGION);
  const functions = await startStack(template, artifacts, {
    stack: stackOf(name),
    // Outside the checkout, as /var/task is: nothing of the repository can be resolved from there.
    root: join(dir, name),
    outside: {
      // The functions' role credentials, as Lambda gives them.
      AWS_ACCESS_KEY_ID: 'ASIADEPLOYTEST0001',
      AWS_SECRET_ACCESS_KEY: 'deploy-test-secret-access-key',
      AWS_SESSION_TOKEN: 'deploy-test-session-token',
      // The outside world, local: DynamoDB, Secrets Manager, Lambda, Connect, Slack.
      AWS_ENDPOINT_URL_DYNAMODB: store.endpoint ?? '',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      AWS_ENDPOINT_URL_CONNECT: connect.url,
      SLACK_API_URL: emulator.apiUrl,
    },
  });
  return { name, template, queue, functions };
}

async function undeploy(stage: Stage | undefined): Promise<void> {
  if (stage === undefined) return;
  await Promise.all(Object.values(stage.functions).map((fn) => fn.close()));
  await deleteTaskTopology(stage.queue).catch(() => undefined);
}

const rendered = (m: StoredMessage | undefined) => JSON.stringify([m?.text, m?.blocks, m?.attachments]);
const messageWith = (text: string) =>
  emulator.workspace.messages(CHANNEL).find((m) => rendered(m).includes(text));
const threadText = (ts: string) =>
  emulator.workspace
    .thread(CHANNEL, ts)
    .slice(1)
    .map((m) => rendered(m))
    .join('\n');

function post(path: string, body: string, headers: Record<string, string>) {
  return fetch(`${gateway.url}${path}`, { method: 'POST', headers, body });
}

/** Every function of the stage answered its first invocation: what a broken configuration never does. */
function logsOf(stage: Stage): string {
  return Object.values(stage.functions)
    .map((fn) => `--- ${fn.name}\n${fn.output()}`)
    .join('\n');
}

describe.each(STAGES)('a deploy $stage: every function works on its first invocation', ({ stage, phone }) => {
  let deployed: Stage;
  let incident: { ts: string };
  const title = `Payments API down (${stage})`;

  beforeAll(async () => {
    deployed = await deploy(stage);
    current = deployed;
  }, 60_000);
  afterAll(async () => {
    current = undefined;
    await undeploy(deployed);
  });

  it('runs each function with the template environment: production, the stage secret, Connect only with the phone', () => {
    for (const fn of Object.values(deployed.functions)) {
      expect(fn.env).toMatchObject({
        NODE_ENV: 'production',
        SECRETS_ID: `hikeshi/${stage}`,
        STORE: 'dynamodb',
      });
      expect(fn.env['CONNECT_INSTANCE_REGION'], fn.name).toBe(phone ? REGION : '');
      expect(fn.env['CONNECT_INSTANCE_ID'], fn.name).toBe(phone ? PHONE_PARAMS.connectInstanceId : '');
      expect(fn.env['INCIDENTS_TABLE']).toBe(`hikeshi-${stage}-Incidents`);
      expect(
        Object.keys(fn.env).filter((k) => /^(SLACK_(BOT|SIGNING)|ALERTS_|NODE_OPTIONS|VITEST)/.test(k)),
      ).toEqual([]);
    }
  });

  it('ingress: refuses the development token, then opens the incident with the deploy’s token', async () => {
    const body = JSON.stringify({ title, severity: 'critical', dedup_key: `payments-${stage}` });
    const refused = await post('/api/alerts', body, {
      'content-type': 'application/json',
      authorization: `Bearer ${LOCAL_DEV_TOKEN}`,
    });
    expect(refused.status, logsOf(deployed)).toBe(401);
    const metrics = await fetch(`${gateway.url}/metrics`);
    expect(metrics.status).toBe(401);

    const opened = await post('/api/alerts', body, {
      'content-type': 'application/json',
      authorization: `Bearer ${SECRET.alerts_api_token}`,
    });
    expect(opened.status, logsOf(deployed)).toBe(202);
    const message = messageWith(title);
    expect(message, logsOf(deployed)).toBeDefined();
    incident = { ts: message?.ts ?? '' };
  });

  it('ingress: a silence holds a matching alert back, and ending it posts the one summary (issue 20)', async () => {
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${SECRET.alerts_api_token}` };
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await post(
      '/api/silences',
      JSON.stringify({ matchers: [`dedup_key=silenced-${stage}`], ends_at: endsAt, comment: 'deploy check' }),
      auth,
    );
    expect(created.status, logsOf(deployed)).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const held = await post(
      '/api/alerts',
      JSON.stringify({ title: `Held back (${stage})`, severity: 'critical', dedup_key: `silenced-${stage}` }),
      auth,
    );
    expect(await held.json(), logsOf(deployed)).toMatchObject({ silenced: true });
    expect(messageWith(`Held back (${stage})`)).toBeUndefined();
    const ended = await fetch(`${gateway.url}/api/silences/${id}`, { method: 'DELETE', headers: auth });
    expect(await ended.json(), logsOf(deployed)).toMatchObject({ id, status: 'expired', summarised: 1 });
    expect(messageWith(`Silence \`${id}\` was ended`), logsOf(deployed)).toBeDefined();
    // Released, it pages as usual from now on: resolved here, so the tick below phones only the first incident.
    await post('/api/alerts', JSON.stringify({ dedup_key: `silenced-${stage}`, status: 'resolved' }), auth);
  });

  it('slack → worker: /oncall add, then To Bedrock Agent, answered by the worker (the local analyser)', async () => {
    const added = await emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/oncall',
      text: `add <@${ALICE}|alice> ${ALICE_PHONE}`,
    });
    expect(added, logsOf(deployed)).toMatchObject({ transport: 'http', status: 200 });

    const before = lambda.invocations.length;
    const clicked = await emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: incident.ts,
      actionId: Actions.toBedrockAgent,
    });
    expect(clicked, logsOf(deployed)).toMatchObject({ status: 200 });
    expect(lambda.invocations.slice(before)).toMatchObject([
      { functionName: `hikeshi-${stage}-worker`, payload: { name: 'analysis.run' } },
    ]);
    expect(await lambda.deliver()).toEqual([
      { functionName: `hikeshi-${stage}-worker`, result: { job: 'analysis.run' } },
    ]);
    expect(threadText(incident.ts)).toContain('not an LLM');
  });

  it(`tick: ${phone ? 'calls the on-call responder through Connect' : 'runs, and calls nobody'}`, async () => {
    const dials = connect.dials.length;
    const result = await deployed.functions.tick.invoke({
      version: '0',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      time: new Date().toISOString(),
      region: REGION,
      resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/hikeshi-${stage}-tick`],
      detail: {},
    });
    expect(result, logsOf(deployed)).toEqual({ failed: [] });
    const placed = connect.dials.slice(dials);
    expect(placed.map((d) => [d.destinationPhone, d.instanceId, d.contactFlowId])).toEqual(
      phone ? [[ALICE_PHONE, PHONE_PARAMS.connectInstanceId, PHONE_PARAMS.connectContactFlowId]] : [],
    );
  });

  it(`connectFlow: ${phone ? 'the responder hears the incident and takes it' : 'answers that phone escalation is not set up'}`, async () => {
    const dial = connect.dials.at(-1);
    if (!phone || dial === undefined) {
      const answer = await deployed.functions.connectFlow.invoke(
        contactFlowEvent({ contactId: 'c-unknown', attributes: {}, action: 'describe' }),
      );
      expect(answer, logsOf(deployed)).toEqual({
        result: 'ignored',
        message: 'Phone escalation is not set up.',
      });
      return;
    }
    const described = await deployed.functions.connectFlow.invoke(
      contactFlowEvent({ contactId: dial.contactId, attributes: dial.attributes, action: 'describe' }),
    );
    expect(JSON.stringify(described), logsOf(deployed)).toContain('Payments API down');
    await deployed.functions.connectFlow.invoke(
      contactFlowEvent({
        contactId: dial.contactId,
        attributes: dial.attributes,
        action: 'response',
        response: '1',
      }),
    );
    expect(rendered(emulator.workspace.message(CHANNEL, incident.ts))).toContain(`<@${ALICE}>`);
  });

  it('logs: a CloudWatch Logs delivery of a Lambda error opens its incident, with the stage region in the link', async () => {
    const error = `${new Date().toISOString()}\t${crypto.randomUUID()}\tERROR\tInvoke Error \t${JSON.stringify(
      {
        errorType: 'TypeError',
        errorMessage: `Cannot read properties of undefined (reading '${stage}')`,
        stack: [
          `TypeError: Cannot read properties of undefined (reading '${stage}')`,
          '    at Runtime.handler (file:///var/task/index.mjs:3:9)',
        ],
      },
    )}\n`;
    const result = await deployed.functions.logs.invoke(awslogsEvent(dataMessage({ messages: [error] })));
    expect(result, logsOf(deployed)).toMatchObject({
      errors: 1,
      incidents: [{ action: 'opened', count: 1 }],
    });
    const message = messageWith(`(reading '${stage}')`);
    expect(message, logsOf(deployed)).toBeDefined();
    expect(rendered(message)).toContain(
      `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#logsV2:`,
    );
    await lambda.deliver();
  });

  it('ingress → RabbitMQ → tasks: a signed GitHub webhook is queued, and its Amazon MQ batch posts the task', async () => {
    const payload = githubExample('issues', 'labeled');
    const body = JSON.stringify(payload);
    const queued = await post('/webhook/github', body, {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': `delivery-${stage}`,
      'x-hub-signature-256': await sign(SECRET.github_webhook_secret, body),
    });
    expect(queued.status, logsOf(deployed)).toBe(202);

    const messages = await drainQueue(deployed.queue);
    expect(messages).toHaveLength(1);
    const result = await deployed.functions.tasks.invoke({
      eventSource: 'aws:rmq',
      eventSourceArn: BROKER_PARAMS.mqBrokerArn,
      rmqMessagesByQueue: {
        [`${deployed.queue}::/`]: messages.map((m) => ({
          basicProperties: { messageId: m.messageId, headers: m.headers },
          redelivered: false,
          data: Buffer.from(m.content).toString('base64'),
        })),
      },
    });
    expect(result, logsOf(deployed)).toEqual({ processed: 1, skipped: 0 });
    const issue = payload['issue'] as { title: string };
    expect(emulator.workspace.messages(CHANNEL).some((m) => rendered(m).includes(issue.title))).toBe(true);
  });
});
