/**
 * Webhook → task mapping against real payloads: @octokit/webhooks-examples for GitHub, GitLab's documentation
 * examples (test/fixtures/gitlab-*.json) for GitLab.
 *
 * The GitLab fixtures are the "Issue events" / "Merge request events" payload examples from
 * https://docs.gitlab.com/user/project/integrations/webhook_events/ with three edits so they carry our label:
 * a `coding agent` label (id 207) added to `labels`, `object_attributes.labels` and `changes.labels.current`
 * (with `changes.labels.previous` left as the documented `[API]`), and `object_attributes.action` set to
 * `update` (a label change), where the docs show `open`.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { TaskSchema, taskFromGitHub, taskFromGitLab, type GitTaskResult } from '../../src/domain/git-task.js';
import { fixture } from '../fixtures/index.js';

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}
const require = createRequire(import.meta.url);
const definitions = require('@octokit/webhooks-examples/api.github.com/index.json') as WebhookDefinition[];

function examples(event: string, action?: string): Record<string, unknown>[] {
  const def = definitions.find((d) => d.name === event);
  if (def === undefined) throw new Error(`no examples for ${event}`);
  const found = def.examples.filter((e) => action === undefined || e.action === action);
  if (found.length === 0) throw new Error(`no ${event}.${action ?? ''} examples`);
  return structuredClone(found);
}

/** Renames every `bug` label in an example to `coding agent` (the examples only use `bug`). */
function relabel<T>(payload: T, from = 'bug', to = 'coding agent'): T {
  return JSON.parse(JSON.stringify(payload).replaceAll(`"name":"${from}"`, `"name":"${to}"`)) as T;
}

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const opts = { label: 'coding agent', now: NOW, deliveryId: 'd-1' };

function taskOf(result: GitTaskResult) {
  if (!('task' in result)) throw new Error(`expected a task, got ${JSON.stringify(result)}`);
  expect(TaskSchema.parse(result.task)).toEqual(result.task);
  return result.task;
}

describe('taskFromGitHub', () => {
  it('turns issues.labeled (relabelled to coding agent) into a task', () => {
    const payload = relabel(examples('issues', 'labeled')[0]);
    const task = taskOf(taskFromGitHub('issues', payload, opts));
    expect(task).toEqual({
      id: 'github:Codertocat/Hello-World#1:d-1',
      source: 'github',
      kind: 'issue',
      repo: 'Codertocat/Hello-World',
      number: 1,
      title: 'Spelling error in the README file',
      body: "It looks like you accidently spelled 'commit' with two 't's.",
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
      labels: ['coding agent'],
      author: 'Codertocat',
      received_at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('turns pull_request.labeled into a merge_request task', () => {
    const payload = relabel(examples('pull_request', 'labeled')[0]);
    const task = taskOf(taskFromGitHub('pull_request', payload, opts));
    expect(task).toMatchObject({
      id: 'github:Codertocat/Hello-World#2:d-1',
      kind: 'merge_request',
      number: 2,
      url: 'https://github.com/Codertocat/Hello-World/pull/2',
      title: 'Update the README with new information.',
    });
  });

  it('compares the label case-insensitively', () => {
    const payload = relabel(examples('issues', 'labeled')[0], 'bug', 'Coding Agent');
    expect('task' in taskFromGitHub('issues', payload, opts)).toBe(true);
  });

  it('makes the same id for a redelivery and a different one for another delivery', () => {
    const payload = relabel(examples('issues', 'labeled')[0]);
    const a = taskOf(taskFromGitHub('issues', payload, opts));
    const b = taskOf(taskFromGitHub('issues', payload, { ...opts, now: NOW + 60_000 }));
    const c = taskOf(taskFromGitHub('issues', payload, { ...opts, deliveryId: 'd-2' }));
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it('ignores another label', () => {
    const payload = examples('issues', 'labeled')[0];
    expect(taskFromGitHub('issues', payload, opts)).toEqual({ ignored: 'label bug is not coding agent' });
    expect(taskFromGitHub('pull_request', examples('pull_request', 'labeled')[0], opts)).toEqual({
      ignored: 'label bug is not coding agent',
    });
  });

  it('makes a task for opened items that already carry the label, with a null body as ""', () => {
    for (const [event, payloads] of [
      ['issues', examples('issues', 'opened')],
      ['pull_request', examples('pull_request', 'opened')],
    ] as const) {
      for (const payload of payloads) {
        const result = taskFromGitHub(event, relabel(payload), opts);
        const item = (payload.issue ?? payload.pull_request) as { labels: unknown[]; body: string | null };
        if (item.labels.length === 0) {
          expect(result).toEqual({ ignored: 'opened without label coding agent' });
        } else {
          expect(taskOf(result).body).toBe(item.body ?? '');
        }
      }
    }
  });

  it('ignores opened items without the label', () => {
    expect(taskFromGitHub('issues', examples('issues', 'opened')[0], opts)).toEqual({
      ignored: 'opened without label coding agent',
    });
  });

  it('ignores other actions, even with the label', () => {
    for (const action of ['unlabeled', 'edited', 'closed', 'assigned']) {
      for (const event of ['issues', 'pull_request']) {
        const all =
          definitions.find((d) => d.name === event)?.examples.filter((e) => e.action === action) ?? [];
        for (const payload of all) {
          expect(taskFromGitHub(event, relabel(payload), opts)).toEqual({
            ignored: `action ${event}.${action} is not handled`,
          });
        }
      }
    }
  });

  it('answers ping and ignores push and other events', () => {
    expect(taskFromGitHub('ping', examples('ping')[0], opts)).toEqual({ ping: true });
    expect(taskFromGitHub('push', examples('push')[0], opts)).toEqual({
      ignored: 'event push is not handled',
    });
    expect(taskFromGitHub('', {}, opts)).toEqual({ ignored: 'event (none) is not handled' });
  });

  it('explains a malformed payload instead of throwing', () => {
    const payload = relabel(examples('issues', 'labeled')[0]) as { issue: Record<string, unknown> };
    payload.issue.number = 'one';
    const result = taskFromGitHub('issues', payload, opts);
    expect(result).toMatchObject({ malformed: true });
    expect('ignored' in result && result.ignored).toMatch(/^malformed issues payload: issue\.number: /);

    expect(taskFromGitHub('issues', null, opts)).toMatchObject({ malformed: true });
    expect(taskFromGitHub('pull_request', { action: 'labeled' }, opts)).toMatchObject({
      ignored: expect.stringContaining('pull_request') as unknown,
      malformed: true,
    });
    expect(taskFromGitHub('issues', 'not an object', opts)).toMatchObject({ malformed: true });
  });
});

describe('taskFromGitLab', () => {
  const issueHook = () => fixture('gitlab-issue-hook.json') as Record<string, Record<string, unknown>>;
  const mrHook = () => fixture('gitlab-merge-request-hook.json') as Record<string, Record<string, unknown>>;
  const gl = { ...opts, deliveryId: '0b8e5b9e-2d4b-4f0c-9b35-9c3e3b0b7a11' };

  it('turns the documented Issue Hook with coding agent added into a task', () => {
    const task = taskOf(taskFromGitLab('Issue Hook', issueHook(), gl));
    expect(task).toEqual({
      id: 'gitlab:gitlabhq/gitlab-test#23:0b8e5b9e-2d4b-4f0c-9b35-9c3e3b0b7a11',
      source: 'gitlab',
      kind: 'issue',
      repo: 'gitlabhq/gitlab-test',
      number: 23,
      title: 'New API: create/update/delete file',
      body: 'Create new API for manipulations with repository',
      url: 'http://example.com/diaspora/issues/23',
      labels: ['API', 'coding agent'],
      author: 'root',
      received_at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('turns the documented Merge Request Hook into a task with a distinct id form', () => {
    const task = taskOf(taskFromGitLab('Merge Request Hook', mrHook(), gl));
    expect(task).toMatchObject({
      id: 'gitlab:gitlabhq/gitlab-test!1:0b8e5b9e-2d4b-4f0c-9b35-9c3e3b0b7a11',
      kind: 'merge_request',
      number: 1,
      title: 'MS-Viewport',
      body: '',
      url: 'http://example.com/diaspora/merge_requests/1',
    });
  });

  it('accepts the same payloads from a system hook', () => {
    expect('task' in taskFromGitLab('System Hook', issueHook(), gl)).toBe(true);
    expect('task' in taskFromGitLab('System Hook', mrHook(), gl)).toBe(true);
    expect(taskFromGitLab('System Hook', { object_kind: 'push' }, gl)).toEqual({
      ignored: 'object_kind push is not handled',
    });
  });

  it('ignores an update where the label was already there', () => {
    const payload = issueHook();
    const changes = payload.changes as { labels: { previous: unknown[]; current: unknown[] } };
    changes.labels.previous = changes.labels.current;
    expect(taskFromGitLab('Issue Hook', payload, gl)).toEqual({
      ignored: 'issue update did not add label coding agent',
    });
  });

  it('ignores the unmodified documentation example (API → Platform)', () => {
    const payload = issueHook();
    const platform = { id: 205, title: 'Platform' };
    const api = { id: 206, title: 'API' };
    payload.changes = { labels: { previous: [api], current: [platform] } };
    payload.labels = [api] as unknown as Record<string, unknown>;
    expect('ignored' in taskFromGitLab('Issue Hook', payload, gl)).toBe(true);
  });

  it('makes a task when an item is opened with the label (no label change recorded)', () => {
    const payload = mrHook();
    delete payload.changes;
    payload.object_attributes = { ...payload.object_attributes, action: 'open' };
    expect(taskOf(taskFromGitLab('Merge Request Hook', payload, gl)).kind).toBe('merge_request');
    payload.object_attributes = { ...payload.object_attributes, action: 'reopen' };
    expect('ignored' in taskFromGitLab('Merge Request Hook', payload, gl)).toBe(true);
  });

  it('ignores other events, mismatched kinds and confidential issue hooks', () => {
    expect(taskFromGitLab('Push Hook', { object_kind: 'push' }, gl)).toEqual({
      ignored: 'event Push Hook is not handled',
    });
    expect(taskFromGitLab('Issue Hook', mrHook(), gl)).toEqual({
      ignored: 'object_kind merge_request is not handled',
    });
    expect(taskFromGitLab('Confidential Issue Hook', issueHook(), gl)).toEqual({
      ignored: 'event Confidential Issue Hook is not handled',
    });
  });

  it('explains a malformed payload instead of throwing', () => {
    const payload = issueHook();
    delete payload.project;
    const result = taskFromGitLab('Issue Hook', payload, gl);
    expect(result).toMatchObject({ malformed: true });
    expect('ignored' in result && result.ignored).toMatch(/^malformed issue payload: project: /);
    expect(taskFromGitLab('Issue Hook', [], gl)).toMatchObject({ malformed: true });
  });
});
