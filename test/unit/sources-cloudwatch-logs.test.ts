import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/domain/alert.js';
import {
  DECOMPRESSED_MAX_BYTES,
  decodeLogsData,
  parseCloudWatchLogsEvent,
  signalsFromLogsData,
  type LogsData,
} from '../../src/domain/sources/cloudwatch-logs.js';
import {
  AWS_DOC_EXAMPLE_DATA,
  CONTROL_MESSAGE,
  ORDERS_GROUP,
  ORDERS_STREAM,
  REGION,
  awslogsEvent,
  dataMessage,
  encodeLogsData,
  isoAt,
  lines,
  requestIds,
} from '../helpers/cloudwatch-logs.js';

const [A = '', B = '', C = ''] = requestIds;
const STREAM_LINK =
  'https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-api/log-events/2026$252F01$252F14$252F$255B$2524LATEST$255D0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f';

function decoded(json: unknown): LogsData {
  const result = parseCloudWatchLogsEvent(awslogsEvent(json));
  if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
  return result.data;
}

/** The fingerprint a single log line gets in ORDERS_GROUP (undefined: not an error). */
function fingerprint(message: string, logGroup = ORDERS_GROUP): string | undefined {
  const [signal] = signalsFromLogsData(
    decoded(dataMessage({ logGroup, messages: [message] })),
    REGION,
  ).signals;
  return signal === undefined ? undefined : fingerprintOf(signal);
}

describe('parseCloudWatchLogsEvent: the wire format', () => {
  it('decodes the example event of the Lambda documentation', () => {
    const result = parseCloudWatchLogsEvent({ awslogs: { data: AWS_DOC_EXAMPLE_DATA } });
    expect(result).toMatchObject({
      ok: true,
      data: {
        messageType: 'DATA_MESSAGE',
        owner: '123456789123',
        logGroup: 'testLogGroup',
        logStream: 'testLogStream',
        subscriptionFilters: ['testFilter'],
        logEvents: [
          { id: 'eventId1', timestamp: 1440442987000, message: '[ERROR] First test message' },
          { id: 'eventId2', timestamp: 1440442987001, message: '[ERROR] Second test message' },
        ],
      },
    });
    if (!result.ok) return;
    const { signals } = signalsFromLogsData(result.data, 'us-east-1');
    expect(signals.map((s) => [s.source, s.title])).toEqual([
      ['testLogGroup', 'First test message'],
      ['testLogGroup', 'Second test message'],
    ]);
  });

  it("accepts CloudWatch's CONTROL_MESSAGE (empty group and stream) and makes nothing of it", () => {
    const data = decoded(CONTROL_MESSAGE);
    expect(data.messageType).toBe('CONTROL_MESSAGE');
    expect(signalsFromLogsData(data, REGION)).toEqual({ events: 1, errors: 0, signals: [] });
  });

  it('tolerates base64 wrapped at 76 columns, as the base64 tool writes it', () => {
    const data = encodeLogsData(dataMessage({ messages: [lines.pythonUncaught()] }));
    const wrapped = data.replace(/(.{76})/g, '$1\n');
    expect(decodeLogsData(wrapped)).toMatchObject({ ok: true, data: { logGroup: ORDERS_GROUP } });
  });

  it('refuses bad input with the field and the reason (400), and a gzip bomb with 413', () => {
    const gz = (text: string | Buffer) => gzipSync(text).toString('base64');
    const cases: [unknown, Record<string, unknown>][] = [
      [{}, { field: 'awslogs', reason: 'is required', status: 400 }],
      [{ awslogs: { data: 42 } }, { field: 'awslogs.data', status: 400 }],
      [{ awslogs: { data: '' } }, { field: 'awslogs.data', reason: 'must not be empty' }],
      [{ awslogs: { data: 'not base64!' } }, { field: 'awslogs.data', reason: 'is not valid base64' }],
      [{ awslogs: { data: 'abc' } }, { field: 'awslogs.data', reason: 'is not valid base64' }],
      [
        { awslogs: { data: Buffer.from('{"plain":"json"}').toString('base64') } },
        { field: 'awslogs.data', reason: 'is not gzip data (incorrect header check)', status: 400 },
      ],
      [
        { awslogs: { data: gzipSync('{"messageType":"DATA_MESSAGE"}').subarray(0, 12).toString('base64') } },
        { field: 'awslogs.data', reason: 'is not gzip data (unexpected end of file)' },
      ],
      [
        { awslogs: { data: gz('not json') } },
        { field: 'awslogs.data', reason: expect.stringMatching(/^does not hold JSON \(/) },
      ],
      [{ awslogs: { data: gz('[1,2]') } }, { field: 'awslogs.data', status: 400 }],
      [
        { awslogs: { data: encodeLogsData({ ...dataMessage({ messages: [] }), logEvents: undefined }) } },
        { field: 'awslogs.data.logEvents', reason: 'is required' },
      ],
      [
        { awslogs: { data: encodeLogsData({ ...dataMessage({ messages: ['x'] }), messageType: 'OTHER' }) } },
        { field: 'awslogs.data.messageType' },
      ],
      [
        { awslogs: { data: encodeLogsData(dataMessage({ logGroup: '', messages: ['x'] })) } },
        { field: 'awslogs.data.logGroup', reason: 'must not be empty' },
      ],
      [
        {
          awslogs: {
            data: encodeLogsData({
              ...dataMessage({ messages: [] }),
              logEvents: [{ id: '1', timestamp: 'x', message: 'm' }],
            }),
          },
        },
        { field: 'awslogs.data.logEvents.0.timestamp' },
      ],
      // 9 MiB of spaces gzip to about 9 KB: the bomb stops at the bound instead of filling memory.
      [
        { awslogs: { data: gz(Buffer.alloc(DECOMPRESSED_MAX_BYTES + 1024 * 1024, ' ')) } },
        {
          field: 'awslogs.data',
          reason: `decompresses to more than ${DECOMPRESSED_MAX_BYTES} bytes`,
          status: 413,
        },
      ],
    ];
    for (const [input, expected] of cases) {
      expect(parseCloudWatchLogsEvent(input), JSON.stringify(input).slice(0, 80)).toMatchObject({
        ok: false,
        status: 400,
        ...expected,
      });
    }
    expect(
      parseCloudWatchLogsEvent(awslogsEvent(dataMessage({ messages: ['x'.repeat(2000)] })), 1000),
    ).toMatchObject({
      ok: false,
      status: 413,
    });
  });
});

describe('signalsFromLogsData: one alert per error, repeats folded', () => {
  it('a Node.js batch: the errors become alerts, the rest is ignored, one bug is one signal with its count', () => {
    const data = decoded(
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
    const result = signalsFromLogsData(data, REGION);
    expect(result.events).toBe(8);
    expect(result.errors).toBe(3);
    expect(result.signals).toHaveLength(2);
    const [typeError, timeout] = result.signals;
    expect(typeError).toEqual({
      action: 'trigger',
      title: "TypeError: Cannot read properties of undefined (reading 'id')",
      message: [
        "TypeError: Cannot read properties of undefined (reading 'id')",
        '    at Runtime.handler (file:///var/task/index.mjs:12:31)',
        '    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)',
      ].join('\n'),
      source: ORDERS_GROUP,
      details: {
        'Log stream': ORDERS_STREAM,
        'Request id': B, // the latest event's
        'Error type': 'TypeError',
        Account: '123456789012',
      },
      links: [{ title: 'CloudWatch log stream', url: STREAM_LINK }],
      occurredAt: '2026-01-14T09:12:03.487Z',
      count: 2,
    });
    expect(timeout).toMatchObject({
      title: 'Task timed out after 3.00 seconds',
      details: { 'Error type': 'Sandbox.Timedout', 'Error kind': 'TIMEOUT', 'Request id': C },
    });
    expect(timeout?.count).toBeUndefined();
  });

  it('names the error kind of AWS and network errors (src/domain/classify.ts)', () => {
    const data = decoded(
      dataMessage({
        messages: [
          lines.nodeConsoleError(A, isoAt(0)),
          `[ERROR] ThrottlingException: An error occurred (ThrottlingException) when calling the PutItem operation: Rate exceeded\nTraceback (most recent call last):\n  File "/var/task/app.py", line 9, in lambda_handler\n`,
        ],
      }),
    );
    expect(signalsFromLogsData(data, REGION).signals.map((s) => s.details?.['Error kind'])).toEqual([
      'SERVICE_UNAVAILABLE',
      'THROTTLING',
    ]);
  });

  it('has no console link when the region is not a region name', () => {
    const data = decoded(dataMessage({ messages: [lines.pythonUncaught()] }));
    expect(signalsFromLogsData(data, 'local').signals[0]?.links).toEqual([]);
  });

  it('folds 1,000 identical-shape errors (other request ids, times, numbers) into one signal counting 1,000', () => {
    const messages = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0
        ? lines.nodeInvokeError(crypto.randomUUID(), isoAt(i))
        : lines.nodeInvokeError(crypto.randomUUID(), isoAt(i * 7)),
    );
    const result = signalsFromLogsData(decoded(dataMessage({ messages })), REGION);
    expect(result.errors).toBe(1000);
    expect(result.signals).toHaveLength(1);
    expect(result.signals[0]?.count).toBe(1000);
  });
});

describe('the fingerprint: log group + first line, volatile parts normalised away', () => {
  it('two requests of one bug fold together, in every runtime', () => {
    const pairs: [string, string][] = [
      [lines.nodeInvokeError(A, isoAt(0)), lines.nodeInvokeError(B, isoAt(86_400_000))],
      [lines.nodeConsoleError(A, isoAt(0)), lines.nodeConsoleError(B, isoAt(5))],
      [lines.pythonLogging(A, isoAt(0), 4242), lines.pythonLogging(B, isoAt(1), 9001)],
      [lines.pythonUncaught(), lines.pythonUncaught()],
      [lines.javaUncaught(), lines.javaUncaught()],
      [lines.timedOut(A, isoAt(0), '3.00'), lines.timedOut(B, isoAt(9), '6.00')],
      [lines.runtimeExited(A), lines.runtimeExited(B)],
      [
        `${isoAt(0)}\t${A}\tERROR\tOrder ${crypto.randomUUID()} not found in table orders-prod (request ${A})\n`,
        `${isoAt(1)}\t${B}\tERROR\tOrder ${crypto.randomUUID()} not found in table orders-prod (request ${B})\n`,
      ],
      [
        `${isoAt(0)}\t${A}\tERROR\tSegfault at 0x7ffd5fbff8a0 in worker 3, trace 1-6789abcd-0123456789abcdef01234567\n`,
        `${isoAt(0)}\t${B}\tERROR\tSegfault at 0x55d0c4a1 in worker 12, trace 1-6789abce-fedcba9876543210fedcba98\n`,
      ],
    ];
    for (const [first, second] of pairs) {
      const a = fingerprint(first);
      expect(a, first).toBeDefined();
      expect(fingerprint(second), second).toBe(a);
    }
  });

  it('two different bugs stay apart, and so does one bug in two log groups', () => {
    const pairs: [string, string][] = [
      [lines.nodeInvokeError(A, isoAt(0), 'id'), lines.nodeInvokeError(A, isoAt(0), 'name')],
      [lines.pythonUncaught('order_id'), lines.pythonUncaught('user_id')],
      [lines.timedOut(A, isoAt(0)), lines.runtimeExited(A)],
      [lines.runtimeExited(A, 'signal: killed'), lines.runtimeExited(A, 'exit status 1')],
      [lines.nodeInvokeError(A, isoAt(0)), lines.nodeConsoleError(A, isoAt(0))],
    ];
    for (const [first, second] of pairs) expect(fingerprint(first)).not.toBe(fingerprint(second));
    expect(fingerprint(lines.javaUncaught(), '/aws/lambda/orders-api')).not.toBe(
      fingerprint(lines.javaUncaught(), '/aws/lambda/billing-api'),
    );
  });
});
