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
import { AppError, ErrorCode } from './errors.js';
import type { LogLevel } from './logger.js';
import type { Severity } from './domain/alert.js';
import { resolveTableNames, type TableNames } from './store/tables.js';
import { REDACTED, Secret } from './config/secret.js';
import { SPECS, envSchema, type ParsedEnv, type VariableName } from './config/variables.js';
import { crossFieldProblems, type Problem } from './config/rules.js';

export { Secret } from './config/secret.js';
export { CONFIG_VARIABLES, type ConfigVariable } from './config/variables.js';

export type SlackMode = 'emulator' | 'socket' | 'http';

/** The local broker `AMQP_URL` defaults to (RabbitMQ's own guest account, which only accepts localhost). */
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  onLambda: boolean;
  /**
   * NODE_ENV is not production and the process is not on Lambda: the only mode with local conveniences (the
   * Slack emulator, the ingress's development credentials, an open /metrics, the in-process task queue fallback).
   * Outside it the configuration must name real Slack credentials (src/config/rules.ts).
   */
  localMode: boolean;
  /** Lambda: slow work goes to this function (asynchronous invoke) instead of running in-process. */
  workerFunctionName?: string;
  port: number;
  /** A stop (SIGTERM) takes at most this long; the Slack backlog left is finished by the next start. */
  shutdownGraceSeconds: number;
  logLevel: LogLevel;
  logFormat: 'json' | 'pretty';
  dataDir: string;
  store: 'embedded' | 'dynamodb';
  awsRegion: string;
  tables: TableNames;
  slack: {
    /** emulator: no bot token (local mode only); socket: bot + app token; http: bot token + signing secret. */
    mode: SlackMode;
    botToken?: Secret;
    appToken?: Secret;
    signingSecret?: Secret;
    /** Always ends in `/api/`. */
    apiUrl?: string;
    alertChannel: string;
    /** DIGEST_AFTER: incidents a minute with their own message before a storm digest; 0: no digests. */
    digestAfter: number;
  };
  respondersGroupId: string;
  /** ONCALL_CONFIG: the on-call file's path (src/config/oncall/load.ts reads it); unset: the flat list only. */
  oncallConfigPath?: string;
  /** DEFAULT_PHONE_REGION: numbers typed without a country code are this region's (issue 19). */
  defaultPhoneRegion: string;
  historyTtlDays: number;
  /** REOPEN_WINDOW_MINUTES. */
  reopenWindowMinutes: number;
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

/**
 * Local mode without a Slack token: the local Slack emulator runs, and with it the development conveniences
 * (documented local credentials for unset route secrets, SNS from any topic, an open /metrics, the local phone).
 * Never true in production or on Lambda: there a missing Slack token is a configuration error.
 */
export function usesLocalEmulator(config: Pick<Config, 'localMode' | 'slack'>): boolean {
  return config.localMode && config.slack.mode === 'emulator';
}

// ---------------------------------------------------------------------------------------------------------

/** Trimmed value, or undefined for unset, empty and blank strings. */
function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
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
    localMode: e.NODE_ENV !== 'production' && !onLambda,
    ...opt('workerFunctionName', e.WORKER_FUNCTION_NAME),
    port: e.PORT,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
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
      digestAfter: e.DIGEST_AFTER,
    },
    respondersGroupId: e.RESPONDERS_GROUP_ID,
    ...opt('oncallConfigPath', e.ONCALL_CONFIG),
    defaultPhoneRegion: e.DEFAULT_PHONE_REGION,
    historyTtlDays: e.HISTORY_TTL_DAYS,
    reopenWindowMinutes: e.REOPEN_WINDOW_MINUTES,
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
