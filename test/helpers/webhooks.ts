/**
 * Real webhook requests for tests: @octokit/webhooks-examples payloads signed with the real `sign()`, GitLab's
 * documentation examples with `X-Gitlab-Token`, and a look at what reached Slack.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import type { SlackEmulator, StoredMessage } from '@hikeshi/slack-emulator';
import { fixture } from '../fixtures/index.js';

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}
const require = createRequire(import.meta.url);
const definitions = require('@octokit/webhooks-examples/api.github.com/index.json') as WebhookDefinition[];

/** The first `event.action` example, with every `bug` label renamed to `label`. */
export function githubExample(
  event: string,
  action: string,
  label = 'coding agent',
): Record<string, unknown> {
  const found = definitions.find((d) => d.name === event)?.examples.find((e) => e.action === action);
  if (found === undefined) throw new Error(`no ${event}.${action} example`);
  return JSON.parse(
    JSON.stringify(found).replaceAll('"name":"bug"', `"name":${JSON.stringify(label)}`),
  ) as Record<string, unknown>;
}

/** The example with its issue / pull request renumbered (a distinct item per number). */
export function renumbered(payload: Record<string, unknown>, number: number): Record<string, unknown> {
  const copy = structuredClone(payload);
  for (const key of ['issue', 'pull_request']) {
    const item = copy[key] as Record<string, unknown> | undefined;
    if (item === undefined) continue;
    item['number'] = number;
    item['html_url'] = String(item['html_url']).replace(/\/\d+$/, `/${number}`);
  }
  if (typeof copy['number'] === 'number') copy['number'] = number;
  return copy;
}

export interface SentWebhook {
  status: number;
  body: Record<string, unknown>;
  delivery: string;
}

export async function postGitHub(
  baseUrl: string,
  secret: string,
  event: string,
  payload: unknown,
  options: { delivery?: string; signature?: string } = {},
): Promise<SentWebhook> {
  const body = JSON.stringify(payload);
  const delivery = options.delivery ?? randomUUID();
  const res = await fetch(`${baseUrl}/webhook/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-hub-signature-256': options.signature ?? (await sign(secret, body)),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, delivery };
}

export function gitlabFixture(kind: 'issue' | 'merge-request'): Record<string, unknown> {
  return fixture(`gitlab-${kind}-hook.json`) as Record<string, unknown>;
}

export async function postGitLab(
  url: string,
  token: string,
  event: string,
  payload: unknown,
  options: { idempotencyKey?: string } = {},
): Promise<SentWebhook> {
  const delivery = options.idempotencyKey ?? randomUUID();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitLab/17.0.0',
      'x-gitlab-event': event,
      'x-gitlab-token': token,
      'x-gitlab-event-uuid': randomUUID(),
      'idempotency-key': delivery,
    },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, delivery };
}

/** Task messages (top level, posted with the `hikeshi_task` metadata) in a channel. */
export function taskMessages(emulator: SlackEmulator, channel = 'C0ALERTS1'): StoredMessage[] {
  return emulator.workspace
    .messages(channel)
    .filter((m) => m.metadata?.['event_type'] === 'hikeshi_task' && (m.thread_ts ?? m.ts) === m.ts);
}

/** Every button `{text, action_id, value}` of a message. */
export function buttonsOf(message: StoredMessage): { text: string; action_id: string; value: string }[] {
  return message.blocks
    .filter((b) => b['type'] === 'actions')
    .flatMap((b) => b['elements'] as Record<string, unknown>[])
    .map((e) => ({
      text: String((e['text'] as Record<string, unknown>)['text']),
      action_id: String(e['action_id']),
      value: String(e['value']),
    }));
}
