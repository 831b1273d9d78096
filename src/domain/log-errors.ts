/**
 * Does a log line report an error, and which one? The rules behind CloudWatch Logs alerts
 * (src/domain/sources/cloudwatch-logs.ts), written for the formats Lambda runtimes really print, then for
 * common application logs. Pure: no I/O.
 *
 * Recognised (a level the line states wins: an INFO or WARN line is never an error, whatever it says):
 * - Lambda, text format: Node.js `<time>\t<request id>\tERROR\t…` (with the runtime's `Invoke Error`,
 *   `Uncaught Exception` and `Unhandled Promise Rejection` JSON turned back into `TypeError: …` and its stack),
 *   Python `[ERROR] KeyError: 'x'` + Traceback and `[ERROR]\t<time>\t<request id>\t…` (logging), Java's
 *   `message: type` + `type: message` + `\tat …`, and the platform's `Task timed out after 3.00 seconds` and
 *   `RequestId: … Error: Runtime exited with error: …`. START/END/REPORT and other platform lines are not.
 * - Lambda, JSON format (and structured loggers): `level`/`levelname`/`severity` of error, fatal or critical
 *   (pino's numeric 50 and 60 too), with `errorType`/`errorMessage`/`stackTrace` when the runtime adds them;
 *   a `platform.report` whose status is `timeout`.
 * - Anything else: a stated level (`ERROR`, `FATAL`, `CRITICAL`, `SEVERE`, `PANIC`, `level=error`), a Python
 *   Traceback (titled by its last line, the exception), a line starting with an exception name
 *   (`Error: …`, `java.lang.IllegalStateException: …`), or Go's `panic: …`.
 */
import { isPlainObject } from './sources/parse-result.js';

export interface LogError {
  /** The error's first line, without the runtime's time, request id and level: the incident's title. */
  title: string;
  /** The error as people read it: the message with its stack trace. */
  text: string;
  /** `TypeError`, `KeyError`, `java.lang.NullPointerException`, `Sandbox.Timedout`… when the line names it. */
  errorType?: string;
  /** The Lambda request id the line carries. */
  requestId?: string;
}

// Every Lambda bundle imports src/lambda.ts, so module-level work here would ship in all of them: the patterns
// built from strings are compiled on first use, and the rest are literals, which the bundler can drop.
const ISO_TIME = '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?';
const REQUEST_ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function compilePatterns() {
  return {
    timedOut: new RegExp(
      `^(?:${ISO_TIME}\\s+)?(?:(${REQUEST_ID})\\s+)?(Task timed out after [\\d.]+ seconds)`,
    ),
    runtimeExited: new RegExp(`^RequestId:\\s+(${REQUEST_ID})\\s+(Error: .*)$`),
    /** Node.js: `2024-05-01T12:34:56.789Z\t<request id or "undefined">\tERROR\t<message>`. */
    nodeLine: new RegExp(
      `^${ISO_TIME}\\t(${REQUEST_ID}|undefined)\\t(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\\t([\\s\\S]*)$`,
    ),
    pythonLoggingPrefix: new RegExp(`^${ISO_TIME}\\s+(${REQUEST_ID})?\\s*`),
    requestId: new RegExp(REQUEST_ID),
  };
}
let compiled: ReturnType<typeof compilePatterns> | undefined;
const patterns = () => (compiled ??= compilePatterns());

/** Lambda's own lines about an invocation: never an error in themselves (a timeout has its own line). */
const PLATFORM_LINE =
  /^(?:START|END|REPORT|INIT_START|INIT_REPORT|INIT_RUNTIME_DONE|RESTORE_START|RESTORE_REPORT|EXTENSION|TELEMETRY|LOGS)\b/;
const NODE_RUNTIME_ERROR =
  /^(?:Invoke Error|Uncaught Exception|Unhandled Promise Rejection)\s*\t(\{[\s\S]*\})\s*$/;
/** Python: `[ERROR] KeyError: 'x'` (uncaught) or `[ERROR]\t<time>\t<request id>\t<message>` (logging). */
const PYTHON_LINE = /^\[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\]\s+([\s\S]*)$/;

const ERROR_LEVEL = /^(?:error|err|fatal|critical|crit|severe|panic|emerg|emergency|alert)$/i;
const QUIET_LEVEL = /^(?:trace|debug|info|notice|warn|warning)$/i;
/** A level stated near the start of a line: `… ERROR …`, `[FATAL]`, `level=error`. */
const STATED_LEVEL =
  /(?:^|[\s[(|])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL|SEVERE|PANIC|EMERG|EMERGENCY)(?=$|[\s\]):|])/;
const LOGFMT_LEVEL = /\blevel="?([a-z]+)"?(?:\s|$)/i;
const LOGFMT_MESSAGE = /\bmsg="((?:[^"\\]|\\.)*)"/;
/** An exception's name at the start of a line: `TypeError`, `java.lang.IllegalStateException`, `Runtime.ExitError`. */
const EXCEPTION_NAME =
  /^(?:Uncaught |Unhandled )?((?:[A-Za-z_$][\w$]*\.)*[\w$]*(?:Error|Exception|Exit|Fault|Timedout|Interrupt|Rejection))(?::\s|$)/;
/** How far into a line a level may appear and still be the line's level rather than part of its text. */
const LEVEL_WINDOW = 100;

export function findLogError(message: string): LogError | undefined {
  const text = message.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  if (text.trim() === '') return undefined;
  if (text.startsWith('{')) {
    const json = parseObject(text);
    if (json !== undefined) return jsonLogError(json);
  }
  if (PLATFORM_LINE.test(text)) return undefined;

  const timedOut = patterns().timedOut.exec(text);
  if (timedOut?.[2] !== undefined) {
    return withRequestId(
      { title: timedOut[2], text: timedOut[2], errorType: 'Sandbox.Timedout' },
      timedOut[1],
    );
  }
  const [firstLine = '', ...rest] = text.split('\n');
  const exited = patterns().runtimeExited.exec(firstLine);
  if (exited?.[2] !== undefined) {
    const errorType = rest.find((line) => /^Runtime\.\w+$/.test(line.trim()))?.trim();
    return withRequestId(
      { title: exited[2], text: [exited[2], ...rest].join('\n'), ...opt('errorType', errorType) },
      exited[1],
    );
  }

  const node = patterns().nodeLine.exec(text);
  if (node !== undefined && node !== null) {
    const [, requestId, level = '', body = ''] = node;
    if (level !== 'ERROR' && level !== 'FATAL') return undefined;
    return withRequestId(nodeError(body), requestId);
  }
  const python = PYTHON_LINE.exec(text);
  if (python !== undefined && python !== null) {
    const [, level = '', body = ''] = python;
    if (!ERROR_LEVEL.test(level)) return undefined;
    const prefix = patterns().pythonLoggingPrefix.exec(body);
    return withRequestId(textError(prefix === null ? body : body.slice(prefix[0].length)), prefix?.[1]);
  }
  return plainError(text);
}

/** A line in no runtime's format: an error only if it states an error level or carries an exception. */
function plainError(text: string): LogError | undefined {
  const [firstLine = ''] = text.split('\n');
  const logfmt = LOGFMT_LEVEL.exec(firstLine)?.[1]?.toLowerCase();
  if (logfmt !== undefined) {
    if (!ERROR_LEVEL.test(logfmt)) return undefined;
    const msg = LOGFMT_MESSAGE.exec(firstLine)?.[1]?.replace(/\\(.)/g, '$1');
    return { ...textError(text), ...(msg !== undefined && msg.trim() !== '' ? { title: msg.trim() } : {}) };
  }
  const stated = STATED_LEVEL.exec(firstLine.slice(0, LEVEL_WINDOW));
  if (stated?.[1] !== undefined) {
    if (QUIET_LEVEL.test(stated[1])) return undefined;
    const after = text.slice(stated.index + stated[0].length).replace(/^[\s\]):|-]+/, '');
    return withRequestId(
      textError(after === '' ? text : after),
      patterns().requestId.exec(firstLine.slice(0, stated.index))?.[0],
    );
  }
  if (text.includes('Traceback (most recent call last):')) return pythonTraceback(text);
  if (EXCEPTION_NAME.test(firstLine) || /^panic: /.test(firstLine)) return textError(text);
  // Java's runtime prints an uncaught exception as `message: type`, then `type: message` and its frames.
  const lines = text.split('\n');
  if (
    lines.length > 1 &&
    lines.some((l) => EXCEPTION_NAME.test(l)) &&
    lines.some((l) => /^\s+at\s/.test(l))
  ) {
    return textError(text);
  }
  return undefined;
}

/** The body of a Node.js ERROR line: the runtime's JSON for an uncaught error, or what console.error printed. */
function nodeError(body: string): LogError {
  const runtimeJson = NODE_RUNTIME_ERROR.exec(body)?.[1];
  const json = runtimeJson === undefined ? undefined : parseObject(runtimeJson);
  if (json !== undefined) {
    const fromJson = runtimeErrorFields(json);
    if (fromJson !== undefined) return fromJson;
  }
  return textError(body);
}

/** `{errorType, errorMessage, stack | stackTrace}`, as the Node.js, Python and Java runtimes write it. */
function runtimeErrorFields(json: Record<string, unknown>): LogError | undefined {
  const errorType = stringField(json, 'errorType');
  const errorMessage = stringField(json, 'errorMessage');
  if (errorType === undefined && errorMessage === undefined) return undefined;
  const title = [errorType, firstLineOf(errorMessage ?? '')]
    .filter((p) => p !== undefined && p !== '')
    .join(': ');
  const frames = json['stack'] ?? json['stackTrace'] ?? json['trace'];
  const stack = Array.isArray(frames) ? frames.filter((f): f is string => typeof f === 'string') : [];
  // Node.js puts the error's own line first in `stack`; Python and Java list frames only.
  const framesText = stack.join('\n').replace(/\n+$/, '');
  const body =
    stack[0]?.startsWith(errorType ?? '\u0000') === true
      ? framesText
      : [title, framesText].filter((p) => p !== '').join('\n');
  return { title, text: body === '' ? title : body, ...opt('errorType', errorType) };
}

/** Lambda's JSON log format and structured loggers (pino, structlog, python-json-logger, …). */
function jsonLogError(json: Record<string, unknown>): LogError | undefined {
  const requestId =
    stringField(json, 'requestId') ??
    stringField(json, 'AWSRequestId') ??
    stringField(json, 'aws_request_id');
  if (json['type'] === 'platform.report' && isPlainObject(json['record'])) {
    const record = json['record'];
    if (record['status'] !== 'timeout') return undefined;
    const metrics = isPlainObject(record['metrics']) ? record['metrics'] : {};
    const ms = typeof metrics['durationMs'] === 'number' ? metrics['durationMs'] : undefined;
    // Worded as the text format's line, so both formats fold into one incident.
    const title =
      ms === undefined ? 'Task timed out' : `Task timed out after ${(ms / 1000).toFixed(2)} seconds`;
    return withRequestId(
      { title, text: title, errorType: 'Sandbox.Timedout' },
      stringField(record, 'requestId'),
    );
  }
  const level =
    json['level'] ?? json['levelname'] ?? json['severity'] ?? json['log_level'] ?? json['log.level'];
  const isError =
    typeof level === 'number' ? level >= 50 : typeof level === 'string' && ERROR_LEVEL.test(level.trim());
  if (!isError) return undefined;
  const message = json['message'] ?? json['msg'];
  const nested = isPlainObject(message) ? runtimeErrorFields(message) : undefined;
  const fields = nested ?? runtimeErrorFields(json);
  if (fields !== undefined) return withRequestId(fields, requestId);
  const err = json['err'] ?? json['error'];
  const errStack = isPlainObject(err) ? stringField(err, 'stack') : undefined;
  const text =
    typeof message === 'string' && message.trim() !== '' ? message : (errStack ?? JSON.stringify(json));
  const error = textError(errStack !== undefined && text !== errStack ? `${text}\n${errStack}` : text);
  return withRequestId(error, requestId);
}

/** A Python traceback without the runtime's `[ERROR]` line: the exception is its last unindented line. */
function pythonTraceback(text: string): LogError {
  const lines = text.split('\n');
  const last = [...lines]
    .reverse()
    .find((l) => l.trim() !== '' && !/^\s/.test(l) && !l.startsWith('Traceback'));
  const title = last?.trim() ?? firstLineOf(text);
  return { title, text, ...opt('errorType', EXCEPTION_NAME.exec(title)?.[1]) };
}

/** Title = first non-blank line, text = the whole; the exception's name when a line starts with one. */
function textError(body: string): LogError {
  const text = body.replace(/^\s*\n/, '').replace(/\s+$/, '');
  const title = firstLineOf(text);
  const errorType =
    EXCEPTION_NAME.exec(title)?.[1] ??
    text
      .split('\n')
      .map((l) => EXCEPTION_NAME.exec(l)?.[1])
      .find((name) => name !== undefined);
  return { title, text, ...opt('errorType', errorType) };
}

function firstLineOf(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function withRequestId(error: LogError, requestId: string | undefined): LogError {
  return requestId === undefined || requestId === 'undefined' ? error : { ...error, requestId };
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
