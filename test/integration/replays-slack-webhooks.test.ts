/**
 * Issue 11, R2 (first half): every event delivered three times has exactly one effect.
 * - Slack Events API over HTTP: the same event_callback (same event_id) delivered, then redelivered with
 *   X-Slack-Retry-Num 1 and 2 (reason http_timeout), as Slack does when it thinks the first was lost:
 *   one reply per mention.
 * - GitHub: each delivery sent three times with the same X-GitHub-Delivery: one task, one Slack message.
 * - GitLab: each hook sent three times with the same Idempotency-Key: one task, one Slack message.
 * 500 events, 1 500 deliveries. The other 500 events are in replays-alerts-jobs-calls.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback } from '@hikeshi/slack-emulator';
import { LOCAL_APP } from '../../src/local-slack.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { inBatches, tally } from '../helpers/replay.js';
import {
  githubExample,
  gitlabFixture,
  postGitHub,
  postGitLab,
  renumbered,
  taskMessages,
} from '../helpers/webhooks.js';

const CHANNEL = 'C0ALERTS1';
const GITHUB_SECRET = 'replay-github-secret-1c4e';
const GITLAB_TOKEN = 'replay-gitlab-token-93ab';
const MENTIONS = 100;
const GITHUB_EVENTS = 250;
const GITLAB_EVENTS = 150;

let h: TestHikeshi;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  h = await startHikeshi({
    transport: 'http',
    env: { GITHUB_WEBHOOK_SECRET: GITHUB_SECRET, GITLAB_WEBHOOK_TOKEN: GITLAB_TOKEN },
    overrides: {
      slackPacing: { minUpdateIntervalMs: 0, channelPostIntervalMs: 0, updatesPerMinute: 60_000 },
    },
  });
  // Over HTTP nothing else starts the in-process task consumer.
  await h.app.start();
});

afterAll(async () => {
  await h.close();
  console.log('R2 replays (Slack, GitHub, GitLab):', JSON.stringify(figures));
});

describe('Slack, GitHub and GitLab redeliveries', () => {
  it('a Slack event delivered three times (X-Slack-Retry-Num 1, 2) is answered once', async () => {
    const started = Date.now();
    const mentions = await inBatches(
      Array.from({ length: MENTIONS }, (_, i) => i),
      10,
      async (i) => {
        const text = `<@${LOCAL_APP.botUserId}> replay ${i}`;
        const message = h.emulator.workspace.postMessage({ channel: CHANNEL, user: 'U0ALICE01', text });
        const payload = eventCallback(
          h.emulator.workspace,
          {
            client_msg_id: `replay-${i}`,
            type: 'app_mention',
            text,
            user: 'U0ALICE01',
            ts: message.ts,
            team: message.team,
            channel: CHANNEL,
            event_ts: message.ts,
          },
          Math.floor(Date.now() / 1000),
        );
        const statuses: number[] = [];
        for (const retryAttempt of [undefined, 1, 2]) {
          const result = await h.emulator.actions.send('events_api', payload, {
            ...(retryAttempt === undefined ? {} : { retryAttempt, retryReason: 'http_timeout' }),
          });
          statuses.push(result.transport === 'http' ? result.status : 0);
        }
        return { ts: message.ts, statuses };
      },
    );
    expect(mentions.flatMap((m) => m.statuses).every((s) => s === 200)).toBe(true);
    const replies = (ts: string) =>
      h.emulator.workspace.thread(CHANNEL, ts).filter((m) => m.user === LOCAL_APP.botUserId).length;
    await expect
      .poll(() => mentions.filter((m) => replies(m.ts) >= 1).length, { timeout: 10_000 })
      .toBe(MENTIONS);
    await new Promise((resolve) => setTimeout(resolve, 200)); // a late duplicate would show by now
    expect(mentions.map((m) => replies(m.ts))).toEqual(Array.from({ length: MENTIONS }, () => 1));
    figures['slack'] = {
      events: MENTIONS,
      deliveries: MENTIONS * 3,
      replies: MENTIONS,
      ms: Date.now() - started,
    };
  });

  it('GitHub redeliveries (same X-GitHub-Delivery) and GitLab retries (same Idempotency-Key) make one task each', async () => {
    const started = Date.now();
    const before = taskMessages(h.emulator).length;
    const github = await inBatches(
      Array.from({ length: GITHUB_EVENTS }, (_, i) => i),
      16,
      async (i) => {
        const payload = renumbered(githubExample('issues', 'labeled'), 5000 + i);
        const first = await postGitHub(h.baseUrl, GITHUB_SECRET, 'issues', payload);
        const again = [
          await postGitHub(h.baseUrl, GITHUB_SECRET, 'issues', payload, { delivery: first.delivery }),
          await postGitHub(h.baseUrl, GITHUB_SECRET, 'issues', payload, { delivery: first.delivery }),
        ];
        return [first.status, ...again.map((r) => (r.body['duplicate'] === true ? 'duplicate' : r.status))];
      },
    );
    const gitlab = await inBatches(
      Array.from({ length: GITLAB_EVENTS }, (_, i) => i),
      16,
      async (i) => {
        const payload = gitlabFixture('issue');
        const attrs = payload['object_attributes'] as Record<string, unknown>;
        attrs['iid'] = 7000 + i;
        attrs['url'] = `http://example.com/diaspora/issues/${7000 + i}`;
        const url = `${h.baseUrl}/webhook/gitlab`;
        const first = await postGitLab(url, GITLAB_TOKEN, 'Issue Hook', payload);
        const again = [
          await postGitLab(url, GITLAB_TOKEN, 'Issue Hook', payload, { idempotencyKey: first.delivery }),
          await postGitLab(url, GITLAB_TOKEN, 'Issue Hook', payload, { idempotencyKey: first.delivery }),
        ];
        return [first.status, ...again.map((r) => (r.body['duplicate'] === true ? 'duplicate' : r.status))];
      },
    );
    for (const answers of [...github, ...gitlab]) expect(answers).toEqual([202, 'duplicate', 'duplicate']);

    const total = GITHUB_EVENTS + GITLAB_EVENTS;
    await expect.poll(() => taskMessages(h.emulator).length - before, { timeout: 20_000 }).toBe(total);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const perItem = tally(taskMessages(h.emulator).slice(before), (m) => m.text);
    expect(perItem.size).toBe(total);
    expect([...perItem.values()].every((n) => n === 1)).toBe(true);
    figures['webhooks'] = {
      github: GITHUB_EVENTS,
      gitlab: GITLAB_EVENTS,
      deliveries: total * 3,
      tasks: perItem.size,
      ms: Date.now() - started,
    };
  }, 60_000);
});
