/**
 * CloudWatch Logs subscription deliveries built the way CloudWatch builds them: the JSON batch gzipped with
 * node:zlib and base64-encoded into `{"awslogs": {"data"}}`. The log lines are what the Lambda runtimes print
 * (Node.js 22, Python 3.12, Java 21, and the platform's own lines).
 */
import { gzipSync } from 'node:zlib';

export const REGION = 'ap-northeast-1';
export const ACCOUNT = '123456789012';
export const ORDERS_GROUP = '/aws/lambda/orders-api';
export const ORDERS_STREAM = '2026/01/14/[$LATEST]0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f';

/** The example event of the Lambda documentation ("Using Lambda with CloudWatch Logs"), byte for byte. */
export const AWS_DOC_EXAMPLE_DATA =
  'H4sIAAAAAAAAAHWPwQqCQBCGX0Xm7EFtK+smZBEUgXoLCdMhFtKV3akI8d0bLYmibvPPN3wz00CJxmQnTO41whwWQRIctmEcB6sQbFC3CjW3XW8kxpOpP+OC22d1Wml1qZkQGtoMsScxaczKN3plG8zlaHIta5KqWsozoTYw3/djzwhpLwivWFGHGpAFe7DL68JlBUk+l7KSN7tCOEJ4M3/qOI49vMHj+zCKdlFqLaU2ZHV2a4Ct/an0/ivdX8oYc1UVX860fQDQiMdxRQEAAA==';

export const requestIds = [
  '6d8f0b4e-2c1a-4f6e-9b7d-3a2e1c0f9d84',
  'b3e1f6a2-7c4d-4e8b-a1f0-5d9c2b7e8a13',
  '0c9d8e7f-6a5b-4c3d-8e1f-2a3b4c5d6e7f',
];

/** Real runtime output, one function per shape; `requestId` and `at` vary between calls. */
export const lines = {
  nodeInvokeError: (requestId: string, at: string, reading = 'id') =>
    `${at}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify({
      errorType: 'TypeError',
      errorMessage: `Cannot read properties of undefined (reading '${reading}')`,
      stack: [
        `TypeError: Cannot read properties of undefined (reading '${reading}')`,
        '    at Runtime.handler (file:///var/task/index.mjs:12:31)',
        '    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)',
      ],
    })}\n`,
  nodeConsoleError: (requestId: string, at: string) =>
    `${at}\t${requestId}\tERROR\tError: connect ECONNREFUSED 10.0.12.7:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {\n  errno: -111,\n  code: 'ECONNREFUSED'\n}\n`,
  nodeInfo: (requestId: string, at: string) => `${at}\t${requestId}\tINFO\tprocessed order 4242\n`,
  nodeWarnMentioningError: (requestId: string, at: string) =>
    `${at}\t${requestId}\tWARN\tretrying after error: ThrottlingException\n`,
  pythonUncaught: (key = 'order_id') =>
    `[ERROR] KeyError: '${key}'\nTraceback (most recent call last):\n  File "/var/task/app.py", line 14, in lambda_handler\n    order = event['${key}']\n`,
  pythonLogging: (requestId: string, at: string, order: number) =>
    `[ERROR]\t${at}\t${requestId}\tPayment ${order} failed: card declined\n`,
  pythonInfo: (requestId: string, at: string) => `[INFO]\t${at}\t${requestId}\tcharging order 4242\n`,
  pythonUnhandledWarning: () =>
    'LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, runtime updates can be triggered by a function change, or can be applied automatically. To determine if the runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with a change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r',
  javaUncaught: () =>
    'Cannot invoke "String.length()" because "name" is null: java.lang.NullPointerException\njava.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null\n\tat com.example.OrderHandler.handleRequest(OrderHandler.java:27)\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)\n\tat java.base/java.lang.reflect.Method.invoke(Unknown Source)\n',
  timedOut: (requestId: string, at: string, seconds = '3.00') =>
    `${at} ${requestId} Task timed out after ${seconds} seconds\n\n`,
  runtimeExited: (requestId: string, why = 'signal: killed') =>
    `RequestId: ${requestId} Error: Runtime exited with error: ${why}\nRuntime.ExitError\n`,
  start: (requestId: string) => `START RequestId: ${requestId} Version: $LATEST\n`,
  end: (requestId: string) => `END RequestId: ${requestId}\n`,
  report: (requestId: string) =>
    `REPORT RequestId: ${requestId}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 81 MB\tStatus: timeout\n`,
};

export interface LogsBatchInput {
  logGroup?: string;
  logStream?: string;
  messages: string[];
  /** Milliseconds since the epoch of the first event; one millisecond apart after it. */
  startMs?: number;
}

/** The decompressed JSON of a DATA_MESSAGE, ids and timestamps as CloudWatch writes them. */
export function dataMessage(input: LogsBatchInput): Record<string, unknown> {
  const start = input.startMs ?? Date.UTC(2026, 0, 14, 9, 12, 3, 481);
  return {
    messageType: 'DATA_MESSAGE',
    owner: ACCOUNT,
    logGroup: input.logGroup ?? ORDERS_GROUP,
    logStream: input.logStream ?? ORDERS_STREAM,
    subscriptionFilters: ['hikeshi-errors'],
    logEvents: input.messages.map((message, i) => ({
      // 56 decimal digits, like CloudWatch's event ids.
      id: `${String(start + i).padStart(20, '0')}${String(i).padStart(36, '0')}`,
      timestamp: start + i,
      message,
    })),
  };
}

/** CloudWatch's reachability check, as it sends it. */
export const CONTROL_MESSAGE = {
  messageType: 'CONTROL_MESSAGE',
  owner: 'CloudwatchLogs',
  logGroup: '',
  logStream: '',
  subscriptionFilters: [],
  logEvents: [
    {
      id: '',
      timestamp: 1768381923481,
      message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.',
    },
  ],
};

/** base64(gzip(JSON)). */
export function encodeLogsData(json: unknown): string {
  return gzipSync(Buffer.from(typeof json === 'string' ? json : JSON.stringify(json), 'utf8')).toString(
    'base64',
  );
}

/** The Lambda event (and the HTTP body) for a decompressed batch. */
export function awslogsEvent(json: unknown): { awslogs: { data: string } } {
  return { awslogs: { data: encodeLogsData(json) } };
}

/** An ISO time `ms` milliseconds after the batch start, for the runtimes' line prefixes. */
export const isoAt = (ms: number): string =>
  new Date(Date.UTC(2026, 0, 14, 9, 12, 3, 481) + ms).toISOString();
