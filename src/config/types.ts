/**
 * The validated configuration (`Config`) that loadConfig (load.ts) builds from the variables (variables.ts).
 */
import type { Severity } from '../domain/alert.js';
import type { LogLevel } from '../logger.js';
import type { TableNames } from '../store/tables.js';
import type { Secret } from './secret.js';

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
  /**
   * HTTP worker processes (WEB_CONCURRENCY): more than one forks them with node:cluster (src/cluster.ts); the
   * primary keeps the background work and the embedded store.
   */
  webConcurrency: number;
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
