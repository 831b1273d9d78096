/**
 * Unset webhook secrets (issue 5, ingress rules): with the local Slack emulator the documented local defaults
 * are accepted, with a warning logged once; in any other mode every webhook is refused with 401 naming the
 * variable to set, and nothing is queued or posted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs } from '../helpers/log-capture.js';
import { gitlabFixture, githubExample, postGitHub, postGitLab, taskMessages } from '../helpers/webhooks.js';

let h: TestHikeshi | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('webhook secrets that are not set', () => {
  it('accept local-dev-secret / local-dev-token with the emulator, and say so once', async () => {
    const logs = captureLogs();
    h = await startHikeshi({ logger: logs.logger });
    const app = h;
    expect(
      (await postGitHub(app.baseUrl, 'local-dev-secret', 'issues', githubExample('issues', 'labeled')))
        .status,
    ).toBe(202);
    const gitlab = await postGitLab(
      `${app.baseUrl}/webhook/gitlab`,
      'local-dev-token',
      'Issue Hook',
      gitlabFixture('issue'),
    );
    expect(gitlab.status).toBe(202);
    await expect.poll(() => taskMessages(app.emulator).length).toBe(2);
    const warnings = logs.lines().filter((l) => l.includes('is not set: accepting the local default'));
    const variables = warnings.map((l) => (JSON.parse(l) as { variable: string }).variable);
    expect(variables.filter((v) => /^GIT/.test(v)).sort()).toEqual([
      'GITHUB_WEBHOOK_SECRET',
      'GITLAB_SYSTEM_HOOK_TOKEN',
      'GITLAB_WEBHOOK_TOKEN',
    ]);
  });

  it('refuse every webhook with 401 outside emulator mode, naming the variable', async () => {
    // Tokens in the config make it a real-Slack configuration; the app still talks to the emulator.
    h = await startHikeshi({ env: { SLACK_BOT_TOKEN: 'xoxb-1-2-real', SLACK_APP_TOKEN: 'xapp-1-real' } });
    const github = await postGitHub(
      h.baseUrl,
      'local-dev-secret',
      'issues',
      githubExample('issues', 'labeled'),
    );
    expect(github).toMatchObject({ status: 401, body: { error: 'GITHUB_WEBHOOK_SECRET is not configured' } });
    for (const [path, variable] of [
      ['/webhook/gitlab', 'GITLAB_WEBHOOK_TOKEN'],
      ['/webhook/gitlab/system', 'GITLAB_SYSTEM_HOOK_TOKEN'],
    ] as const) {
      const res = await postGitLab(
        `${h.baseUrl}${path}`,
        'local-dev-token',
        'Issue Hook',
        gitlabFixture('issue'),
      );
      expect(res).toMatchObject({ status: 401, body: { error: `${variable} is not configured` } });
    }
    expect(h.emulator.workspace.postCalls()).toEqual([]);
  });
});
