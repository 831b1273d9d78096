/**
 * Every setting Hikeshi reads, one entry each: its schema, its key in the SECRETS_ID secret, whether it is a
 * secret, its default and its description. src/config.ts validates the environment against `envSchema`, and
 * the same list is the README's table (`CONFIG_VARIABLES`, `npm run docs:config`). To add a setting: one entry
 * here, one field in `Config` and one line in `toConfig` (src/config.ts).
 */
import * as z from '../domain/zod.js';
import { SEVERITIES } from '../domain/alert.js';
import { DEFAULT_PHONE_REGION, isE164 } from '../domain/phone.js';
import { TABLE_DEFINITIONS, TABLE_IDS } from '../store/tables.js';
import {
  Invalid,
  got,
  field,
  text,
  oneOf,
  integer,
  baseUrl,
  slackApiUrl,
  secret,
  logLevel,
} from './fields.js';

export interface VariableSpec {
  readonly schema: z.ZodMiniType<unknown, string | undefined>;
  readonly secretKey?: string;
  readonly secret?: true;
  readonly default?: string;
  readonly description: string;
}

export const VARIABLES = {
  NODE_ENV: {
    schema: oneOf(['production', 'development', 'test']),
    default: 'development',
    description:
      'production, development or test. Anything but production, off Lambda, is local mode (README, "Local mode and production").',
  },
  AWS_LAMBDA_FUNCTION_NAME: {
    schema: z.optional(text),
    description:
      'Set by AWS Lambda; its presence means Lambda mode: production rules whatever NODE_ENV says, JSON logs, DynamoDB store.',
  },
  WORKER_FUNCTION_NAME: {
    schema: z.optional(text),
    description:
      'On Lambda: the worker function slow work (analysis, reports, notices) is handed to by asynchronous invoke. Unset: it runs in-process.',
  },
  PORT: {
    schema: integer(0, 65535, 'an integer from 0 to 65535'),
    default: '3000',
    description: 'HTTP port of the local server; 0 picks a free one.',
  },
  SHUTDOWN_GRACE_SECONDS: {
    schema: integer(1, 3_600, 'a whole number of seconds from 1 to 3600'),
    default: '10',
    description:
      'On SIGTERM/SIGINT the process exits within this: accepted signals are stored first, Slack posts and edits still queued then are finished by the next start.',
  },
  PUBLIC_URL: {
    schema: z.optional(baseUrl),
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
    schema: z.optional(oneOf(['json', 'pretty'])),
    description: 'json or pretty. Default: json in production or on Lambda, pretty otherwise.',
  },
  DATA_DIR: { schema: text, default: '.data', description: 'Where the embedded store keeps its files.' },
  STORE: {
    schema: z.optional(oneOf(['embedded', 'dynamodb'])),
    description: 'embedded (local dynalite) or dynamodb. Default: dynamodb on Lambda, embedded otherwise.',
  },
  AWS_REGION: {
    schema: z.optional(text),
    description: 'AWS region of every AWS client. Default: AWS_DEFAULT_REGION.',
  },
  AWS_DEFAULT_REGION: {
    schema: text,
    default: 'us-east-1',
    description: 'AWS region when AWS_REGION is unset.',
  },
  SECRETS_ID: {
    schema: z.optional(text),
    description: 'Secrets Manager secret (name or ARN): a JSON object holding the secret keys of this table.',
  },
  SLACK_BOT_TOKEN: {
    schema: z.optional(secret(['xoxb-', 'xoxp-'])),
    secretKey: 'slack_token',
    secret: true,
    description: 'Bot token (xoxb-…). Unset: the local Slack emulator in local mode; required in production.',
  },
  SLACK_APP_TOKEN: {
    schema: z.optional(secret(['xapp-'])),
    secretKey: 'slack_app_token',
    secret: true,
    description: 'App-level token (xapp-…): Socket Mode. Needs SLACK_BOT_TOKEN.',
  },
  SLACK_SIGNING_SECRET: {
    schema: z.optional(secret()),
    secretKey: 'slack_signing_secret',
    secret: true,
    description:
      'Verifies Slack HTTP requests; required in HTTP mode (bot token without app token), so always on Lambda.',
  },
  SLACK_API_URL: {
    schema: z.optional(slackApiUrl),
    description: 'Slack Web API base URL ending in /api/, e.g. an emulator. Default: Slack itself.',
  },
  SLACK_ALERT_CHANNEL: { schema: text, default: 'alerts', description: 'Channel incidents are posted to.' },
  // Issue 20: storms of distinct alerts.
  DIGEST_AFTER: {
    schema: integer(0, 1_000, 'a whole number from 0 to 1000'),
    default: '5',
    description:
      'New incidents a minute with a message each; the rest of a storm share one digest message a minute (README, Storms). 0: no digests.',
  },
  RESPONDERS_GROUP_ID: {
    schema: text,
    default: 'default',
    description: 'Responders group called on escalation.',
  },
  // Issue 18: on-call schedules, escalation policies and routes (examples/oncall.yaml).
  ONCALL_CONFIG: {
    schema: z.optional(text),
    description:
      'Path of the on-call YAML file (schedules, escalation policies, routes; see examples/oncall.yaml). Unset: every incident pages the flat responders list.',
  },
  // Issue 19: phone numbers typed in Slack without a country code are read as this region's national numbers.
  DEFAULT_PHONE_REGION: {
    // Two letters here; libphonenumber-js (only where numbers are typed) knows which regions exist.
    schema: field((value) =>
      /^[A-Za-z]{2}$/.test(value.trim())
        ? value.trim().toUpperCase()
        : new Invalid(`expected a two-letter region code such as JP or US, ${got(value)}`),
    ),
    default: DEFAULT_PHONE_REGION,
    description:
      'Region (ISO 3166-1 alpha-2) of phone numbers typed without a country code in /oncall phone and /oncall add, e.g. 090-1234-5678 in JP.',
  },
  HISTORY_TTL_DAYS: {
    schema: integer(1, 36_500, 'a positive whole number of days'),
    default: '30',
    description: 'Days call history and job report history are kept (DynamoDB TTL).',
  },
  // Issue 20: an alert firing again this soon after its incident was resolved reopens it.
  REOPEN_WINDOW_MINUTES: {
    schema: integer(0, 10_080, 'a whole number of minutes from 0 to 10080'),
    default: '60',
    description:
      'An alert that fires again within this many minutes after its incident was resolved reopens it; later, a new incident links the last one. 0: never reopen.',
  },
  // Issue 7: phone escalation through Amazon Connect (seed: connect-outbound-caller.md).
  CONNECT_INSTANCE_REGION: {
    schema: z.optional(text),
    description:
      'Region of the Amazon Connect instance. The four CONNECT_* ids: all or none (none: no phone).',
  },
  CONNECT_INSTANCE_ID: { schema: z.optional(text), description: 'Amazon Connect instance id.' },
  CONNECT_CONTACT_FLOW_ID: {
    schema: z.optional(text),
    description: 'Id of the imported Hikeshi contact flow (docs/connect-contact-flow.json).',
  },
  CONNECT_SOURCE_PHONE: {
    schema: z.optional(
      field((value) =>
        isE164(value)
          ? value
          : new Invalid('expected an E.164 number claimed in the instance, e.g. +815012345678'),
      ),
    ),
    description: 'Caller number (E.164) claimed in the Connect instance.',
  },
  CONNECT_CALLBACK_TOKEN: {
    schema: z.optional(secret()),
    secretKey: 'connect_callback_token',
    secret: true,
    description:
      'Bearer token of POST /api/connect/contact-flow; required with CONNECT_INSTANCE_ID in production off Lambda (the Lambda handler needs none).',
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
    schema: z.optional(baseUrl),
    secretKey: 'wiki_url',
    description: 'Confluence URL, e.g. https://example.atlassian.net/wiki.',
  },
  WIKI_USER: { schema: z.optional(text), secretKey: 'wiki_user', description: 'Confluence user (email).' },
  WIKI_API_KEY: {
    schema: z.optional(secret()),
    secretKey: 'wiki_api_key',
    secret: true,
    description: 'Confluence API token.',
  },
  CONFLUENCE_SPACE: { schema: z.optional(text), description: 'Confluence space key reports are written to.' },
  CONFLUENCE_PARENT_ID: {
    schema: z.optional(text),
    description: 'Confluence page id reports are created under.',
  },
  BEDROCK_AGENT_ID: {
    schema: z.optional(text),
    secretKey: 'bedrock_agent',
    description: 'Bedrock Agent id.',
  },
  BEDROCK_AGENT_ALIAS_ID: {
    schema: z.optional(text),
    secretKey: 'bedrock_agent_alias',
    description: 'Bedrock Agent alias id.',
  },
  CHATWORK_API_TOKEN: {
    schema: z.optional(secret()),
    secretKey: 'CHATWORK_API_TOKEN',
    secret: true,
    description: 'Chatwork API token for error notices.',
  },
  CHATWORK_ROOM_ID: {
    schema: z.optional(
      field((value) =>
        /^\d+$/.test(value)
          ? value
          : new Invalid(`expected a numeric room id (the digits after rid), ${got(value)}`),
      ),
    ),
    secretKey: 'CHATWORK_ROOM_ID',
    description: 'Chatwork room id (the digits after rid in the room URL).',
  },
  CHATWORK_API_URL: {
    schema: baseUrl,
    default: 'https://api.chatwork.com/v2',
    description: 'Chatwork API base URL.',
  },
  ALERTS_API_TOKEN: {
    schema: z.optional(secret()),
    secretKey: 'alerts_api_token',
    secret: true,
    description:
      'Bearer token POST /api/alerts, /api/alerts/alertmanager and /api/alerts/cloudwatch-logs require.',
  },
  EVENTS_V2_ROUTING_KEY: {
    schema: z.optional(secret()),
    secret: true,
    description:
      'routing_key PagerDuty Events v2 senders must use (/api/alerts/events-v2). Default: ALERTS_API_TOKEN.',
  },
  SNS_TOPIC_ARNS: {
    schema: z.optional(
      field((value) => {
        const arns = value
          .split(',')
          .map((arn) => arn.trim())
          .filter((arn) => arn !== '');
        const bad = arns.find(
          (arn) => arn !== '*' && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w.-]+$/.test(arn),
        );
        if (arns.length > 0 && bad === undefined) return arns;
        return new Invalid(`expected SNS topic ARNs separated by commas, or *, ${got(bad ?? value)}`);
      }),
    ),
    description:
      'Comma-separated SNS topic ARNs /api/alerts/sns accepts, or * for any. Unset: any with the local emulator, none otherwise.',
  },
  JOB_REPORT_SECRET: {
    schema: z.optional(secret()),
    secretKey: 'job_report_secret',
    secret: true,
    description: 'X-TC-Portal-Webhook-Secret value POST /api/monitor/job-report requires.',
  },
  METRICS_TOKEN: {
    schema: z.optional(secret()),
    secret: true,
    description:
      'Bearer token GET /metrics requires (Prometheus scrape authorization). Unset: open with the local emulator, refused otherwise.',
  },
  JOB_TICK_SECONDS: {
    schema: integer(1, 86_400, 'a whole number of seconds from 1 to 86400'),
    default: '60',
    description: 'How often the in-process scheduler checks for missed job runs (and other timed work).',
  },
  // Issue 5: GitHub / GitLab webhooks → task queue → Slack.
  GITHUB_WEBHOOK_SECRET: {
    schema: z.optional(secret()),
    secretKey: 'github_webhook_secret',
    secret: true,
    description: 'Secret of the GitHub webhook; POST /webhook/github verifies X-Hub-Signature-256 with it.',
  },
  GITLAB_WEBHOOK_TOKEN: {
    schema: z.optional(secret()),
    secretKey: 'gitlab_webhook_token',
    secret: true,
    description: 'Secret token of GitLab project webhooks (X-Gitlab-Token on POST /webhook/gitlab).',
  },
  GITLAB_SYSTEM_HOOK_TOKEN: {
    schema: z.optional(secret()),
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
    schema: z.optional(oneOf(['rabbitmq', 'memory'])),
    description:
      'Task queue: rabbitmq (AMQP_URL) or memory (in-process, lost on restart). Unset: rabbitmq; in local mode, npm start uses memory if the broker is unreachable.',
  },
  AMQP_URL: {
    schema: z.optional(secret(['amqp://', 'amqps://'])),
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
    schema: z.optional(text),
    description: 'Channel tasks are posted to. Default: SLACK_ALERT_CHANNEL.',
  },
  GITHUB_TOKEN: {
    schema: z.optional(secret()),
    secretKey: 'github_token',
    secret: true,
    description:
      'GitHub token for the "task received" comment on issues and PRs. Unset: no comment. In production it needs GITHUB_WEBHOOK_SECRET.',
  },
  GITHUB_API_URL: {
    schema: baseUrl,
    default: 'https://api.github.com',
    description: 'GitHub REST API URL; GitHub Enterprise Server: https://HOST/api/v3.',
  },
  GITLAB_TOKEN: {
    schema: z.optional(secret()),
    secretKey: 'gitlab_token',
    secret: true,
    description:
      'GitLab token (api scope) for the "task received" note on issues and MRs. Unset: no note. In production it needs a GitLab hook token.',
  },
  GITLAB_URL: { schema: baseUrl, default: 'https://gitlab.com', description: 'GitLab instance URL.' },
} as const satisfies Record<string, VariableSpec>;

export type VariableName = keyof typeof VARIABLES;
type Shape = { [K in VariableName]: (typeof VARIABLES)[K]['schema'] };

export const SPECS = Object.entries(VARIABLES) as [VariableName, VariableSpec][];
export const envSchema = z.object(
  Object.fromEntries(SPECS.map(([name, spec]) => [name, spec.schema])) as Shape,
);
export type ParsedEnv = z.output<typeof envSchema>;

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
