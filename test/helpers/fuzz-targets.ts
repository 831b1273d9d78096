/**
 * Every ingress route as a fuzz target (issue 11, R1): its method and path, a real valid body (the seed), and
 * how a sender authenticates, so a case can present the right credential, a wrong one, none, or one twice.
 * The app is configured with a distinct value for every credential (FUZZ_ENV).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { SnsEnvelope } from '../../src/domain/sources/cloudwatch-sns.js';
import { contactFlowEvent } from '../../src/domain/contact-flow.js';
import { startFakeSns, type FakeSns } from '../fakes/sns.js';
import { fixture } from '../fixtures/index.js';
import { awslogsEvent, dataMessage, isoAt, lines, requestIds } from './cloudwatch-logs.js';
import type { AuthMode } from './fuzz-inputs.js';
import { startHikeshi, type TestHikeshi } from './hikeshi.js';
import { watchSideEffects, type SideEffects } from './side-effects.js';
import { githubExample, gitlabFixture } from './webhooks.js';

export const SECRETS = {
  alerts: 'fuzz-alerts-token-3b9d',
  eventsV2: 'fuzz-routing-key-0c7e41aa',
  job: 'fuzz-job-secret-77f1',
  github: 'fuzz-github-secret-d2a0',
  gitlab: 'fuzz-gitlab-token-5e8c',
  gitlabSystem: 'fuzz-gitlab-system-9a41',
  connect: 'fuzz-connect-token-1f6b',
  metrics: 'fuzz-metrics-token-64cd',
} as const;

export const ALARM_TOPIC = 'arn:aws:sns:us-east-1:123456789012:cloudwatch-alarms';

export const FUZZ_ENV: Record<string, string> = {
  ALERTS_API_TOKEN: SECRETS.alerts,
  EVENTS_V2_ROUTING_KEY: SECRETS.eventsV2,
  JOB_REPORT_SECRET: SECRETS.job,
  GITHUB_WEBHOOK_SECRET: SECRETS.github,
  GITLAB_WEBHOOK_TOKEN: SECRETS.gitlab,
  GITLAB_SYSTEM_HOOK_TOKEN: SECRETS.gitlabSystem,
  CONNECT_CALLBACK_TOKEN: SECRETS.connect,
  METRICS_TOKEN: SECRETS.metrics,
  SNS_TOPIC_ARNS: ALARM_TOPIC,
};

/** The local SNS fake is trusted only through this test override (as in alerts-sns.test.ts). */
export const LOCAL_SNS_TRUST = { allowedHostPattern: /^127\.0\.0\.1:\d+$/, allowHttp: true };

export interface PreparedRequest {
  bytes: Buffer;
  headers: Record<string, string>;
}

export interface FuzzTarget {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** With `:param` segments, filled by the case. */
  path: string;
  /** A valid body; undefined for routes without one. */
  seed: unknown;
  /** Adds the credential (right, wrong, missing, twice…) for these bytes. */
  prepare(bytes: Buffer, auth: AuthMode): PreparedRequest;
}

/** `valid` → the value; otherwise a wrong, missing, empty, doubled or odd one. */
function credential(value: string, auth: AuthMode): string | undefined {
  switch (auth) {
    case 'valid':
      return value;
    case 'missing':
      return undefined;
    case 'wrong':
      return `${value.slice(0, -1)}x`;
    case 'duplicate':
      return `${value}, ${value}`;
    case 'empty':
      return '';
    case 'odd':
      return `\u0000${value}\u202E`;
  }
}

const withHeader = (name: string, value: string | undefined): Record<string, string> =>
  value === undefined ? {} : { [name]: value };

const bearer = (token: string) => (bytes: Buffer, auth: AuthMode) => {
  const value = credential(token, auth);
  return { bytes, headers: withHeader('authorization', value === undefined ? undefined : `Bearer ${value}`) };
};

/** Sets a top-level field of a JSON object body, or leaves other bodies alone. */
function setField(bytes: Buffer, field: string, value: unknown): Buffer {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return bytes;
    const copy: Record<string, unknown> = { ...(parsed as Record<string, unknown>) };
    if (value === undefined) Reflect.deleteProperty(copy, field);
    else copy[field] = value;
    return Buffer.from(JSON.stringify(copy), 'utf8');
  } catch {
    return bytes;
  }
}

export function buildFuzzTargets(deps: { sns: FakeSns; now: () => number }): FuzzTarget[] {
  const alerts = bearer(SECRETS.alerts);
  const eventsV2 = (bytes: Buffer, auth: AuthMode) => ({
    bytes:
      auth === 'valid' || auth === 'wrong' || auth === 'missing' || auth === 'empty'
        ? setField(bytes, 'routing_key', credential(SECRETS.eventsV2, auth))
        : setField(
            bytes,
            'routing_key',
            auth === 'duplicate' ? [SECRETS.eventsV2] : { key: SECRETS.eventsV2 },
          ),
    headers: {},
  });
  const gitlab = (token: string) => (bytes: Buffer, auth: AuthMode) => ({
    bytes,
    headers: {
      'x-gitlab-event': 'Issue Hook',
      'idempotency-key': randomUUID(),
      ...withHeader('x-gitlab-token', credential(token, auth)),
    },
  });
  const jobSecret = (bytes: Buffer, auth: AuthMode) => ({
    bytes,
    headers: withHeader('x-tc-portal-webhook-secret', credential(SECRETS.job, auth)),
  });
  const logsBatch = dataMessage({
    messages: [
      lines.start(requestIds[0] ?? ''),
      lines.nodeInvokeError(requestIds[0] ?? '', isoAt(2)),
      lines.pythonUncaught(),
      lines.timedOut(requestIds[1] ?? '', isoAt(3000)),
    ],
  });
  const snsSeed = (): SnsEnvelope =>
    deps.sns.sign({
      ...(fixture('sns-cloudwatch-alarm.json') as SnsEnvelope),
      Timestamp: new Date(deps.now()).toISOString(),
    });

  return [
    {
      name: 'health',
      method: 'GET',
      path: '/health',
      seed: undefined,
      prepare: (bytes) => ({ bytes, headers: {} }),
    },
    { name: 'metrics', method: 'GET', path: '/metrics', seed: undefined, prepare: bearer(SECRETS.metrics) },
    {
      name: 'reports',
      method: 'GET',
      path: '/reports/:token/INC-1.html',
      seed: undefined,
      prepare: (bytes) => ({ bytes, headers: {} }),
    },
    {
      name: 'alerts',
      method: 'POST',
      path: '/api/alerts',
      seed: {
        title: 'Payment API returns 502',
        message: 'upstream connect error',
        severity: 'critical',
        source: 'fuzz',
        details: { region: 'ap-northeast-1' },
        links: [{ title: 'Runbook', url: 'https://runbooks.example.com/payments' }],
      },
      prepare: alerts,
    },
    {
      name: 'alertmanager',
      method: 'POST',
      path: '/api/alerts/alertmanager',
      seed: fixture('alertmanager-firing.json'),
      prepare: alerts,
    },
    {
      name: 'sns',
      method: 'POST',
      path: '/api/alerts/sns',
      seed: snsSeed(),
      prepare(bytes, auth) {
        // The signature is the credential: `valid` re-signs whatever object the case made.
        if (auth !== 'valid') return { bytes, headers: {} };
        try {
          const parsed = JSON.parse(bytes.toString('utf8')) as SnsEnvelope;
          return { bytes: Buffer.from(JSON.stringify(deps.sns.sign(parsed)), 'utf8'), headers: {} };
        } catch {
          return { bytes, headers: {} };
        }
      },
    },
    {
      name: 'events-v2',
      method: 'POST',
      path: '/api/alerts/events-v2',
      seed: fixture('events-v2-trigger.json'),
      prepare: eventsV2,
    },
    {
      name: 'v2-enqueue',
      method: 'POST',
      path: '/v2/enqueue',
      seed: fixture('events-v2-trigger.json'),
      prepare: eventsV2,
    },
    // CloudWatch Logs deliveries: the envelope as sent, and the batch inside it (gzipped and wrapped after each
    // mutation, so the cases reach the decompressed JSON). Level 0 stores rather than compresses, so a body
    // keeps its size on the wire (the 1 MB limit tests rely on it); it is gzip all the same.
    {
      name: 'cloudwatch-logs',
      method: 'POST',
      path: '/api/alerts/cloudwatch-logs',
      seed: awslogsEvent(logsBatch),
      prepare: alerts,
    },
    {
      name: 'cloudwatch-logs-batch',
      method: 'POST',
      path: '/api/alerts/cloudwatch-logs',
      seed: logsBatch,
      prepare: (bytes, auth) =>
        alerts(
          Buffer.from(
            JSON.stringify({ awslogs: { data: gzipSync(bytes, { level: 0 }).toString('base64') } }),
          ),
          auth,
        ),
    },
    {
      name: 'job-report',
      method: 'POST',
      path: '/api/monitor/job-report',
      seed: {
        job_key: 'nightly-backup',
        title: 'Nightly backup',
        status: 'error',
        finished_at: '2026-01-01T03:00:00Z',
        message: 'pg_dump exited with 1',
      },
      prepare: jobSecret,
    },
    {
      name: 'job-schedule',
      method: 'PUT',
      path: '/api/monitor/jobs/:job_key',
      seed: { period_seconds: 3600, grace_seconds: 300 },
      prepare: jobSecret,
    },
    {
      name: 'job-get',
      method: 'GET',
      path: '/api/monitor/jobs/:job_key',
      seed: undefined,
      prepare: jobSecret,
    },
    {
      name: 'github',
      method: 'POST',
      path: '/webhook/github',
      seed: githubExample('issues', 'labeled'),
      prepare(bytes, auth) {
        const hmac = `sha256=${createHmac('sha256', SECRETS.github).update(bytes).digest('hex')}`;
        const signature =
          auth === 'valid'
            ? hmac
            : auth === 'wrong'
              ? `sha256=${createHmac('sha256', 'not-the-secret').update(bytes).digest('hex')}`
              : auth === 'duplicate'
                ? `${hmac}, ${hmac}`
                : auth === 'empty'
                  ? ''
                  : auth === 'odd'
                    ? `sha1=${hmac.slice(7)}`
                    : undefined;
        return {
          bytes,
          headers: {
            'x-github-event': 'issues',
            'x-github-delivery': randomUUID(),
            ...withHeader('x-hub-signature-256', signature),
          },
        };
      },
    },
    {
      name: 'gitlab',
      method: 'POST',
      path: '/webhook/gitlab',
      seed: gitlabFixture('issue'),
      prepare: gitlab(SECRETS.gitlab),
    },
    {
      name: 'gitlab-system',
      method: 'POST',
      path: '/webhook/gitlab/system',
      seed: gitlabFixture('issue'),
      prepare: gitlab(SECRETS.gitlabSystem),
    },
    {
      name: 'contact-flow',
      method: 'POST',
      path: '/api/connect/contact-flow',
      seed: contactFlowEvent({
        contactId: 'c0ffee00-0000-4000-8000-000000000001',
        attributes: { incidentId: 'INC-1', responderId: 'U0ALICE01', attempt: '1' },
        action: 'response',
        response: '1',
      }),
      prepare: bearer(SECRETS.connect),
    },
  ];
}

/** Hikeshi over HTTP with the fuzz settings, a fake SNS it trusts, a watch on its side effects, and every target. */
export interface FuzzHarness {
  sns: FakeSns;
  h: TestHikeshi;
  fx: SideEffects;
  targets: FuzzTarget[];
  close(): Promise<void>;
}

export async function startFuzzHarness(): Promise<FuzzHarness> {
  const sns = await startFakeSns();
  const h = await startHikeshi({
    transport: 'http',
    env: FUZZ_ENV,
    overrides: { sns: { trust: LOCAL_SNS_TRUST } },
  });
  return {
    sns,
    h,
    fx: watchSideEffects(h),
    targets: buildFuzzTargets({ sns, now: () => h.clock.now() }),
    close: async () => {
      await h.close();
      await sns.close();
    },
  };
}
