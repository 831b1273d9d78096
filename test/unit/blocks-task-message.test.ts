import type { ActionsBlock, Button, HeaderBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  BODY_EXCERPT_MAX,
  buildTaskMessage,
  TaskBlockIds,
  TaskButtonLabels,
} from '../../src/blocks/task-message.js';
import { findBlockKitViolations } from '../../src/blocks/limits.js';
import { itemReference, type Task } from '../../src/domain/git-task.js';
import { Actions } from '../../src/blocks/ids.js';

const github: Task = {
  id: 'github:Codertocat/Hello-World#1:d-1',
  source: 'github',
  kind: 'issue',
  repo: 'Codertocat/Hello-World',
  number: 1,
  title: 'Spelling error in the README file',
  body: "It looks like you accidently spelled 'commit' with two 't's.",
  url: 'https://github.com/Codertocat/Hello-World/issues/1',
  labels: ['coding agent', 'bug'],
  author: 'Codertocat',
  received_at: '2026-01-02T03:04:05.000Z',
};

const gitlabMr: Task = {
  ...github,
  id: 'gitlab:gitlabhq/gitlab-test!1:uuid',
  source: 'gitlab',
  kind: 'merge_request',
  repo: 'gitlabhq/gitlab-test',
  title: 'MS-Viewport',
  body: '',
  url: 'http://example.com/diaspora/merge_requests/1',
  labels: [],
  author: 'root',
};

const text = (message: ReturnType<typeof buildTaskMessage>) => JSON.stringify(message);

describe('buildTaskMessage', () => {
  it('renders a GitHub issue', () => {
    expect(buildTaskMessage(github)).toMatchSnapshot();
  });

  it('renders a GitLab merge request with its own reference syntax and no description', () => {
    const message = buildTaskMessage(gitlabMr);
    expect((message.blocks[0] as HeaderBlock).text.text).toBe('🦊 gitlabhq/gitlab-test!1 MS-Viewport');
    expect(text(message)).toContain('GitLab merge request');
    expect(text(message)).toContain('_No description._');
    expect(message.text).toContain('http://example.com/diaspora/merge_requests/1');
  });

  it('has the two buttons, valued with the task id', () => {
    const actions = buildTaskMessage(github).blocks.find((b): b is ActionsBlock => b.type === 'actions');
    expect(actions?.block_id).toBe(TaskBlockIds.actions);
    expect((actions?.elements as Button[]).map((b) => [b.text.text, b.action_id, b.value])).toEqual([
      [TaskButtonLabels.watching, Actions.taskWatch, github.id],
      [TaskButtonLabels.toBedrockAgent, Actions.taskAnalyze, github.id],
    ]);
  });

  it('stays within Block Kit limits and keeps sender text inert, however hostile', () => {
    const hostile: Task = {
      ...github,
      title: `<!channel> ${'T'.repeat(5000)}`,
      body: `<https://evil.example|your bank> &amp; ${'x\n'.repeat(5000)}`,
      labels: Array.from({ length: 200 }, (_, i) => `label <${i}>`),
      author: '<@U0ALICE01>',
      url: 'javascript:alert(1)',
    };
    const message = buildTaskMessage(hostile);
    expect(findBlockKitViolations({ kind: 'message', ...message })).toEqual([]);
    // Plain text (the header) is never parsed by Slack; everything that is mrkdwn must be escaped.
    const mrkdwn: string[] = [message.text];
    JSON.stringify(message.blocks, (_key, value: unknown) => {
      const node = value as { type?: unknown; text?: unknown } | null;
      if (node?.type === 'mrkdwn' && typeof node.text === 'string') mrkdwn.push(node.text);
      return value;
    });
    const all = mrkdwn.join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil.example');
    expect(all).not.toContain('<@U0ALICE01>');
    expect(all).not.toContain('<javascript:');
    const body = message.blocks.find((b) => b.block_id === TaskBlockIds.body);
    expect(JSON.stringify(body).length).toBeLessThan(BODY_EXCERPT_MAX * 2 + 5000);
  });
});

describe('itemReference', () => {
  it('uses # for issues and GitHub pull requests, ! for GitLab merge requests', () => {
    expect(itemReference(github)).toBe('Codertocat/Hello-World#1');
    expect(itemReference({ ...github, kind: 'merge_request' })).toBe('Codertocat/Hello-World#1');
    expect(itemReference(gitlabMr)).toBe('gitlabhq/gitlab-test!1');
    expect(itemReference({ ...gitlabMr, kind: 'issue' })).toBe('gitlabhq/gitlab-test#1');
  });
});
