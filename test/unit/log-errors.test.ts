import { describe, expect, it } from 'vitest';
import { findLogError } from '../../src/domain/log-errors.js';
import { isoAt, lines, requestIds } from '../helpers/cloudwatch-logs.js';

const [A = '', B = ''] = requestIds;

describe('findLogError: Lambda runtimes, text format', () => {
  it('Node.js Invoke Error: the runtime JSON becomes the error line and its stack', () => {
    expect(findLogError(lines.nodeInvokeError(A, isoAt(0)))).toEqual({
      title: "TypeError: Cannot read properties of undefined (reading 'id')",
      text: [
        "TypeError: Cannot read properties of undefined (reading 'id')",
        '    at Runtime.handler (file:///var/task/index.mjs:12:31)',
        '    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)',
      ].join('\n'),
      errorType: 'TypeError',
      requestId: A,
    });
  });

  it('Node.js Uncaught Exception at init (request id "undefined")', () => {
    const line = `${isoAt(0)}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'pg'\nRequire stack:\n- /var/task/index.js",
      stack: [
        "Runtime.ImportModuleError: Error: Cannot find module 'pg'",
        '    at _loadUserApp (file:///var/runtime/index.mjs:1087:17)',
      ],
    })}\n`;
    const error = findLogError(line);
    expect(error).toMatchObject({
      title: "Runtime.ImportModuleError: Error: Cannot find module 'pg'",
      errorType: 'Runtime.ImportModuleError',
    });
    expect(error?.requestId).toBeUndefined();
  });

  it('Node.js console.error of an Error: the first line, with the stack as text', () => {
    const error = findLogError(lines.nodeConsoleError(B, isoAt(5)));
    expect(error).toMatchObject({
      title: 'Error: connect ECONNREFUSED 10.0.12.7:5432',
      errorType: 'Error',
      requestId: B,
    });
    expect(error?.text).toContain('at TCPConnectWrap.afterConnect');
  });

  it('Python uncaught exception with its Traceback', () => {
    const error = findLogError(lines.pythonUncaught());
    expect(error).toMatchObject({ title: "KeyError: 'order_id'", errorType: 'KeyError' });
    expect(error?.text).toContain('File "/var/task/app.py", line 14, in lambda_handler');
  });

  it('Python logging.error: the prefix (time, request id) is not part of the title', () => {
    expect(findLogError(lines.pythonLogging(A, isoAt(0), 4242))).toEqual({
      title: 'Payment 4242 failed: card declined',
      text: 'Payment 4242 failed: card declined',
      requestId: A,
    });
  });

  it('Java: `message: type`, then `type: message` and the frames', () => {
    const error = findLogError(lines.javaUncaught());
    expect(error).toMatchObject({
      title: 'Cannot invoke "String.length()" because "name" is null: java.lang.NullPointerException',
      errorType: 'java.lang.NullPointerException',
    });
    expect(error?.text).toContain('\tat com.example.OrderHandler.handleRequest(OrderHandler.java:27)');
  });

  it('the platform: Task timed out, Runtime exited with error', () => {
    expect(findLogError(lines.timedOut(A, isoAt(0)))).toEqual({
      title: 'Task timed out after 3.00 seconds',
      text: 'Task timed out after 3.00 seconds',
      errorType: 'Sandbox.Timedout',
      requestId: A,
    });
    expect(findLogError(lines.runtimeExited(A))).toEqual({
      title: 'Error: Runtime exited with error: signal: killed',
      text: 'Error: Runtime exited with error: signal: killed\nRuntime.ExitError',
      errorType: 'Runtime.ExitError',
      requestId: A,
    });
  });

  it('is not fooled by lines that are not errors', () => {
    for (const line of [
      lines.start(A),
      lines.end(A),
      lines.report(A), // Status: timeout, but the "Task timed out" line is the alert
      lines.nodeInfo(A, isoAt(0)),
      lines.nodeWarnMentioningError(A, isoAt(0)),
      lines.pythonInfo(A, isoAt(0)),
      lines.pythonUnhandledWarning(),
      `INIT_START Runtime Version: nodejs:22.v31\tRuntime Version ARN: arn:aws:lambda:ap-northeast-1::runtime:0a1b\n`,
      '2026-01-14 09:12:03 [main] INFO com.example.App - found 0 ERROR records\n',
      '',
      '\n',
    ]) {
      expect(findLogError(line), JSON.stringify(line)).toBeUndefined();
    }
  });
});

describe('findLogError: JSON log format and structured loggers', () => {
  it('Node.js JSON format: the error object inside `message`', () => {
    const line = JSON.stringify({
      timestamp: isoAt(0),
      level: 'ERROR',
      requestId: A,
      message: {
        errorType: 'TypeError',
        errorMessage: "Cannot read properties of undefined (reading 'id')",
        stackTrace: [
          "TypeError: Cannot read properties of undefined (reading 'id')",
          '    at Runtime.handler (file:///var/task/index.mjs:12:31)',
        ],
      },
    });
    expect(findLogError(line)).toMatchObject({
      title: "TypeError: Cannot read properties of undefined (reading 'id')",
      errorType: 'TypeError',
      requestId: A,
    });
  });

  it('Python JSON format: errorType, errorMessage and frames at the top level', () => {
    const line = JSON.stringify({
      timestamp: isoAt(0),
      level: 'ERROR',
      message: "'order_id'",
      logger: 'root',
      requestId: B,
      errorType: 'KeyError',
      errorMessage: "'order_id'",
      stackTrace: [
        '  File "/var/task/app.py", line 14, in lambda_handler\n    order = event[\'order_id\']\n',
      ],
    });
    const error = findLogError(line);
    expect(error).toMatchObject({ title: "KeyError: 'order_id'", errorType: 'KeyError', requestId: B });
    expect(error?.text).toContain('File "/var/task/app.py", line 14');
  });

  it('pino (numeric levels), structlog-style `levelname`, and a JSON-format timeout', () => {
    expect(
      findLogError(
        JSON.stringify({ level: 50, msg: 'db down', err: { type: 'Error', stack: 'Error: x\n    at y' } }),
      ),
    ).toMatchObject({ title: 'db down', text: 'db down\nError: x\n    at y' });
    expect(findLogError(JSON.stringify({ level: 30, msg: 'ok' }))).toBeUndefined();
    expect(findLogError(JSON.stringify({ levelname: 'CRITICAL', message: 'disk gone' }))).toMatchObject({
      title: 'disk gone',
    });
    expect(
      findLogError(
        JSON.stringify({
          time: isoAt(0),
          type: 'platform.report',
          record: { requestId: A, metrics: { durationMs: 3000.52 }, status: 'timeout' },
        }),
      ),
    ).toMatchObject({
      title: 'Task timed out after 3.00 seconds',
      errorType: 'Sandbox.Timedout',
      requestId: A,
    });
    expect(
      findLogError(JSON.stringify({ type: 'platform.report', record: { requestId: A, status: 'success' } })),
    ).toBeUndefined();
  });
});

describe('findLogError: other applications', () => {
  it('a stated level, logfmt, a bare Traceback, an exception line, a Go panic', () => {
    expect(
      findLogError(`2026-01-14 09:12:03 ${A} ERROR OrderHandler:27 - Payment failed for order 4242\n`),
    ).toMatchObject({ title: 'OrderHandler:27 - Payment failed for order 4242', requestId: A });
    expect(
      findLogError('time=2026-01-14T09:12:03Z level=error msg="upstream \\"billing\\" timed out"'),
    ).toMatchObject({
      title: 'upstream "billing" timed out',
    });
    expect(findLogError('time=2026-01-14T09:12:03Z level=info msg="error budget ok"')).toBeUndefined();
    expect(
      findLogError(
        'Traceback (most recent call last):\n  File "/app/worker.py", line 8, in <module>\n    main()\nValueError: bad config\n',
      ),
    ).toMatchObject({ title: 'ValueError: bad config', errorType: 'ValueError' });
    expect(findLogError('java.lang.IllegalStateException: queue closed\n')).toMatchObject({
      title: 'java.lang.IllegalStateException: queue closed',
      errorType: 'java.lang.IllegalStateException',
    });
    expect(
      findLogError('panic: runtime error: index out of range [3] with length 2\n\ngoroutine 1 [running]:\n'),
    ).toMatchObject({
      title: 'panic: runtime error: index out of range [3] with length 2',
    });
  });
});
