/**
 * The process, the store and Slack: how Hikeshi runs, where it keeps its state, where it posts (variables.ts).
 */
import * as z from '../domain/zod.js';
import { DEFAULT_PHONE_REGION } from '../domain/phone.js';
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
  type VariableSpec,
} from './fields.js';

export const CORE_VARIABLES = {
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
  WEB_CONCURRENCY: {
    schema: z.optional(integer(1, 64, 'a whole number of processes from 1 to 64')),
    description:
      'HTTP worker processes on PORT (node:cluster). Default: the number of cores in production, 1 in local mode (the emulator runs in one process) and on Lambda. Background work (scheduler, task consumer, Slack publisher, Socket Mode) runs once, in the primary.',
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
} as const satisfies Record<string, VariableSpec>;
