/**
 * What the HTTP routes check and where webhook tasks go: API tokens, SNS topics, job reports, metrics, GitHub/GitLab and the task queue (variables.ts).
 */
import * as z from '../domain/zod.js';
import { Invalid, got, field, text, oneOf, integer, baseUrl, secret, type VariableSpec } from './fields.js';

export const INGRESS_VARIABLES = {
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
