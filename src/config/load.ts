import { availableParallelism } from 'node:os';
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
import { AppError, ErrorCode } from '../errors.js';
import { resolveTableNames } from '../store/tables.js';
import { REDACTED } from './secret.js';
import { SPECS, envSchema, type ParsedEnv, type VariableName } from './variables.js';
import { crossFieldProblems, type Problem } from './rules.js';
import type { Config } from './types.js';

/** Trimmed value, or undefined for unset, empty and blank strings. */
export function clean(value: string | undefined): string | undefined {
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
    // Lambda runs one request at a time per instance; `npm start` (local mode) stays one process unless asked.
    webConcurrency: onLambda
      ? 1
      : (e.WEB_CONCURRENCY ?? (e.NODE_ENV === 'production' ? availableParallelism() : 1)),
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
