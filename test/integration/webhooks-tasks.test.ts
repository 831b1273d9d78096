/**
 * Issue 5 end to end, over the real wire: signed GitHub examples and GitLab documentation examples are POSTed to
 * the running app, go through the real RabbitMQ (a queue of this file's own), and reach the Slack emulator and
 * local fakes of the GitHub / GitLab comment APIs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TEAM } from '../../src/local-slack.js';
import { Actions } from '../../src/blocks/ids.js';
import { startFakeGitHub, startFakeGitLab, type FakeGitHost } from '../fakes/git-hosts.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs, type LogCapture } from '../helpers/log-capture.js';
import {
  deleteTaskTopology,
  drainQueue,
  messageCount,
  publishRaw,
  uniqueQueueName,
} from '../helpers/rabbitmq.js';
import {
  buttonsOf,
  githubExample,
  gitlabFixture,
  postGitHub,
  postGitLab,
  renumbered,
  taskMessages,
} from '../helpers/webhooks.js';

const SECRET = 'github-webhook-secret-for-tests';
const GITLAB_TOKEN = 'gitlab-project-hook-token';
const GITLAB_SYSTEM_TOKEN = 'gitlab-system-hook-token';

let h: TestHikeshi;
let logs: LogCapture;
let github: FakeGitHost;
let gitlab: FakeGitHost;
const queue = uniqueQueueName();

beforeAll(async () => {
  github = await startFakeGitHub({ token: 'ghp_test_token' });
  gitlab = await startFakeGitLab({ token: 'glpat-test-token' });
  logs = captureLogs();
  h = await startHikeshi({
    logger: logs.logger,
    env: {
      QUEUE: 'rabbitmq',
      TASK_QUEUE: queue,
      TASK_MAX_ATTEMPTS: '3',
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITLAB_WEBHOOK_TOKEN: GITLAB_TOKEN,
      GITLAB_SYSTEM_HOOK_TOKEN: GITLAB_SYSTEM_TOKEN,
      GITHUB_TOKEN: 'ghp_test_token',
      GITHUB_API_URL: github.url,
      GITLAB_TOKEN: 'glpat-test-token',
      GITLAB_URL: gitlab.url,
    },
    overrides: {
      taskQueue: { retryDelayMs: 20, maxRetryDelayMs: 100, connectionName: `hikeshi-test-${queue}` },
      slackPacing: { minUpdateIntervalMs: 0, channelPostIntervalMs: 0 },
    },
  });
  expect(await h.app.tasks.queue.ready()).toBe(true);
});

afterAll(async () => {
  await h.close();
  await Promise.all([github.close(), gitlab.close()]);
  await deleteTaskTopology(queue);
});

/** A fresh GitHub item number per test, so the per-item dedup never folds two tests together. */
let nextNumber = 100;
const issue = (number = nextNumber++) => renumbered(githubExample('issues', 'labeled'), number);

describe('POST /webhook/github', () => {
  it('turns issues.labeled into a Slack message with the link and both buttons, and comments the permalink', async () => {
    const payload = issue(1);
    const sent = await postGitHub(h.baseUrl, SECRET, 'issues', payload);
    expect(sent).toMatchObject({ status: 202, body: { queued: true } });
    const taskId = `github:Codertocat/Hello-World#1:${sent.delivery}`;
    expect(sent.body['task']).toBe(taskId);

    await expect.poll(() => github.comments.length, { timeout: 5000 }).toBe(1);
    const [message] = taskMessages(h.emulator).filter((m) => m.text.includes('Hello-World#1:'));
    expect(message).toBeDefined();
    if (message === undefined) return;
    expect(message.text).toContain('https://github.com/Codertocat/Hello-World/issues/1');
    expect(JSON.stringify(message.blocks)).toContain('<https://github.com/Codertocat/Hello-World/issues/1|');
    expect(JSON.stringify(message.blocks)).toContain('Spelling error in the README file');
    expect(buttonsOf(message)).toEqual([
      { text: 'Watching', action_id: Actions.taskWatch, value: taskId },
      { text: 'To Bedrock Agent', action_id: Actions.taskAnalyze, value: taskId },
    ]);

    const permalink = `https://${LOCAL_TEAM.domain}.slack.com/archives/C0ALERTS1/p${message.ts.replace('.', '')}`;
    expect(github.comments[0]).toMatchObject({
      repo: 'Codertocat/Hello-World',
      number: 1,
      body: `Hikeshi received this task: ${permalink}`,
    });
    expect(logs.text()).toContain('Received GitHub webhook: event=issues, action=labeled');
    expect(logs.text()).toContain('Label matched: coding agent');
    expect(logs.text()).toContain('Task queued successfully');
  });

  it('turns pull_request.labeled into a task too', async () => {
    const sent = await postGitHub(
      h.baseUrl,
      SECRET,
      'pull_request',
      githubExample('pull_request', 'labeled'),
    );
    expect(sent.status).toBe(202);
    await expect.poll(() => github.comments.filter((c) => c.number === 2).length, { timeout: 5000 }).toBe(1);
    const message = taskMessages(h.emulator).find((m) => m.text.includes('Hello-World#2'));
    expect(message?.text).toContain('https://github.com/Codertocat/Hello-World/pull/2');
    expect(buttonsOf(message!).map((b) => b.text)).toEqual(['Watching', 'To Bedrock Agent']);
  });

  it('refuses a wrong or missing signature with 401 and queues nothing', async () => {
    const before = h.emulator.workspace.postCalls().length;
    const payload = issue();
    const wrong = await postGitHub(h.baseUrl, 'not-the-secret', 'issues', payload);
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid signature' } });
    const missing = await postGitHub(h.baseUrl, SECRET, 'issues', payload, { signature: '' });
    expect(missing).toMatchObject({ status: 401, body: { error: 'missing X-Hub-Signature-256' } });
    expect(await messageCount(queue)).toBe(0);
    // The same item, signed properly, is still new: the rejected requests claimed nothing.
    const good = await postGitHub(h.baseUrl, SECRET, 'issues', payload);
    expect(good.status).toBe(202);
    await expect.poll(() => h.emulator.workspace.postCalls().length - before, { timeout: 5000 }).toBe(1);
  });

  it('processes a redelivery (same X-GitHub-Delivery) once', async () => {
    const payload = issue();
    const first = await postGitHub(h.baseUrl, SECRET, 'issues', payload);
    const again = await postGitHub(h.baseUrl, SECRET, 'issues', payload, { delivery: first.delivery });
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 200, body: { duplicate: true }, delivery: first.delivery });
    const number = (payload['issue'] as { number: number }).number;
    await expect
      .poll(() => github.comments.filter((c) => c.number === number).length, { timeout: 5000 })
      .toBe(1);
    expect(taskMessages(h.emulator).filter((m) => m.text.includes(`Hello-World#${number}:`))).toHaveLength(1);
  });

  it('makes one task of an issue opened with the label (opened, then labeled)', async () => {
    const number = nextNumber++;
    const opened = renumbered(githubExample('issues', 'opened'), number);
    const a = await postGitHub(h.baseUrl, SECRET, 'issues', opened);
    const b = await postGitHub(
      h.baseUrl,
      SECRET,
      'issues',
      renumbered(githubExample('issues', 'labeled'), number),
    );
    expect(a.status).toBe(202);
    expect(b).toMatchObject({
      status: 200,
      body: { duplicate: true, item: `github:Codertocat/Hello-World#${number}` },
    });
    await expect
      .poll(() => github.comments.filter((c) => c.number === number).length, { timeout: 5000 })
      .toBe(1);
  });

  it('answers ping, ignores other events and labels with a reason, and refuses malformed payloads', async () => {
    expect(
      await postGitHub(h.baseUrl, SECRET, 'ping', { zen: 'Keep it logically awesome.', hook_id: 1 }),
    ).toMatchObject({
      status: 200,
      body: { pong: true },
    });
    const push = await postGitHub(h.baseUrl, SECRET, 'push', { ref: 'refs/heads/main' });
    expect(push).toMatchObject({ status: 200, body: { ignored: 'event push is not handled' } });
    const otherLabel = await postGitHub(
      h.baseUrl,
      SECRET,
      'issues',
      githubExample('issues', 'labeled', 'bug'),
    );
    expect(otherLabel).toMatchObject({ status: 200, body: { ignored: 'label bug is not coding agent' } });
    expect(logs.text()).toContain('Ignoring GitHub webhook: label bug is not coding agent');
    const broken = await postGitHub(h.baseUrl, SECRET, 'issues', {
      action: 'labeled',
      issue: { number: 'x' },
    });
    expect(broken.status).toBe(400);
    expect(String(broken.body['error'])).toContain('malformed issues payload');
  });
});

describe('POST /webhook/gitlab and /webhook/gitlab/system', () => {
  it('turns the documented issue and merge request hooks into tasks and notes the permalink', async () => {
    const issueHook = await postGitLab(
      `${h.baseUrl}/webhook/gitlab`,
      GITLAB_TOKEN,
      'Issue Hook',
      gitlabFixture('issue'),
    );
    const mrHook = await postGitLab(
      `${h.baseUrl}/webhook/gitlab`,
      GITLAB_TOKEN,
      'Merge Request Hook',
      gitlabFixture('merge-request'),
    );
    expect(issueHook).toMatchObject({ status: 202, body: { queued: true } });
    expect(mrHook).toMatchObject({ status: 202, body: { queued: true } });
    expect(issueHook.body['task']).toBe(`gitlab:gitlabhq/gitlab-test#23:${issueHook.delivery}`);

    await expect.poll(() => gitlab.comments.length, { timeout: 5000 }).toBe(2);
    const notes = [...gitlab.comments].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(notes.map((n) => [n.repo, n.kind, n.number])).toEqual([
      ['gitlabhq/gitlab-test', 'issue', 23],
      ['gitlabhq/gitlab-test', 'merge_request', 1],
    ]);
    for (const note of notes)
      expect(note.body).toMatch(/^Hikeshi received this task: https:\/\/.+\/archives\/C0ALERTS1\/p\d+$/);
    const mr = taskMessages(h.emulator).find((m) => m.text.includes('gitlab-test!1'));
    expect(mr?.text).toContain('http://example.com/diaspora/merge_requests/1');
    expect(buttonsOf(mr!).map((b) => b.text)).toEqual(['Watching', 'To Bedrock Agent']);
  });

  it('needs the matching token on each path, and a redelivery (same Idempotency-Key) is processed once', async () => {
    const payload = gitlabFixture('issue');
    (payload['object_attributes'] as Record<string, unknown>)['iid'] = 99;
    const url = `${h.baseUrl}/webhook/gitlab`;
    expect((await postGitLab(url, 'wrong', 'Issue Hook', payload)).status).toBe(401);
    expect((await postGitLab(url, GITLAB_SYSTEM_TOKEN, 'Issue Hook', payload)).status).toBe(401);
    expect((await postGitLab(`${url}/system`, GITLAB_TOKEN, 'System Hook', payload)).status).toBe(401);
    expect(await messageCount(queue)).toBe(0);

    const first = await postGitLab(`${url}/system`, GITLAB_SYSTEM_TOKEN, 'System Hook', payload);
    const retry = await postGitLab(`${url}/system`, GITLAB_SYSTEM_TOKEN, 'System Hook', payload, {
      idempotencyKey: first.delivery,
    });
    expect(first.status).toBe(202);
    expect(retry).toMatchObject({ status: 200, body: { duplicate: true } });
    await expect.poll(() => gitlab.comments.filter((c) => c.number === 99).length, { timeout: 5000 }).toBe(1);
  });
});

describe('the consumer', () => {
  it('dead-letters a poison message while the others still flow', async () => {
    await publishRaw(queue, Buffer.from('{"not":"a task"'), { contentType: 'application/json' });
    const numbers = [nextNumber++, nextNumber++, nextNumber++];
    for (const n of numbers)
      expect((await postGitHub(h.baseUrl, SECRET, 'issues', issue(n))).status).toBe(202);
    await expect
      .poll(() => github.comments.filter((c) => numbers.includes(c.number)).length, { timeout: 5000 })
      .toBe(3);
    await expect.poll(() => messageCount(`${queue}.dead`), { timeout: 5000 }).toBe(1);
    const [dead] = await drainQueue(`${queue}.dead`);
    expect(String(dead?.headers['x-error'])).toMatch(/^poison message: not JSON/);
  });

  it('resumes after a transient comment failure without posting twice, and notes a permanent one in the thread', async () => {
    const transient = nextNumber++;
    github.failNext(1, 502);
    expect((await postGitHub(h.baseUrl, SECRET, 'issues', issue(transient))).status).toBe(202);
    await expect
      .poll(() => github.comments.filter((c) => c.number === transient).length, { timeout: 5000 })
      .toBe(1);
    expect(taskMessages(h.emulator).filter((m) => m.text.includes(`Hello-World#${transient}:`))).toHaveLength(
      1,
    );

    const permanent = nextNumber++;
    github.failNext(1, 404);
    expect((await postGitHub(h.baseUrl, SECRET, 'issues', issue(permanent))).status).toBe(202);
    const find = () => taskMessages(h.emulator).find((m) => m.text.includes(`Hello-World#${permanent}:`));
    await expect.poll(find, { timeout: 5000 }).toBeDefined();
    const posted = find();
    await expect
      .poll(() => h.emulator.workspace.thread('C0ALERTS1', posted!.ts).map((m) => m.text), { timeout: 5000 })
      .toEqual([
        posted!.text,
        expect.stringContaining(`Could not comment on Codertocat/Hello-World#${permanent}`),
      ]);
    expect(github.comments.filter((c) => c.number === permanent)).toHaveLength(0);
  });
});
