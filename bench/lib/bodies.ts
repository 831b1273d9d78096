/**
 * Request bodies for the load generator. Each request gets its own body where the benchmark needs distinct
 * work (a fresh alert, a fresh job run, a fresh GitHub issue); building one costs microseconds, so the load
 * generator stays far ahead of the server.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { BodySpec } from './load-spec.js';

export interface PreparedRequest {
  body?: string;
  headers: Record<string, string>;
}

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}

/** GitHub's own `issues.labeled` example, labelled `label`, with `__NUMBER__` where the issue number goes. */
function githubIssueTemplate(label: string): string {
  const require = createRequire(import.meta.url);
  const definitions = require('@octokit/webhooks-examples/api.github.com/index.json') as WebhookDefinition[];
  const example = definitions.find((d) => d.name === 'issues')?.examples.find((e) => e.action === 'labeled');
  if (example === undefined) throw new Error('no issues.labeled example');
  const issue = example['issue'] as Record<string, unknown>;
  const copy = {
    ...example,
    issue: {
      ...issue,
      number: '__NUMBER__',
      html_url: String(issue['html_url']).replace(/\/\d+$/, '/__NUMBER__'),
    },
  };
  return JSON.stringify(copy)
    .replaceAll('"name":"bug"', `"name":${JSON.stringify(label)}`)
    .replaceAll('"__NUMBER__"', '__NUMBER__');
}

/** A function that makes the next request's body and headers. */
export function bodyMaker(spec: BodySpec): () => PreparedRequest {
  const run = randomBytes(4).toString('hex');
  let n = 0;
  const json = { 'content-type': 'application/json' };
  switch (spec.kind) {
    case 'none':
      return () => ({ headers: {} });
    case 'static':
      return () => ({
        body: spec.text,
        headers: { 'content-type': spec.contentType ?? 'application/json' },
      });
    case 'alert-distinct':
      return () => {
        n += 1;
        return {
          headers: json,
          body: JSON.stringify({
            title: `Bench alert ${n}`,
            severity: 'warning',
            source: 'bench',
            dedup_key: `${spec.prefix}-${run}-${n}`,
          }),
        };
      };
    case 'alert-storm': {
      const sources = ['grafana', 'alertmanager', 'cloudwatch'];
      const names = ['DiskFull', 'Http5xx', 'HighLatency', 'PodCrashLooping', 'NodeNotReady'];
      return () => {
        n += 1;
        const alertname = names[n % names.length] ?? 'Alert';
        return {
          headers: json,
          body: JSON.stringify({
            title: `${alertname} on host ${spec.prefix}-${n}`,
            severity: 'warning',
            source: sources[n % sources.length],
            dedup_key: `${spec.prefix}-${run}-${n}`,
            details: { alertname, instance: `host-${n}` },
          }),
        };
      };
    }
    case 'alert-rotate': {
      const bodies = Array.from({ length: spec.fingerprints }, (_, i) =>
        JSON.stringify({
          title: `Storm ${i + 1}`,
          severity: 'warning',
          source: 'bench',
          dedup_key: `${spec.prefix}-${i + 1}`,
        }),
      );
      return () => {
        n += 1;
        return { headers: json, body: bodies[n % bodies.length] ?? '' };
      };
    }
    case 'job-report':
      return () => {
        n += 1;
        return {
          headers: json,
          body: JSON.stringify({
            job_key: `${spec.prefix}-${run}-${n % spec.jobs}`,
            title: `Bench job ${n % spec.jobs}`,
            status: 'success',
            finished_at: new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(),
            message: `run ${n}`,
          }),
        };
      };
    case 'github-issue': {
      const template = githubIssueTemplate(spec.label);
      // Issue numbers unique to this run (the item claim lasts an hour), then signed like GitHub signs.
      const base = Number.parseInt(run.slice(0, 6), 16) * 1000;
      return () => {
        n += 1;
        const body = template.replaceAll('__NUMBER__', String(base + n));
        const signature = `sha256=${createHmac('sha256', spec.secret).update(body).digest('hex')}`;
        return {
          body,
          headers: {
            ...json,
            'x-github-event': 'issues',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': signature,
          },
        };
      };
    }
  }
}
