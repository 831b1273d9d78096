/**
 * "Send a test alert" on the emulator page: four sample signals, each sent to the app's own public endpoint
 * exactly as an outside sender would (same headers, same credentials, a GitHub signature computed over the
 * raw body), so the page exercises the real ingress path rather than a shortcut into the services.
 */
import { createHmac, randomUUID } from 'node:crypto';

export type TestAlertKind = 'generic' | 'alertmanager' | 'job' | 'github';

export interface TestAlert {
  id: TestAlertKind;
  label: string;
  description: string;
}

export interface TestAlertCredentials {
  /** ALERTS_API_TOKEN, or the local default. */
  alertsToken: string;
  /** JOB_REPORT_SECRET, or the local default. */
  jobReportSecret: string;
  /** GITHUB_WEBHOOK_SECRET, or the local default. */
  githubSecret: string;
  /** TASK_LABEL (`coding agent`). */
  taskLabel: string;
}

export interface TestAlertRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export const TEST_ALERTS: readonly TestAlert[] = [
  {
    id: 'generic',
    label: 'Generic alert',
    description: 'POST /api/alerts: checkout API error rate (error)',
  },
  {
    id: 'alertmanager',
    label: 'Alertmanager group',
    description: 'POST /api/alerts/alertmanager: disks filling up on two nodes (critical, warning)',
  },
  {
    id: 'job',
    label: 'Failed job report',
    description: 'POST /api/monitor/job-report: the nightly billing export failed',
  },
  {
    id: 'github',
    label: 'GitHub issue “coding agent”',
    description: 'POST /webhook/github: an issue labelled for the coding agent, signed',
  },
];

export function isTestAlertKind(id: string): id is TestAlertKind {
  return TEST_ALERTS.some((alert) => alert.id === id);
}

const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': 'hikeshi-emulator-page' };

/** The request a real sender of `kind` would make; `now` makes timestamps and keys unique per click. */
export function testAlertRequest(
  kind: TestAlertKind,
  credentials: TestAlertCredentials,
  now: Date = new Date(),
): TestAlertRequest {
  const iso = now.toISOString();
  switch (kind) {
    case 'generic':
      return {
        path: '/api/alerts',
        headers: { ...JSON_HEADERS, authorization: `Bearer ${credentials.alertsToken}` },
        body: JSON.stringify({
          title: 'Checkout API error rate above 5%',
          message: 'HTTP 5xx ratio 7.3% over the last 5 minutes on checkout-api (p95 latency 2.4 s).',
          severity: 'error',
          source: 'grafana',
          details: { service: 'checkout-api', region: 'ap-northeast-1', error_rate: '7.3%' },
          links: [{ title: 'Dashboard', url: 'https://grafana.example.com/d/checkout' }],
        }),
      };
    case 'alertmanager':
      return {
        path: '/api/alerts/alertmanager',
        headers: { ...JSON_HEADERS, authorization: `Bearer ${credentials.alertsToken}` },
        body: JSON.stringify(alertmanagerGroup(iso)),
      };
    case 'job':
      return {
        path: '/api/monitor/job-report',
        headers: { ...JSON_HEADERS, 'x-tc-portal-webhook-secret': credentials.jobReportSecret },
        body: JSON.stringify({
          job_key: 'billing-export',
          title: 'Nightly billing export',
          status: 'error',
          finished_at: iso,
          message: 'psycopg2.OperationalError: could not connect to server: Connection timed out',
        }),
      };
    case 'github': {
      const body = JSON.stringify(githubIssueLabelled(credentials.taskLabel, now));
      return {
        path: '/webhook/github',
        headers: {
          ...JSON_HEADERS,
          'user-agent': 'GitHub-Hookshot/emulator',
          'x-github-event': 'issues',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${createHmac('sha256', credentials.githubSecret).update(body).digest('hex')}`,
        },
        body,
      };
    }
  }
}

function alertmanagerGroup(startsAt: string): Record<string, unknown> {
  const alert = (instance: string, severity: string, free: number) => ({
    status: 'firing',
    labels: { alertname: 'NodeFilesystemAlmostFull', instance, job: 'node', mountpoint: '/', severity },
    annotations: {
      summary: `Disk ${100 - free}% full on ${instance}`,
      description: `Filesystem / on ${instance} has only ${free}% available space left.`,
      runbook_url: 'https://runbooks.example.com/node/NodeFilesystemAlmostFull',
    },
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes',
    fingerprint: instance === 'db-1:9100' ? '1a30ba71cca2921f' : 'c6eadffa33fcdf37',
  });
  return {
    version: '4',
    groupKey: '{}:{alertname="NodeFilesystemAlmostFull"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'hikeshi',
    groupLabels: { alertname: 'NodeFilesystemAlmostFull' },
    commonLabels: { alertname: 'NodeFilesystemAlmostFull', job: 'node', mountpoint: '/' },
    commonAnnotations: { runbook_url: 'https://runbooks.example.com/node/NodeFilesystemAlmostFull' },
    externalURL: 'http://alertmanager.example.com:9093',
    alerts: [alert('db-1:9100', 'critical', 4), alert('db-2:9100', 'warning', 18)],
  };
}

function githubIssueLabelled(label: string, now: Date): Record<string, unknown> {
  // A new issue number per click, so each click is a new task rather than a repeat of the last one.
  const number = 100 + (Math.floor(now.getTime() / 1000) % 9000);
  const repository = {
    id: 1296269,
    name: 'shop',
    full_name: 'example/shop',
    private: false,
    html_url: 'https://github.com/example/shop',
    owner: { login: 'example', id: 1, type: 'Organization' },
  };
  const user = { login: 'alice', id: 583231, type: 'User' };
  const codingAgent = { id: 208045946, name: label, color: '5319e7', default: false };
  return {
    action: 'labeled',
    issue: {
      number,
      title: 'Checkout page shows a blank cart after login',
      body: 'Steps: log in with items in the cart → the cart is empty. Started after the 2.14 release.',
      html_url: `https://github.com/example/shop/issues/${number}`,
      state: 'open',
      user,
      labels: [{ id: 1, name: 'bug', color: 'd73a4a', default: true }, codingAgent],
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    },
    label: codingAgent,
    repository,
    sender: user,
  };
}

/** Sends a test alert to the app at `appUrl`; resolves to a line for the page, rejects with one. */
export async function sendTestAlert(
  appUrl: string,
  kind: TestAlertKind,
  credentials: TestAlertCredentials,
  fetchFn: typeof fetch = fetch,
): Promise<string> {
  const request = testAlertRequest(kind, credentials);
  const response = await fetchFn(new URL(request.path, appUrl), {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status === 404) throw new Error(`POST ${request.path} is not available in this build yet`);
  if (!response.ok)
    throw new Error(`POST ${request.path} answered ${response.status}: ${text.slice(0, 300)}`);
  return `POST ${request.path} → ${response.status}`;
}
