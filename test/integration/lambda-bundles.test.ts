/**
 * The built Lambda bundles (scripts/build-lambda.ts), imported in-process as the Node.js runtime imports them
 * and invoked with the events AWS sends, against the same outside world as the local server: DynamoDB
 * (dynalite, STORE=dynamodb), the Slack emulator, and fakes of Secrets Manager (SECRETS_ID, with the seed's key
 * names), Lambda (the worker's asynchronous invoke), Amazon Connect and Chatwork.
 *
 * Slack reaches the `slack` function the way it reaches API Gateway: the emulator signs real payloads and posts
 * them to a local HTTP API (test/helpers/api-gateway.ts) that calls the bundled handler. Each function returns
 * only when its work is done or handed off, so the effects are checked right after the call, without polling.
 * Every DynamoDB request goes through a recorder: the tables each function touched must be granted to its
 * IAM role in serverless.yml.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLambdaBundles,
  LAMBDA_FUNCTION_NAMES,
  ONCALL_JSON,
  type LambdaFunction,
} from '../../scripts/build-lambda.js';
import { contactFlowEvent } from '../../src/domain/contact-flow.js';
import {
  startSlackEmulator,
  type SlackEmulator,
  type StoredMessage,
  signature,
  eventCallback,
  seedChannel,
} from '@hikeshi/slack-emulator';
import { Actions } from '../../src/blocks/ids.js';
import { LOCAL_APP, localSlackWorkspace } from '../../src/local-slack.js';
import { incidentStoreOf } from '../../src/store/incidents-repository.js';
import { TABLE_DEFINITIONS, TABLE_IDS, type TableId } from '../../src/store/tables.js';
import { startFakeChatwork, type FakeChatwork } from '../fakes/chatwork.js';
import { startFakeConfluence, type FakeConfluence } from '../fakes/confluence.js';
import { startFakeConnect, type FakeConnect } from '../fakes/connect.js';
import { startFakeLambda, type FakeLambda } from '../fakes/lambda.js';
import { startSecretsManagerFake, type SecretsManagerFake } from '../fakes/secrets-manager.js';
import { apiGatewayEvent, lambdaContext, startApiGateway, type ApiGateway } from '../helpers/api-gateway.js';
import {
  CONTROL_MESSAGE,
  ORDERS_GROUP,
  awslogsEvent,
  dataMessage,
  isoAt,
  lines,
  requestIds,
} from '../helpers/cloudwatch-logs.js';
import { startDynamoRecorder, type DynamoRecorder } from '../helpers/dynamo-recorder.js';
import { loadBundle, setEnv, type Handler } from '../helpers/lambda-bundles.js';
import {
  BROKER_PARAMS,
  grantedTables,
  packageServerless,
  roleOf,
  type CfnTemplate,
} from '../helpers/serverless.js';
import { startTestStore, type TestStore } from '../helpers/store.js';
import { githubExample } from '../helpers/webhooks.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const ALICE_PHONE = '+819012340001';
const WORKER = 'hikeshi-test-worker';
const BOB = 'U0BOB0001';
/** Issue 18: a schedule the package carries (ONCALL_CONFIG at build time → oncall.json in every zip). */
const ONCALL_CHANNEL = 'C0ONCALL1';
const ONCALL_YAML = `schedules:
  - id: payments-primary
    time_zone: Europe/Berlin
    channel: ${ONCALL_CHANNEL}
    slack_usergroup: S0ONCALL1
    layers:
      - rotation: weekly
        handoff: "09:00"
        start: "2026-01-05"
        users: [${ALICE}]
`;
const SECRET = {
  job_report_secret: 'job-secret-9a8b7c',
  alerts_api_token: 'alerts-token-1f2e3d',
  github_webhook_secret: 'github-secret-5d4c3b',
  CHATWORK_API_TOKEN: 'cw-token-lambda-31ab',
  CHATWORK_ROOM_ID: '4242',
  wiki_user: 'ops@example.com',
  wiki_api_key: 'wiki-token-lambda-77aa',
};

let dir: string;
let oncallYaml: string | undefined;
let template: CfnTemplate;
let emulator: SlackEmulator;
let store: TestStore;
const incidents = () => incidentStoreOf(store.incidents);
let recorder: DynamoRecorder;
let connect: FakeConnect;
let confluence: FakeConfluence;
let chatwork: FakeChatwork;
let secrets: SecretsManagerFake;
let lambda: FakeLambda;
let gateway: ApiGateway;
let restoreEnv: () => void;
const handlers = {} as Record<LambdaFunction, Handler>;
const importMs = {} as Record<LambdaFunction, number>;
/** The first invocation of each container: config, secrets, clients, then the work (a cold start, less the import). */
const firstInvokeMs = {} as Record<LambdaFunction, number>;
const tablesUsed = Object.fromEntries(LAMBDA_FUNCTION_NAMES.map((fn) => [fn, new Set<TableId>()])) as Record<
  LambdaFunction,
  Set<TableId>
>;

/** Invokes a function as its container would be: its own name, and WORKER_FUNCTION_NAME where serverless.yml sets one. */
async function invoke(fn: LambdaFunction, event: unknown): Promise<unknown> {
  const restore = setEnv({
    AWS_LAMBDA_FUNCTION_NAME: `hikeshi-test-${fn}`,
    WORKER_FUNCTION_NAME: ['slack', 'ingress', 'logs'].includes(fn) ? WORKER : undefined,
  });
  const before = recorder.calls.length;
  const started = performance.now();
  try {
    return await handlers[fn](event, lambdaContext(`hikeshi-test-${fn}`));
  } finally {
    firstInvokeMs[fn] ??= Math.round(performance.now() - started);
    restore();
    for (const call of recorder.calls.slice(before)) {
      for (const table of call.tables) {
        const id = TABLE_IDS.find((t) => TABLE_DEFINITIONS[t].defaultName === table);
        if (id !== undefined) tablesUsed[fn].add(id);
      }
    }
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hikeshi-bundles-'));
  // Not inside `dir`: the build empties its output directory first.
  oncallYaml = join(tmpdir(), `${dir.split('/').at(-1) ?? 'bundles'}-oncall.yaml`);
  await writeFile(oncallYaml, ONCALL_YAML);
  const [built, packaged] = await Promise.all([
    buildLambdaBundles({ outDir: dir, oncallConfig: oncallYaml }),
    packageServerless({ params: BROKER_PARAMS }),
  ]);
  template = packaged.template;
  expect(built.reports.filter((r) => r.problems.length > 0)).toEqual([]);

  emulator = await startSlackEmulator({ workspace: localSlackWorkspace() });
  store = await startTestStore({ listen: true });
  recorder = await startDynamoRecorder(store.endpoint ?? '');
  [connect, chatwork, lambda, confluence] = await Promise.all([
    startFakeConnect(),
    startFakeChatwork({ apiToken: SECRET.CHATWORK_API_TOKEN }),
    startFakeLambda({ [WORKER]: (event) => invoke('worker', event) }),
    startFakeConfluence({ email: SECRET.wiki_user, apiToken: SECRET.wiki_api_key }),
  ]);
  secrets = await startSecretsManagerFake({
    'hikeshi/test': {
      ...SECRET,
      wiki_url: `${confluence.url}/wiki`,
      slack_token: emulator.botToken,
      slack_signing_secret: emulator.signingSecret,
    },
  });
  restoreEnv = setEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: process.env['HIKESHI_TEST_LOG_LEVEL'] ?? 'silent',
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDABUNDLES',
    AWS_SECRET_ACCESS_KEY: 'lambda-bundles-secret-access-key',
    AWS_SESSION_TOKEN: undefined,
    AWS_ENDPOINT_URL_DYNAMODB: recorder.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    AWS_ENDPOINT_URL_CONNECT: connect.url,
    STORE: 'dynamodb',
    SECRETS_ID: 'hikeshi/test',
    SLACK_API_URL: emulator.apiUrl,
    QUEUE: 'memory',
    DATA_DIR: join(dir, 'data'),
    CONNECT_INSTANCE_REGION: 'ap-northeast-1',
    CONNECT_INSTANCE_ID: 'inst-lambda',
    CONNECT_CONTACT_FLOW_ID: 'flow-lambda',
    CONNECT_SOURCE_PHONE: '+815012345678',
    ESCALATE_AFTER_SECONDS: '0',
    CHATWORK_API_URL: `${chatwork.url}/v2`,
    CONFLUENCE_SPACE: 'OPS',
    // What serverless.yml sets (`oncall.json`, read from the task root); here one function's copy of it (the
    // build writes the same file beside every entry).
    ONCALL_CONFIG: join(dir, 'slack', ONCALL_JSON),
  });
  emulator.workspace.addChannel(seedChannel(ONCALL_CHANNEL, 'oncall'));
  for (const fn of LAMBDA_FUNCTION_NAMES) {
    const loaded = await loadBundle(dir, fn);
    handlers[fn] = loaded.handler;
    importMs[fn] = Math.round(loaded.importMs);
  }
  gateway = await startApiGateway((path) =>
    path === '/slack/events'
      ? { functionName: 'hikeshi-test-slack', handler: (event) => invoke('slack', event) }
      : { functionName: 'hikeshi-test-ingress', handler: (event) => invoke('ingress', event) },
  );
  emulator.useHttpTransport({ url: `${gateway.url}/slack/events`, signingSecret: emulator.signingSecret });
  // esbuild builds every function and `serverless package` runs: about 20 s alone, minutes on a loaded machine.
}, 180_000);

afterAll(async () => {
  restoreEnv?.();
  await gateway?.close();
  await Promise.all([
    lambda?.close(),
    connect?.close(),
    chatwork?.close(),
    confluence?.close(),
    secrets?.close(),
  ]);
  await recorder?.close();
  await store?.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (oncallYaml) await rm(oncallYaml, { force: true });
  process.stdout.write(
    `bundle import (ms): ${JSON.stringify(importMs)}\nfirst invocation (ms): ${JSON.stringify(firstInvokeMs)}\n`,
  );
});

const rendered = (m: StoredMessage | undefined) => JSON.stringify([m?.text, m?.blocks, m?.attachments]);
const threadText = (ts: string) =>
  emulator.workspace
    .thread(CHANNEL, ts)
    .slice(1)
    .map((m) => rendered(m))
    .join('\n');

function post(path: string, body: unknown, headers: Record<string, string>) {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

let incident: { id: string; ts: string };

describe('Lambda bundles, invoked with real event shapes', () => {
  it('ingress: a failed job report opens the incident, posted before the function returns; its notice goes to the worker', async () => {
    const response = await post(
      '/api/monitor/job-report',
      {
        job_key: 'nightly-backup',
        title: 'Nightly backup',
        status: 'error',
        finished_at: new Date().toISOString(),
        message: 'disk full on /var/backups',
      },
      { 'X-TC-Portal-Webhook-Secret': SECRET.job_report_secret },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ success: true, job_key: 'nightly-backup' });

    const message = emulator.workspace.messages(CHANNEL).find((m) => rendered(m).includes('Nightly backup'));
    expect(message).toBeDefined();
    const stored = await incidents().findOpenByFingerprint('job:nightly-backup');
    expect(stored?.slack?.ts).toBe(message?.ts);
    incident = { id: stored?.id ?? '', ts: message?.ts ?? '' };

    // The Chatwork notice is slow work: handed to the worker by an asynchronous invoke, not sent here.
    expect(chatwork.messages).toHaveLength(0);
    expect(lambda.invocations).toEqual([
      {
        functionName: WORKER,
        invocationType: 'Event',
        signed: true,
        payload: {
          name: 'notice.incident-opened',
          payload: expect.objectContaining({ incidentId: incident.id }),
        },
      },
    ]);
    expect(await lambda.deliver()).toEqual([
      { functionName: WORKER, result: { job: 'notice.incident-opened' } },
    ]);
    expect(chatwork.messages).toHaveLength(1);
    expect(chatwork.messages[0]?.body).toContain('Nightly backup');
  });

  it('ingress: GET /health says healthy after a real read of DynamoDB (GetItem on the dedup table)', async () => {
    const calls = recorder.calls.length;
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'healthy' });
    expect(recorder.calls.slice(calls)).toContainEqual({
      operation: 'GetItem',
      tables: [TABLE_DEFINITIONS.dedup.defaultName],
    });
  });

  it('ingress: a wrong job-report secret is refused and writes nothing', async () => {
    const calls = recorder.calls.length;
    const response = await post(
      '/api/monitor/job-report',
      { job_key: 'x' },
      { 'X-TC-Portal-Webhook-Secret': 'no' },
    );
    expect(response.status).toBe(401);
    expect(recorder.calls.slice(calls).filter((c) => !['GetItem', 'Query'].includes(c.operation))).toEqual(
      [],
    );
  });

  it('slack: a signed block_actions (Acknowledge) through API Gateway is acked, and the message shows it', async () => {
    const result = await emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: incident.ts,
      actionId: Actions.acknowledge,
    });
    expect(result).toMatchObject({ transport: 'http', status: 200 });
    expect((await incidents().get(incident.id))?.status).toBe('acknowledged');
    expect(rendered(emulator.workspace.message(CHANNEL, incident.ts))).toContain(`<@${ALICE}>`);
  });

  it('slack: To Bedrock Agent answers "Analysing…" and the worker writes the analysis', async () => {
    const before = lambda.invocations.length;
    const result = await emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: incident.ts,
      actionId: Actions.toBedrockAgent,
    });
    expect(result).toMatchObject({ status: 200 });
    expect(threadText(incident.ts)).toContain('Analysing');
    expect(lambda.invocations.slice(before)).toMatchObject([
      { functionName: WORKER, payload: { name: 'analysis.run' } },
    ]);

    expect(await lambda.deliver()).toEqual([{ functionName: WORKER, result: { job: 'analysis.run' } }]);
    expect(threadText(incident.ts)).toContain('not an LLM');
  });

  it('slack → worker: Reporting publishes the Confluence page from the worker, which loads confluence.js then', async () => {
    const before = lambda.invocations.length;
    await emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: incident.ts,
      actionId: Actions.reporting,
    });
    const jobs = lambda.invocations.slice(before).map((i) => (i.payload as { name?: string }).name);
    expect(jobs).toHaveLength(1);
    expect(confluence.pages.size).toBe(0);
    await lambda.deliver();
    const pages = [...confluence.pages.values()];
    expect(pages).toHaveLength(1);
    expect(pages[0]?.spaceKey).toBe('OPS');
    expect(threadText(incident.ts)).toContain(`/spaces/OPS/pages/${pages[0]?.id}`);
  });

  it('slack: an app_mention redelivered by Slack (http_timeout) is acknowledged without redoing the work', async () => {
    const text = `<@${LOCAL_APP.botUserId}> 何が変わりましたか？`;
    const posted = emulator.workspace.postMessage({
      channel: CHANNEL,
      user: ALICE,
      text,
      threadTs: incident.ts,
    });
    const payload = eventCallback(
      emulator.workspace,
      {
        type: 'app_mention',
        user: ALICE,
        text,
        ts: posted.ts,
        thread_ts: incident.ts,
        channel: CHANNEL,
        event_ts: posted.ts,
      },
      Math.floor(Date.now() / 1000),
    );
    const before = lambda.invocations.length;
    expect(await emulator.actions.send('events_api', payload)).toMatchObject({ status: 200 });
    expect(
      await emulator.actions.send('events_api', payload, { retryAttempt: 1, retryReason: 'http_timeout' }),
    ).toMatchObject({ status: 200 });
    expect(lambda.invocations.slice(before)).toMatchObject([{ payload: { name: 'analysis.run' } }]);
    await lambda.deliver();
  });

  it('slack: a base64-encoded body with non-ASCII text keeps its signature', async () => {
    const body = JSON.stringify(
      eventCallback(
        emulator.workspace,
        { type: 'app_home_opened', user: ALICE, channel: 'D0ALICE01', tab: 'home', event_ts: '1.2' },
        Math.floor(Date.now() / 1000),
      ),
    ).replace('"tab":"home"', '"tab":"home","note":"火消し"');
    const timestamp = Math.floor(Date.now() / 1000);
    const event = apiGatewayEvent({
      method: 'POST',
      path: '/slack/events',
      headers: {
        'content-type': 'application/octet-stream',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(emulator.signingSecret, timestamp, body),
      },
      body: Buffer.from(body, 'utf8'),
    });
    expect(event['isBase64Encoded']).toBe(true);
    expect(await invoke('slack', event)).toMatchObject({ statusCode: 200 });
  });

  it('ingress: a signed GitHub webhook is queued once (QUEUE=memory)', async () => {
    const body = JSON.stringify(githubExample('issues', 'labeled'));
    const headers = {
      'x-github-event': 'issues',
      'x-github-delivery': 'b1c2d3e4-lambda',
      'x-hub-signature-256': await sign(SECRET.github_webhook_secret, body),
    };
    expect((await post('/webhook/github', body, headers)).status).toBe(202);
    const again = await post('/webhook/github', body, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const forged = await post('/webhook/github', body, {
      ...headers,
      'x-github-delivery': 'forged',
      'x-hub-signature-256': 'sha256=00',
    });
    expect(forged.status).toBe(401);
  });

  it('slack → tick → connectFlow: /oncall add, an EventBridge tick calls, the responder accepts', async () => {
    await emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/oncall',
      text: `add <@${ALICE}|alice> ${ALICE_PHONE}`,
    });
    const alert = await post(
      '/api/alerts',
      { title: 'Payments API down', severity: 'critical', dedup_key: 'payments-down' },
      { authorization: `Bearer ${SECRET.alerts_api_token}` },
    );
    expect(alert.status).toBe(202);
    const { incident_id: id } = (await alert.json()) as { incident_id: string };
    await lambda.deliver();

    const scheduled = {
      version: '0',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: new Date().toISOString(),
      region: 'ap-northeast-1',
      resources: ['arn:aws:events:ap-northeast-1:123456789012:rule/hikeshi-test-tick'],
      detail: {},
    };
    expect(await invoke('tick', scheduled)).toEqual({ failed: [] });
    expect(connect.dials.map((d) => d.destinationPhone)).toEqual([ALICE_PHONE]);
    const dial = connect.dials[0]!;
    expect(dial.attributes['incidentId']).toBe(id);

    const describeResult = await invoke(
      'connectFlow',
      contactFlowEvent({ contactId: dial.contactId, attributes: dial.attributes, action: 'describe' }),
    );
    expect(JSON.stringify(describeResult)).toContain('Payments API down');
    await invoke(
      'connectFlow',
      contactFlowEvent({
        contactId: dial.contactId,
        attributes: dial.attributes,
        action: 'response',
        response: '1',
      }),
    );
    expect((await incidents().get(id))?.status).toBe('acknowledged');
    await expect(invoke('connectFlow', { Details: {} })).rejects.toThrow(/Details\.ContactData/);
  });

  it('slack → ingress → tick: an override in Slack shows in GET /api/oncall, and the tick announces the handoff', async () => {
    const overridden = await emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/oncall',
      text: `override <@${BOB}|bob> now +1h`,
    });
    expect(overridden).toMatchObject({ transport: 'http', status: 200 });
    const api = await fetch(`${gateway.url}/api/oncall`, {
      headers: { authorization: `Bearer ${SECRET.alerts_api_token}` },
    });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { schedules: { id: string; on_call: { user: string }[] }[] };
    expect(body.schedules.map((s) => [s.id, s.on_call.map((c) => c.user)])).toEqual([
      ['payments-primary', [BOB]],
    ]);

    const scheduled = {
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: new Date().toISOString(),
    };
    expect(await invoke('tick', scheduled)).toEqual({ failed: [] });
    expect(await invoke('tick', scheduled)).toEqual({ failed: [] });
    expect(emulator.workspace.messages(ONCALL_CHANNEL).map((m) => m.text)).toEqual([
      expect.stringContaining(`<@${BOB}> is now on call for *payments-primary*`),
    ]);
    expect(emulator.workspace.usergroups.get('S0ONCALL1')?.users).toEqual([BOB]);
  });

  it('tasks: an Amazon MQ batch posts the task to Slack', async () => {
    const task = {
      id: 'gitlab:group/project#7:uuid-7',
      source: 'gitlab',
      kind: 'issue',
      repo: 'group/project',
      number: 7,
      title: 'Lambda task 7',
      body: 'Please have a look',
      url: 'https://gitlab.example.com/group/project/-/issues/7',
      labels: ['coding agent'],
      author: 'root',
      received_at: new Date().toISOString(),
    };
    const event = {
      eventSource: 'aws:rmq',
      eventSourceArn: 'arn:aws:mq:ap-northeast-1:123456789012:broker:hikeshi:b-1',
      rmqMessagesByQueue: {
        'hikeshi.tasks::/': [
          {
            basicProperties: { messageId: task.id },
            redelivered: false,
            data: Buffer.from(JSON.stringify(task)).toString('base64'),
          },
        ],
      },
    };
    expect(await invoke('tasks', event)).toEqual({ processed: 1, skipped: 0 });
    expect(emulator.workspace.messages(CHANNEL).some((m) => rendered(m).includes('Lambda task 7'))).toBe(
      true,
    );
  });

  it('worker: refuses an event that is not a deferred job, and a job it has no handler for', async () => {
    await expect(invoke('worker', { name: 'analysis.run' })).rejects.toThrow(/Not a deferred job: payload/);
    await expect(invoke('worker', { name: 'nope', payload: {} })).rejects.toThrow(
      /no handler for deferred job nope/,
    );
  });

  it('logs: a CloudWatch Logs delivery (gzip + base64) opens one incident per bug, posted before it returns', async () => {
    const [a = '', b = '', c = ''] = requestIds;
    const delivery = awslogsEvent(
      dataMessage({
        messages: [
          lines.start(a),
          lines.nodeInvokeError(a, isoAt(2)),
          lines.end(a),
          lines.nodeInvokeError(b, isoAt(700)),
          lines.timedOut(c, isoAt(3000)),
        ],
      }),
    );
    const before = lambda.invocations.length;
    expect(await invoke('logs', delivery)).toEqual({
      messageType: 'DATA_MESSAGE',
      logGroup: ORDERS_GROUP,
      events: 5,
      errors: 3,
      incidents: [
        { id: expect.stringMatching(/^INC-\d+$/) as unknown, action: 'opened', count: 2 },
        { id: expect.stringMatching(/^INC-\d+$/) as unknown, action: 'opened', count: 1 },
      ],
    });
    const message = emulator.workspace
      .messages(CHANNEL)
      .find((m) => rendered(m).includes("TypeError: Cannot read properties of undefined (reading 'id')"));
    expect(rendered(message)).toContain('at Runtime.handler (file:///var/task/index.mjs:12:31)');
    expect(rendered(message)).toContain(
      'https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-api/log-events/2026$252F01$252F14$252F$255B$2524LATEST$255D0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
    );
    // The opened incidents' notices go to the worker, as from `ingress`.
    expect(lambda.invocations.slice(before).map((i) => (i.payload as { name?: string }).name)).toEqual([
      'notice.incident-opened',
      'notice.incident-opened',
    ]);
    await lambda.deliver();

    // The same bug again, from another request: folded into its incident.
    const again = (await invoke(
      'logs',
      awslogsEvent(dataMessage({ messages: [lines.nodeInvokeError(crypto.randomUUID(), isoAt(60_000))] })),
    )) as { incidents: { id: string; action: string }[] };
    expect(again.incidents).toMatchObject([{ action: 'folded' }]);
  });

  it('logs: a control message and its own log group do nothing; a malformed delivery fails, writing nothing', async () => {
    const calls = recorder.calls.length;
    expect(await invoke('logs', awslogsEvent(CONTROL_MESSAGE))).toMatchObject({
      messageType: 'CONTROL_MESSAGE',
      incidents: [],
      ignored: 'control message',
    });
    const own = awslogsEvent(
      dataMessage({ logGroup: '/aws/lambda/hikeshi-test-logs', messages: [lines.pythonUncaught()] }),
    );
    expect(await invoke('logs', own)).toMatchObject({ incidents: [], ignored: 'its own log group' });
    await expect(
      invoke('logs', { awslogs: { data: Buffer.from('not gzip').toString('base64') } }),
    ).rejects.toThrow(/awslogs\.data: is not gzip data/);
    await expect(invoke('logs', { Records: [] })).rejects.toThrow(/awslogs: is required/);
    expect(recorder.calls.slice(calls)).toEqual([]);
  });

  it('IAM: every table a function touched is granted to its role in serverless.yml', () => {
    for (const fn of LAMBDA_FUNCTION_NAMES) {
      expect(tablesUsed[fn].size, `${fn} touched no table`).toBeGreaterThan(0);
      expect(
        [...tablesUsed[fn]].filter((t) => !grantedTables(template, roleOf(fn)).includes(t)),
        fn,
      ).toEqual([]);
    }
  });
});
