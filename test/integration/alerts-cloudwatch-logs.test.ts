/**
 * `POST /api/alerts/cloudwatch-logs` over HTTP against the whole app (real Bolt, emulator, dynalite), with
 * bodies built as CloudWatch builds them: a realistic Lambda log batch, gzipped by node:zlib, base64 in
 * `{"awslogs": {"data"}}`. Error lines become incidents in the alert channel with the seed's buttons, the
 * stack trace and the console link; repeats of one bug fold; a control message and every refusal leave
 * nothing behind.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECOMPRESSED_MAX_BYTES } from '../../src/domain/sources/cloudwatch-logs.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import {
  ALERT_CHANNEL,
  BUTTON_LABELS,
  alertMessages,
  buttonLabels,
  post,
  postedMessage,
  rendered,
} from '../helpers/alerts.js';
import {
  CONTROL_MESSAGE,
  ORDERS_GROUP,
  REGION,
  awslogsEvent,
  dataMessage,
  isoAt,
  lines,
  requestIds,
} from '../helpers/cloudwatch-logs.js';

const TOKEN = 'cloudwatch-logs-token-5c1e';
const [A = '', B = '', C = ''] = requestIds;
const STREAM_LINK =
  'https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-api/log-events/2026$252F01$252F14$252F$255B$2524LATEST$255D0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f';

interface Result {
  title: string;
  count: number;
  action: string;
  incident_id: string;
  status: string;
  deduplicated: boolean;
}

describe('POST /api/alerts/cloudwatch-logs', () => {
  let h: TestHikeshi;
  let url: string;
  beforeAll(async () => {
    h = await startHikeshi({ env: { ALERTS_API_TOKEN: TOKEN, AWS_REGION: REGION } });
    url = `${h.baseUrl}/api/alerts/cloudwatch-logs`;
  });
  afterAll(async () => {
    await h.close();
  });

  let typeError: Result;

  it('turns the error lines of a Lambda batch into incidents with the buttons, the stack trace and the console link', async () => {
    const body = awslogsEvent(
      dataMessage({
        messages: [
          lines.start(A),
          lines.nodeInfo(A, isoAt(1)),
          lines.nodeInvokeError(A, isoAt(2)),
          lines.end(A),
          lines.report(A),
          lines.start(B),
          lines.nodeInvokeError(B, isoAt(900)),
          lines.timedOut(C, isoAt(3000)),
        ],
      }),
    );
    const res = await post(url, body, { token: TOKEN });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      message_type: 'DATA_MESSAGE',
      log_group: ORDERS_GROUP,
      events: 8,
      errors: 3,
    });
    const results = res.body['results'] as Result[];
    expect(results.map((r) => [r.title, r.count, r.action])).toEqual([
      ["TypeError: Cannot read properties of undefined (reading 'id')", 2, 'opened'],
      ['Task timed out after 3.00 seconds', 1, 'opened'],
    ]);
    typeError = results[0]!;

    const message = await postedMessage(h, typeError.incident_id);
    expect(message.channel).toBe(ALERT_CHANNEL);
    expect(buttonLabels(message)).toEqual(BUTTON_LABELS);
    // The message, details and links are in the attachment (the severity colour bar).
    const text = JSON.stringify([message.text, message.blocks, message.attachments]);
    expect(text).toContain("TypeError: Cannot read properties of undefined (reading 'id')");
    expect(text).toContain('at Runtime.handler (file:///var/task/index.mjs:12:31)');
    expect(text).toContain(`<${STREAM_LINK}|CloudWatch log stream>`);
    expect(text).toContain(ORDERS_GROUP);
    const incident = await h.app.services.incidents.get(typeError.incident_id);
    expect(incident).toMatchObject({ source: ORDERS_GROUP, count: 2, severity: 'error' });
    expect(incident?.details).toMatchObject({ 'Request id': B, 'Error type': 'TypeError' });
  });

  it('folds the same bug from a later request (another request id, time and container) into that incident', async () => {
    const body = awslogsEvent(
      dataMessage({
        logStream: '2026/01/14/[$LATEST]9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
        messages: [lines.nodeInvokeError(crypto.randomUUID(), isoAt(60_000))],
      }),
    );
    const res = await post(url, body, { token: TOKEN });
    expect(res.status).toBe(202);
    const [result] = res.body['results'] as Result[];
    expect(result).toMatchObject({
      incident_id: typeError.incident_id,
      action: 'folded',
      deduplicated: true,
    });
    expect((await h.app.services.incidents.get(typeError.incident_id))?.count).toBe(3);
  });

  it('keeps another bug, and the same bug in another log group, apart', async () => {
    await h.app.services.publisher.flush(); // earlier tests' posts (the timeout incident) land first
    const before = alertMessages(h).length;
    const other = await post(
      url,
      awslogsEvent(dataMessage({ messages: [lines.nodeInvokeError(A, isoAt(0), 'name')] })),
      { token: TOKEN },
    );
    const elsewhere = await post(
      url,
      awslogsEvent(
        dataMessage({ logGroup: '/aws/lambda/billing-api', messages: [lines.nodeInvokeError(A, isoAt(0))] }),
      ),
      { token: TOKEN },
    );
    const ids = [other, elsewhere].map((r) => (r.body['results'] as Result[])[0]?.incident_id);
    expect(ids.every((id) => id !== undefined && id !== typeError.incident_id)).toBe(true);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) await postedMessage(h, id!);
    expect(alertMessages(h)).toHaveLength(before + 2);
  });

  it('makes one incident counting 1,000 of one batch of 1,000 identical-shape errors', async () => {
    await h.app.services.publisher.flush(); // earlier tests' posts (the timeout incident) land first
    const before = alertMessages(h).length;
    const messages = Array.from({ length: 1000 }, (_, i) =>
      lines.pythonLogging(crypto.randomUUID(), isoAt(i * 13), 10_000 + i),
    );
    const res = await post(url, awslogsEvent(dataMessage({ logGroup: '/aws/lambda/payments', messages })), {
      token: TOKEN,
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ events: 1000, errors: 1000 });
    const results = res.body['results'] as Result[];
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ action: 'opened', count: 1000 });
    const message = await postedMessage(h, results[0]!.incident_id);
    expect((await h.app.services.incidents.get(results[0]!.incident_id))?.count).toBe(1000);
    await expect
      .poll(() => rendered(h.emulator.workspace.message(message.channel, message.ts)), { timeout: 5000 })
      .toContain('seen *1000* times');
    expect(alertMessages(h)).toHaveLength(before + 1);
  });

  it('answers a CONTROL_MESSAGE with 200 and posts nothing', async () => {
    const open = (await h.store.incidents.listOpen()).length;
    const posts = h.emulator.workspace.postCalls().length;
    const res = await post(url, awslogsEvent(CONTROL_MESSAGE), { token: TOKEN });
    expect(res).toEqual({
      status: 200,
      body: {
        message_type: 'CONTROL_MESSAGE',
        log_group: '',
        log_stream: '',
        events: 1,
        errors: 0,
        results: [],
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await h.store.incidents.listOpen()).toHaveLength(open);
    expect(h.emulator.workspace.postCalls()).toHaveLength(posts);
  });

  it('answers a batch without errors with 200 and stores nothing', async () => {
    const open = (await h.store.incidents.listOpen()).length;
    const res = await post(
      url,
      awslogsEvent(dataMessage({ messages: [lines.start(A), lines.nodeInfo(A, isoAt(1))] })),
      {
        token: TOKEN,
      },
    );
    expect(res).toMatchObject({ status: 200, body: { events: 2, errors: 0, results: [] } });
    expect(await h.store.incidents.listOpen()).toHaveLength(open);
  });
});

describe('POST /api/alerts/cloudwatch-logs refuses bad deliveries, storing and posting nothing', () => {
  let h: TestHikeshi;
  let url: string;
  beforeAll(async () => {
    h = await startHikeshi({ env: { ALERTS_API_TOKEN: TOKEN, AWS_REGION: REGION } });
    url = `${h.baseUrl}/api/alerts/cloudwatch-logs`;
  });
  afterAll(async () => {
    await h.close();
  });

  const valid = () => awslogsEvent(dataMessage({ messages: [lines.pythonUncaught()] }));
  const data = (bytes: Buffer | string) => ({ awslogs: { data: Buffer.from(bytes).toString('base64') } });
  const cases: [string, () => ReturnType<typeof post>, number, Record<string, unknown>][] = [
    ['no token', () => post(url, valid()), 401, { error: 'missing bearer token' }],
    [
      'a wrong token',
      () => post(url, valid(), { token: `${TOKEN}x` }),
      401,
      { error: 'invalid bearer token' },
    ],
    [
      'a wrong content type',
      () => post(url, JSON.stringify(valid()), { token: TOKEN, contentType: 'text/plain' }),
      415,
      { code: 'UNSUPPORTED_MEDIA_TYPE' },
    ],
    [
      'no awslogs',
      () => post(url, { data: 'x' }, { token: TOKEN }),
      400,
      { field: 'awslogs', error: 'awslogs: is required' },
    ],
    [
      'data that is not base64',
      () => post(url, { awslogs: { data: '%%% not base64 %%%' } }, { token: TOKEN }),
      400,
      { field: 'awslogs.data', error: 'awslogs.data: is not valid base64' },
    ],
    [
      'base64 that is not gzip',
      () => post(url, data('{"messageType":"DATA_MESSAGE"}'), { token: TOKEN }),
      400,
      { field: 'awslogs.data', error: 'awslogs.data: is not gzip data (incorrect header check)' },
    ],
    [
      'gzip that is not JSON',
      () => post(url, data(gzipSync('<html>oops</html>')), { token: TOKEN }),
      400,
      {
        field: 'awslogs.data',
        error: expect.stringMatching(/^awslogs\.data: does not hold JSON \(/) as unknown,
      },
    ],
    [
      'JSON that is not a delivery',
      () =>
        post(url, data(gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: 'g' }))), {
          token: TOKEN,
        }),
      400,
      { field: 'awslogs.data.owner' },
    ],
    [
      'a gzip bomb',
      () => post(url, data(gzipSync(Buffer.alloc(DECOMPRESSED_MAX_BYTES * 2, '{'))), { token: TOKEN }),
      413,
      {
        field: 'awslogs.data',
        code: 'PAYLOAD_TOO_LARGE',
        error: `awslogs.data: decompresses to more than ${DECOMPRESSED_MAX_BYTES} bytes`,
      },
    ],
  ];

  it.each(cases)('%s', async (_name, send, status, body) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject(body);
  });

  it('stored nothing and posted nothing for any of them', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await h.store.incidents.listOpen()).toEqual([]);
    expect(h.emulator.workspace.postCalls()).toEqual([]);
  });
});
