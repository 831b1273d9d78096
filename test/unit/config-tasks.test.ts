/** The issue 5 settings: webhooks, queue, task channel and the comment tokens. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_AMQP_URL, loadConfig, secretValuesOf } from '../../src/config/index.js';

describe('task settings', () => {
  it('default to the local broker, the coding agent label and the alert channel', () => {
    const config = loadConfig({ SLACK_ALERT_CHANNEL: 'incidents' });
    expect(config.tasks).toEqual({
      label: 'coding agent',
      queue: 'hikeshi.tasks',
      maxAttempts: 5,
      slackChannel: 'incidents',
    });
    expect(config.github).toEqual({ apiUrl: 'https://api.github.com' });
    expect(config.gitlab).toEqual({ url: 'https://gitlab.com' });
    expect(DEFAULT_AMQP_URL).toBe('amqp://guest:guest@127.0.0.1:5672');
  });

  it('reads every variable, holding the secrets as secrets', () => {
    const config = loadConfig({
      GITHUB_WEBHOOK_SECRET: 'gh-hook',
      GITLAB_WEBHOOK_TOKEN: 'gl-hook',
      GITLAB_SYSTEM_HOOK_TOKEN: 'gl-system',
      GITHUB_TOKEN: 'ghp_x',
      GITLAB_TOKEN: 'glpat-x',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      GITLAB_URL: 'https://gitlab.example.com/',
      TASK_LABEL: 'AI please',
      QUEUE: 'memory',
      AMQP_URL: 'amqps://user:pw@b-1.mq.ap-northeast-1.amazonaws.com:5671',
      TASK_QUEUE: 'tasks',
      TASK_MAX_ATTEMPTS: '3',
      SLACK_TASK_CHANNEL: 'C0TASKS01',
    });
    expect(config.github.apiUrl).toBe('https://ghe.example.com/api/v3');
    expect(config.gitlab.url).toBe('https://gitlab.example.com');
    expect(config.tasks).toMatchObject({
      label: 'AI please',
      queueMode: 'memory',
      queue: 'tasks',
      maxAttempts: 3,
      slackChannel: 'C0TASKS01',
    });
    expect(config.tasks.amqpUrl?.reveal()).toBe('amqps://user:pw@b-1.mq.ap-northeast-1.amazonaws.com:5671');
    expect(JSON.stringify(config)).not.toContain('pw@');
    expect(secretValuesOf(config).sort()).toEqual(
      [
        'gh-hook',
        'gl-hook',
        'gl-system',
        'ghp_x',
        'glpat-x',
        'amqps://user:pw@b-1.mq.ap-northeast-1.amazonaws.com:5671',
      ].sort(),
    );
  });

  it('names bad values without quoting a secret', () => {
    expect(() =>
      loadConfig({ AMQP_URL: 'http://user:hunter2@mq', QUEUE: 'kafka', TASK_MAX_ATTEMPTS: '0' }),
    ).toThrow(
      /AMQP_URL: expected a value starting with amqp:\/\/ or amqps:\/\/ \(value not shown\)[\s\S]*TASK_MAX_ATTEMPTS/,
    );
    try {
      loadConfig({ AMQP_URL: 'http://user:hunter2@mq' });
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});
