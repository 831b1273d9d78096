/**
 * Configuration: the environment (and, when SECRETS_ID is set, one Secrets Manager JSON secret) validated
 * once at startup into a typed `Config`. Every setting is one entry of `VARIABLES` below, which is also the
 * README's table (`CONFIG_VARIABLES`); a bad value fails startup with one error naming every problem and
 * never printing a secret.
 *
 * Precedence, per setting: environment variable, then the secret's key, then the default. The environment
 * wins because it is the explicit, per-deployment override: the secret is usually shared (the seed's
 * `wn/chatops/secret` serves several Lambdas), and a one-off override such as pointing one stage at another
 * Slack app should not require editing the shared secret.
 */
import { z } from 'zod';
import { AppError, ErrorCode } from './errors.js';
import type { LogLevel } from './logger.js';
import { SEVERITIES, type Severity } from './domain/alert.js';
import { isE164 } from './domain/phone.js';
import { TABLE_DEFINITIONS, TABLE_IDS, resolveTableNames, type TableNames } from './store/tables.js';

const REDACTED = '[redacted]';
const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret string that cannot leak by accident: template strings, `String()`, `JSON.stringify`, pino and
 * `console.log`/`util.inspect` all see `[redacted]`. Only `reveal()` gives the value, at the SDK call.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectCustom](): string {
    return REDACTED;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Field schemas: each turns one trimmed, non-empty string into its typed value or a reason. Reasons for
// secret variables never include the value.

class Invalid {
  constructor(readonly reason: string) {}
}

const got = (value: string): string =>
  `got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`;

function field<T>(parse: (value: string) => T | Invalid) {
  return z.string().transform((value, ctx): T => {
    const result = parse(value);
    if (result instanceof Invalid) {
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    }
    return result;
  });
}

const text = z.string();

function oneOf<const T extends string>(values: readonly T[]) {
  return field((value) =>
    (values as readonly string[]).includes(value)
      ? (value as T)
      : new Invalid(`expected one of ${values.join(', ')}, ${got(value)}`),
  );
}

function integer(min: number, max: number, expected: string) {
  return field((value) => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max
      ? n
      : new Invalid(`expected ${expected}, ${got(value)}`);
  });
}

function httpUrl(value: string): URL | Invalid {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  return new Invalid(`expected an http(s) URL, ${got(value)}`);
}

/** A URL without a trailing slash, so adapters can append `/rooms/…`. */
const baseUrl = field((value) => {
  const url = httpUrl(value);
  return url instanceof Invalid ? url : url.href.replace(/\/+$/, '');
});

/** Bolt's `slackApiUrl` is joined with method names, so it must end in `/api/`. */
const slackApiUrl = field((value) => {
  const url = httpUrl(value);
  if (url instanceof Invalid) return url;
  if (url.pathname.endsWith('/api')) url.pathname += '/';
  if (!url.pathname.endsWith('/api/') || url.search !== '' || url.hash !== '') {
    return new Invalid(`expected a URL ending in /api/ (e.g. http://127.0.0.1:3000/api/), ${got(value)}`);
  }
  return url.href;
});

function secret(prefixes: readonly string[] = []) {
  return field((value) =>
    prefixes.length === 0 || prefixes.some((p) => value.startsWith(p))
      ? new Secret(value)
      : new Invalid(`expected a value starting with ${prefixes.join(' or ')} (value not shown)`),
  );
}

const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  fatal: 'fatal',
  critical: 'fatal', // Python's name; the seed Lambdas use Python's LOG_LEVEL values (INFO, WARNING, …)
  error: 'error',
  warn: 'warn',
  warning: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  silent: 'silent',
};
const logLevel = field(
  (value) =>
    LOG_LEVELS[value.toLowerCase()] ??
    new Invalid(`expected one of fatal, error, warn, info, debug, trace, silent (any case), ${got(value)}`),
);

// ---------------------------------------------------------------------------------------------------------
// The variables. To add a setting: one entry here, one field in Config, one line in toConfig.

interface VariableSpec {
  readonly schema: z.ZodType<unknown, string | undefined>;
  readonly secretKey?: string;
  readonly secret?: true;
  readonly default?: string;
  readonly description: string;
}

const VARIABLES = {
  NODE_ENV: {
    schema: oneOf(['production', 'development', 'test']),
    default: 'development',
    description: 'production, development or test.',
  },
  AWS_LAMBDA_FUNCTION_NAME: {
    schema: text.optional(),
    description: 'Set by AWS Lambda; its presence means Lambda mode (JSON logs, DynamoDB store).',
  },
  WORKER_FUNCTION_NAME: {
    schema: text.optional(),
    description:
      'On Lambda: the worker function slow work (analysis, reports, notices) is handed to by asynchronous invoke. Unset: it runs in-process.',
  },
  PORT: {
    schema: integer(0, 65535, 'an integer from 0 to 65535'),
    default: '3000',
    description: 'HTTP port of the local server; 0 picks a free one.',
  },
  PUBLIC_URL: {
    schema: baseUrl.optional(),
    description:
      'Base URL people reach this app at, for links to local HTML reports. Default: http://localhost:PORT.',
  },
  LOG_LEVEL: {
    schema: logLevel,
    default: 'info',
    description:
      'fatal, error, warn, info, debug, trace or silent, in any case; WARNING and CRITICAL work too.',
  },
  LOG_FORMAT: {
    schema: oneOf(['json', 'pretty']).optional(),
    description: 'json or pretty. Default: json in production or on Lambda, pretty otherwise.',
  },
  DATA_DIR: { schema: text, default: '.data', description: 'Where the embedded store keeps its files.' },
  STORE: {
    schema: oneOf(['embedded', 'dynamodb']).optional(),
    description: 'embedded (local dynalite) or dynamodb. Default: dynamodb on Lambda, embedded otherwise.',
  },
  AWS_REGION: {
    schema: text.optional(),
    description: 'AWS region of every AWS client. Default: AWS_DEFAULT_REGION.',
  },
  AWS_DEFAULT_REGION: {
    schema: text,
    default: 'us-east-1',
    description: 'AWS region when AWS_REGION is unset.',
  },
  SECRETS_ID: {
    schema: text.optional(),
    description: 'Secrets Manager secret (name or ARN): a JSON object holding the secret keys of this table.',
  },
  SLACK_BOT_TOKEN: {
    schema: secret(['xoxb-', 'xoxp-']).optional(),
    secretKey: 'slack_token',
    secret: true,
    description: 'Bot token (xoxb-…). Unset: the local Slack emulator is used.',
  },
  SLACK_APP_TOKEN: {
    schema: secret(['xapp-']).optional(),
    secretKey: 'slack_app_token',
    secret: true,
    description: 'App-level token (xapp-…): Socket Mode. Needs SLACK_BOT_TOKEN.',
  },
  SLACK_SIGNING_SECRET: {
    schema: secret().optional(),
    secretKey: 'slack_signing_secret',
    secret: true,
    description: 'Verifies Slack HTTP requests; required in HTTP mode (bot token without app token).',
  },
  SLACK_API_URL: {
    schema: slackApiUrl.optional(),
    description: 'Slack Web API base URL ending in /api/, e.g. an emulator. Default: Slack itself.',
  },
  SLACK_ALERT_CHANNEL: { schema: text, default: 'alerts', description: 'Channel incidents are posted to.' },
  RESPONDERS_GROUP_ID: {
    schema: text,
    default: 'default',
    description: 'Responders group called on escalation.',
  },
  HISTORY_TTL_DAYS: {
    schema: integer(1, 36_500, 'a positive whole number of days'),
    default: '30',
    description: 'Days call history and job report history are kept (DynamoDB TTL).',
  },
  // Issue 7: phone escalation through Amazon Connect (seed: connect-outbound-caller.md).
  CONNECT_INSTANCE_REGION: {
    schema: text.optional(),
    description:
      'Region of the Amazon Connect instance. The four CONNECT_* ids: all or none (none: no phone).',
  },
  CONNECT_INSTANCE_ID: { schema: text.optional(), description: 'Amazon Connect instance id.' },
  CONNECT_CONTACT_FLOW_ID: {
    schema: text.optional(),
    description: 'Id of the imported Hikeshi contact flow (docs/connect-contact-flow.json).',
  },
  CONNECT_SOURCE_PHONE: {
    schema: field((value) =>
      isE164(value)
        ? value
        : new Invalid('expected an E.164 number claimed in the instance, e.g. +815012345678'),
    ).optional(),
    description: 'Caller number (E.164) claimed in the Connect instance.',
  },
  CONNECT_CALLBACK_TOKEN: {
    schema: secret().optional(),
    secretKey: 'connect_callback_token',
    secret: true,
    description: 'Bearer token POST /api/connect/contact-flow requires (the Lambda handler needs none).',
  },
  ESCALATE_SEVERITY: {
    schema: oneOf(SEVERITIES),
    default: 'critical',
    description: 'Incidents at least this severe are phoned about: critical, error, warning or info.',
  },
  ESCALATE_AFTER_SECONDS: {
    schema: integer(0, 86_400, 'a whole number of seconds from 0 to 86400'),
    default: '300',
    description: 'How long an incident may stay unacknowledged before the first call.',
  },
  CALL_RETRY_SECONDS: {
    schema: integer(0, 3_600, 'a whole number of seconds from 0 to 3600'),
    default: '30',
    description: 'Pause after a declined or unanswered call before the next responder is called.',
  },
  ESCALATION_ROUNDS: {
    schema: integer(1, 10, 'a whole number from 1 to 10'),
    default: '3',
    description: 'How many times the whole on-call list is called before "nobody answered".',
  },
  ESCALATION_TICK_SECONDS: {
    schema: integer(1, 3_600, 'a whole number of seconds from 1 to 3600'),
    default: '15',
    description: 'How often the in-process scheduler advances phone escalations.',
  },
  CALL_ANSWER_TIMEOUT_SECONDS: {
    schema: integer(10, 3_600, 'a whole number of seconds from 10 to 3600'),
    default: '120',
    description: 'A call with no answer from the contact flow after this long counts as no answer.',
  },
  WIKI_URL: {
    schema: baseUrl.optional(),
    secretKey: 'wiki_url',
    description: 'Confluence URL, e.g. https://example.atlassian.net/wiki.',
  },
  WIKI_USER: { schema: text.optional(), secretKey: 'wiki_user', description: 'Confluence user (email).' },
  WIKI_API_KEY: {
    schema: secret().optional(),
    secretKey: 'wiki_api_key',
    secret: true,
    description: 'Confluence API token.',
  },
  CONFLUENCE_SPACE: { schema: text.optional(), description: 'Confluence space key reports are written to.' },
  CONFLUENCE_PARENT_ID: {
    schema: text.optional(),
    description: 'Confluence page id reports are created under.',
  },
  BEDROCK_AGENT_ID: { schema: text.optional(), secretKey: 'bedrock_agent', description: 'Bedrock Agent id.' },
  BEDROCK_AGENT_ALIAS_ID: {
    schema: text.optional(),
    secretKey: 'bedrock_agent_alias',
    description: 'Bedrock Agent alias id.',
  },
  CHATWORK_API_TOKEN: {
    schema: secret().optional(),
    secretKey: 'CHATWORK_API_TOKEN',
    secret: true,
    description: 'Chatwork API token for error notices.',
  },
  CHATWORK_ROOM_ID: {
    schema: field((value) =>
      /^\d+$/.test(value)
        ? value
        : new Invalid(`expected a numeric room id (the digits after rid), ${got(value)}`),
    ).optional(),
    secretKey: 'CHATWORK_ROOM_ID',
    description: 'Chatwork room id (the digits after rid in the room URL).',
  },
  CHATWORK_API_URL: {
    schema: baseUrl,
    default: 'https://api.chatwork.com/v2',
    description: 'Chatwork API base URL.',
  },
  ALERTS_API_TOKEN: {
    schema: secret().optional(),
    secretKey: 'alerts_api_token',
    secret: true,
    description: 'Bearer token POST /api/alerts and /api/alerts/alertmanager require.',
  },
  EVENTS_V2_ROUTING_KEY: {
    schema: secret().optional(),
    secret: true,
    description:
      'routing_key PagerDuty Events v2 senders must use (/api/alerts/events-v2). Default: ALERTS_API_TOKEN.',
  },
  SNS_TOPIC_ARNS: {
    schema: field((value) => {
      const arns = value
        .split(',')
        .map((arn) => arn.trim())
        .filter((arn) => arn !== '');
      const bad = arns.find(
        (arn) => arn !== '*' && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w.-]+$/.test(arn),
      );
      if (arns.length > 0 && bad === undefined) return arns;
      return new Invalid(`expected SNS topic ARNs separated by commas, or *, ${got(bad ?? value)}`);
    }).optional(),
    description:
      'Comma-separated SNS topic ARNs /api/alerts/sns accepts, or * for any. Unset: any in emulator mode, none otherwise.',
  },
  JOB_REPORT_SECRET: {
    schema: secret().optional(),
    secretKey: 'job_report_secret',
    secret: true,
    description: 'X-TC-Portal-Webhook-Secret value POST /api/monitor/job-report requires.',
  },
  METRICS_TOKEN: {
    schema: secret().optional(),
    secret: true,
    description:
      'Bearer token GET /metrics requires (Prometheus scrape authorization). Unset: open in emulator mode, refused otherwise.',
  },
  JOB_TICK_SECONDS: {
    schema: integer(1, 86_400, 'a whole number of seconds from 1 to 86400'),
    default: '60',
    description: 'How often the in-process scheduler checks for missed job runs (and other timed work).',
  },
  // Issue 5: GitHub / GitLab webhooks → task queue → Slack.
  GITHUB_WEBHOOK_SECRET: {
    schema: secret().optional(),
    secretKey: 'github_webhook_secret',
    secret: true,
    description: 'Secret of the GitHub webhook; POST /webhook/github verifies X-Hub-Signature-256 with it.',
  },
  GITLAB_WEBHOOK_TOKEN: {
    schema: secret().optional(),
    secretKey: 'gitlab_webhook_token',
    secret: true,
    description: 'Secret token of GitLab project webhooks (X-Gitlab-Token on POST /webhook/gitlab).',
  },
  GITLAB_SYSTEM_HOOK_TOKEN: {
    schema: secret().optional(),
    secretKey: 'gitlab_system_hook_token',
    secret: true,
    description: 'Secret token of GitLab system hooks (X-Gitlab-Token on POST /webhook/gitlab/system).',
  },
  TASK_LABEL: {
    schema: text,
    default: 'coding agent',
    description: 'Label (any case) that turns an issue or pull/merge request into a task.',
  },
  QUEUE: {
    schema: oneOf(['rabbitmq', 'memory']).optional(),
    description:
      'Task queue: rabbitmq (AMQP_URL) or memory (in-process, lost on restart). Unset: rabbitmq, and npm start falls back to memory when the broker is unreachable.',
  },
  AMQP_URL: {
    schema: secret(['amqp://', 'amqps://']).optional(),
    secretKey: 'amqp_url',
    secret: true,
    // No `default` entry: the well-known local URL is not a secret, so it stays out of the log scrubber.
    description:
      'RabbitMQ (Amazon MQ: amqps://) URL; may carry the password. Default: amqp://guest:guest@127.0.0.1:5672.',
  },
  TASK_QUEUE: {
    schema: text,
    default: 'hikeshi.tasks',
    description: 'Durable task queue; <name>.retry, <name>.dlx and the DLQ <name>.dead are derived.',
  },
  TASK_MAX_ATTEMPTS: {
    schema: integer(1, 100, 'a whole number from 1 to 100'),
    default: '5',
    description: 'Failed attempts before a task is dead-lettered.',
  },
  SLACK_TASK_CHANNEL: {
    schema: text.optional(),
    description: 'Channel tasks are posted to. Default: SLACK_ALERT_CHANNEL.',
  },
  GITHUB_TOKEN: {
    schema: secret().optional(),
    secretKey: 'github_token',
    secret: true,
    description: 'GitHub token for the "task received" comment on issues and PRs. Unset: no comment.',
  },
  GITHUB_API_URL: {
    schema: baseUrl,
    default: 'https://api.github.com',
    description: 'GitHub REST API URL; GitHub Enterprise Server: https://HOST/api/v3.',
  },
  GITLAB_TOKEN: {
    schema: secret().optional(),
    secretKey: 'gitlab_token',
    secret: true,
    description: 'GitLab token (api scope) for the "task received" note on issues and MRs. Unset: no note.',
  },
  GITLAB_URL: { schema: baseUrl, default: 'https://gitlab.com', description: 'GitLab instance URL.' },
} as const satisfies Record<string, VariableSpec>;

type VariableName = keyof typeof VARIABLES;
type Shape = { [K in VariableName]: (typeof VARIABLES)[K]['schema'] };

const SPECS = Object.entries(VARIABLES) as [VariableName, VariableSpec][];
const envSchema = z.object(Object.fromEntries(SPECS.map(([name, spec]) => [name, spec.schema])) as Shape);
type ParsedEnv = z.output<typeof envSchema>;

export interface ConfigVariable {
  /** Environment variable name. */
  readonly env: string;
  /** Key in the SECRETS_ID JSON secret that supplies the value when the variable is unset. */
  readonly secretKey?: string;
  /** Held as a `Secret`: never logged, never quoted in a configuration error. */
  readonly secret: boolean;
  /** Value used when unset. Defaults that depend on other settings are given in `description`. */
  readonly default?: string;
  readonly description: string;
}

/** Every environment variable Hikeshi reads, in README order; table names come from src/store/tables.ts. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  ...SPECS.map(([env, spec]) => ({
    env,
    secret: spec.secret === true,
    ...(spec.secretKey === undefined ? {} : { secretKey: spec.secretKey }),
    ...(spec.default === undefined ? {} : { default: spec.default }),
    description: spec.description,
  })),
  { env: 'TABLE_PREFIX', secret: false, description: 'Prefix of every default DynamoDB table name.' },
  ...TABLE_IDS.map((id) => ({
    env: TABLE_DEFINITIONS[id].envVar,
    secret: false,
    default: TABLE_DEFINITIONS[id].defaultName,
    description: `DynamoDB table name (${id}); wins over TABLE_PREFIX.`,
  })),
];

export type SlackMode = 'emulator' | 'socket' | 'http';

/** The local broker `AMQP_URL` defaults to (RabbitMQ's own guest account, which only accepts localhost). */
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  onLambda: boolean;
  /** Lambda: slow work goes to this function (asynchronous invoke) instead of running in-process. */
  workerFunctionName?: string;
  port: number;
  logLevel: LogLevel;
  logFormat: 'json' | 'pretty';
  dataDir: string;
  store: 'embedded' | 'dynamodb';
  awsRegion: string;
  tables: TableNames;
  slack: {
    /** emulator: no bot token; socket: bot + app token; http: bot token + signing secret. */
    mode: SlackMode;
    botToken?: Secret;
    appToken?: Secret;
    signingSecret?: Secret;
    /** Always ends in `/api/`. */
    apiUrl?: string;
    alertChannel: string;
  };
  respondersGroupId: string;
  historyTtlDays: number;
  /** Amazon Connect: the four ids all or none (checked); none means no phone (the local phone in emulator mode). */
  connect: {
    region?: string;
    instanceId?: string;
    contactFlowId?: string;
    sourcePhone?: string;
    callbackToken?: Secret;
  };
  escalation: {
    severity: Severity;
    afterSeconds: number;
    retrySeconds: number;
    rounds: number;
    tickSeconds: number;
    answerTimeoutSeconds: number;
  };
  /** Where people reach the app (links to local reports); no trailing slash. */
  publicUrl: string;
  secretsId?: string;
  /** All three or none (checked). `url` has no trailing slash. */
  wiki: { url?: string; user?: string; apiKey?: Secret };
  confluence: { spaceKey?: string; parentId?: string };
  /** Both or none (checked). */
  bedrock: { agentId?: string; agentAliasId?: string };
  /** Token and room both or neither (checked). `apiUrl` has no trailing slash. */
  chatwork: { apiToken?: Secret; roomId?: string; apiUrl: string };
  alertsApiToken?: Secret;
  eventsV2RoutingKey?: Secret;
  /** Accepted SNS topic ARNs; `['*']` accepts any. */
  snsTopicArns?: string[];
  jobReportSecret?: Secret;
  /** `GET /metrics` bearer token. */
  metricsToken?: Secret;
  /** Interval of the in-process scheduler (missed job runs, escalation steps). */
  jobTickSeconds: number;
  /** Issue 5. `apiUrl` has no trailing slash. */
  github: { webhookSecret?: Secret; token?: Secret; apiUrl: string };
  /** `url` has no trailing slash. */
  gitlab: { webhookToken?: Secret; systemHookToken?: Secret; token?: Secret; url: string };
  tasks: {
    label: string;
    /** Undefined: rabbitmq, with the local fallback to memory that `npm start` allows. */
    queueMode?: 'rabbitmq' | 'memory';
    /** Unset: `DEFAULT_AMQP_URL`. */
    amqpUrl?: Secret;
    queue: string;
    maxAttempts: number;
    /** SLACK_TASK_CHANNEL, or the alert channel. */
    slackChannel: string;
  };
}

// ---------------------------------------------------------------------------------------------------------

interface Problem {
  variable: string;
  reason: string;
}

/** Trimmed value, or undefined for unset, empty and blank strings. */
function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** Settings that only work together: naming the missing one beats an integration silently switched off. */
const ALL_OR_NONE: readonly (readonly VariableName[])[] = [
  ['CONNECT_INSTANCE_REGION', 'CONNECT_INSTANCE_ID', 'CONNECT_CONTACT_FLOW_ID', 'CONNECT_SOURCE_PHONE'],
  ['WIKI_URL', 'WIKI_USER', 'WIKI_API_KEY'],
  ['BEDROCK_AGENT_ID', 'BEDROCK_AGENT_ALIAS_ID'],
  ['CHATWORK_API_TOKEN', 'CHATWORK_ROOM_ID'],
];

function crossFieldProblems(raw: Partial<Record<VariableName, string>>): Problem[] {
  const has = (name: VariableName): boolean => raw[name] !== undefined;
  const problems: Problem[] = [];
  if (has('SLACK_APP_TOKEN') && !has('SLACK_BOT_TOKEN')) {
    problems.push({
      variable: 'SLACK_BOT_TOKEN',
      reason: 'required when SLACK_APP_TOKEN is set (Socket Mode)',
    });
  }
  if (has('SLACK_BOT_TOKEN') && !has('SLACK_APP_TOKEN') && !has('SLACK_SIGNING_SECRET')) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      reason: 'required when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (HTTP mode)',
    });
  }
  for (const group of ALL_OR_NONE) {
    const present = group.filter(has);
    if (present.length === 0 || present.length === group.length) continue;
    const reason = `required when ${present.join(' and ')} ${present.length > 1 ? 'are' : 'is'} set`;
    for (const name of group.filter((n) => !has(n))) problems.push({ variable: name, reason });
  }
  return problems;
}

/**
 * Validates `env`, plus the values of a SECRETS_ID secret keyed by `secretKey`, into a Config. Values are
 * trimmed and blank ones count as unset. Throws `AppError(ConfigInvalid)` listing every problem.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  secrets: Record<string, string> = {},
): Config {
  const raw: Partial<Record<VariableName, string>> = {};
  const fromSecret = new Set<string>();
  for (const [name, spec] of SPECS) {
    const fromEnv = clean(env[name]);
    const fromSecrets = spec.secretKey === undefined ? undefined : clean(secrets[spec.secretKey]);
    const value = fromEnv ?? fromSecrets ?? spec.default;
    if (value !== undefined) raw[name] = value;
    if (fromEnv === undefined && fromSecrets !== undefined) fromSecret.add(name);
  }

  const result = envSchema.safeParse(raw);
  const problems: Problem[] = [
    ...(result.success
      ? []
      : result.error.issues.map((i) => ({ variable: String(i.path[0]), reason: i.message }))),
    ...crossFieldProblems(raw),
  ];
  if (!result.success || problems.length > 0) throw configError(problems, raw, fromSecret);
  return toConfig(result.data, env);
}

function configError(
  problems: Problem[],
  raw: Partial<Record<string, string>>,
  fromSecret: Set<string>,
): AppError {
  const names = SPECS.map(([name]) => name as string);
  problems.sort((a, b) => names.indexOf(a.variable) - names.indexOf(b.variable));
  const label = (name: string): string => {
    const key = fromSecret.has(name) ? SPECS.find(([n]) => n === name)?.[1].secretKey : undefined;
    return key === undefined ? name : `${name} (secret key ${key})`;
  };
  let message = `Invalid configuration:\n${problems.map((p) => `  - ${label(p.variable)}: ${p.reason}`).join('\n')}`;
  // Belt and braces: no reason quotes a secret, but make sure none slips into the message.
  for (const [name, spec] of SPECS) {
    const value = raw[name];
    if (spec.secret === true && value !== undefined) message = message.split(value).join(REDACTED);
  }
  return new AppError(ErrorCode.ConfigInvalid, message, { details: { problems } });
}

function toConfig(e: ParsedEnv, env: Record<string, string | undefined>): Config {
  const onLambda = e.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  // With exactOptionalPropertyTypes an absent setting must be an absent key, not `key: undefined`.
  const opt = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
  const cleanEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, clean(v)]));
  return {
    nodeEnv: e.NODE_ENV,
    onLambda,
    ...opt('workerFunctionName', e.WORKER_FUNCTION_NAME),
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (onLambda || e.NODE_ENV === 'production' ? 'json' : 'pretty'),
    dataDir: e.DATA_DIR,
    store: e.STORE ?? (onLambda ? 'dynamodb' : 'embedded'),
    awsRegion: e.AWS_REGION ?? e.AWS_DEFAULT_REGION,
    tables: resolveTableNames(cleanEnv),
    slack: {
      mode:
        e.SLACK_BOT_TOKEN === undefined ? 'emulator' : e.SLACK_APP_TOKEN === undefined ? 'http' : 'socket',
      ...opt('botToken', e.SLACK_BOT_TOKEN),
      ...opt('appToken', e.SLACK_APP_TOKEN),
      ...opt('signingSecret', e.SLACK_SIGNING_SECRET),
      ...opt('apiUrl', e.SLACK_API_URL),
      alertChannel: e.SLACK_ALERT_CHANNEL,
    },
    respondersGroupId: e.RESPONDERS_GROUP_ID,
    historyTtlDays: e.HISTORY_TTL_DAYS,
    connect: {
      ...opt('region', e.CONNECT_INSTANCE_REGION),
      ...opt('instanceId', e.CONNECT_INSTANCE_ID),
      ...opt('contactFlowId', e.CONNECT_CONTACT_FLOW_ID),
      ...opt('sourcePhone', e.CONNECT_SOURCE_PHONE),
      ...opt('callbackToken', e.CONNECT_CALLBACK_TOKEN),
    },
    escalation: {
      severity: e.ESCALATE_SEVERITY,
      afterSeconds: e.ESCALATE_AFTER_SECONDS,
      retrySeconds: e.CALL_RETRY_SECONDS,
      rounds: e.ESCALATION_ROUNDS,
      tickSeconds: e.ESCALATION_TICK_SECONDS,
      answerTimeoutSeconds: e.CALL_ANSWER_TIMEOUT_SECONDS,
    },
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    ...opt('secretsId', e.SECRETS_ID),
    wiki: { ...opt('url', e.WIKI_URL), ...opt('user', e.WIKI_USER), ...opt('apiKey', e.WIKI_API_KEY) },
    confluence: { ...opt('spaceKey', e.CONFLUENCE_SPACE), ...opt('parentId', e.CONFLUENCE_PARENT_ID) },
    bedrock: { ...opt('agentId', e.BEDROCK_AGENT_ID), ...opt('agentAliasId', e.BEDROCK_AGENT_ALIAS_ID) },
    chatwork: {
      ...opt('apiToken', e.CHATWORK_API_TOKEN),
      ...opt('roomId', e.CHATWORK_ROOM_ID),
      apiUrl: e.CHATWORK_API_URL,
    },
    ...opt('alertsApiToken', e.ALERTS_API_TOKEN),
    ...opt('eventsV2RoutingKey', e.EVENTS_V2_ROUTING_KEY),
    ...opt('snsTopicArns', e.SNS_TOPIC_ARNS),
    ...opt('jobReportSecret', e.JOB_REPORT_SECRET),
    ...opt('metricsToken', e.METRICS_TOKEN),
    jobTickSeconds: e.JOB_TICK_SECONDS,
    github: {
      ...opt('webhookSecret', e.GITHUB_WEBHOOK_SECRET),
      ...opt('token', e.GITHUB_TOKEN),
      apiUrl: e.GITHUB_API_URL,
    },
    gitlab: {
      ...opt('webhookToken', e.GITLAB_WEBHOOK_TOKEN),
      ...opt('systemHookToken', e.GITLAB_SYSTEM_HOOK_TOKEN),
      ...opt('token', e.GITLAB_TOKEN),
      url: e.GITLAB_URL,
    },
    tasks: {
      label: e.TASK_LABEL,
      ...opt('queueMode', e.QUEUE),
      ...opt('amqpUrl', e.AMQP_URL),
      queue: e.TASK_QUEUE,
      maxAttempts: e.TASK_MAX_ATTEMPTS,
      slackChannel: e.SLACK_TASK_CHANNEL ?? e.SLACK_ALERT_CHANNEL,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// SECRETS_ID

export type FetchSecret = (secretId: string, region: string) => Promise<Record<string, string>>;

export interface LoadConfigDeps {
  /** Reads one JSON secret. Default: the Secrets Manager adapter. */
  fetchSecret?: FetchSecret;
}

const fetchFromSecretsManager: FetchSecret = async (secretId, region) => {
  // Loaded on demand so a local run without SECRETS_ID never loads the AWS SDK.
  const { createSecretsManagerReader } = await import('./integrations/secrets-manager.js');
  return createSecretsManagerReader({ region }).getSecretJson(secretId);
};

/**
 * One read per secret per process: concurrent callers share the in-flight promise and later callers its
 * result, so a warm Lambda never calls Secrets Manager again (a rotated value arrives with a new instance).
 * Keyed by fetcher too, so tests with their own fetcher do not see each other's values. Failures are dropped.
 */
const secretReads = new Map<FetchSecret, Map<string, Promise<Record<string, string>>>>();

function readSecretOnce(
  fetchSecret: FetchSecret,
  secretId: string,
  region: string,
): Promise<Record<string, string>> {
  let reads = secretReads.get(fetchSecret);
  if (reads === undefined) {
    reads = new Map();
    secretReads.set(fetchSecret, reads);
  }
  const key = `${region}\n${secretId}`;
  const cached = reads.get(key);
  if (cached !== undefined) return cached;
  const read = fetchSecret(secretId, region);
  reads.set(key, read);
  read.catch(() => reads.delete(key));
  return read;
}

/** Forgets every secret read (tests, or a process that learns of a rotation). */
export function clearSecretsCache(): void {
  secretReads.clear();
}

/** The region a secret lives in: an ARN names its own, otherwise AWS_REGION, AWS_DEFAULT_REGION, us-east-1. */
function secretRegion(secretId: string, env: Record<string, string | undefined>): string {
  const arnRegion = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(secretId)?.[1];
  return arnRegion ?? clean(env['AWS_REGION']) ?? clean(env['AWS_DEFAULT_REGION']) ?? 'us-east-1';
}

/** `loadConfig`, after reading the SECRETS_ID secret (once per process) when that variable is set. */
export async function loadConfigWithSecrets(
  env: Record<string, string | undefined> = process.env,
  deps: LoadConfigDeps = {},
): Promise<Config> {
  const secretsId = clean(env['SECRETS_ID']);
  if (secretsId === undefined) return loadConfig(env);
  const fetchSecret = deps.fetchSecret ?? fetchFromSecretsManager;
  return loadConfig(env, await readSecretOnce(fetchSecret, secretsId, secretRegion(secretsId, env)));
}

/** Every secret value in the config, revealed, for the log scrubber: `createLogger({ secrets })`. */
export function secretValuesOf(config: Config): string[] {
  const values = new Set<string>();
  const visit = (value: unknown): void => {
    if (value instanceof Secret) values.add(value.reveal());
    else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) visit(v);
  };
  visit(config);
  return [...values];
}
