/**
 * Issue 11, R6: every flow run with a known, distinctive value for every secret — alerts in all four formats, a
 * job report, GitHub and GitLab webhooks with commenting, the Slack commands and buttons (the on-call list with
 * phone numbers), a phone escalation through Connect to "nobody answered", its Chatwork notices, the contact-flow
 * callback, a metrics scrape, and refused requests carrying wrong credentials. Then no secret, and no full phone
 * number, appears in: the logs (captured at trace level with NO scrubber values, so only the code's own care
 * counts; phone masking is part of every logger), any Slack Web API call, any Chatwork message, any HTTP answer.
 * The Bedrock and Confluence keys are covered the same way by analysis-secrets.test.ts.
 */
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, startFakeGitLab, type FakeGitHost } from '../fakes/git-hosts.js';
import { post } from '../helpers/alerts.js';
import { ALICE, BOB, SECOND, respond, startPhoneFakes, type PhoneFakes } from '../helpers/escalation.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs, type LogCapture } from '../helpers/log-capture.js';
import { openIncident } from '../helpers/open-incident.js';
import { githubExample, gitlabFixture, postGitLab, renumbered } from '../helpers/webhooks.js';
import { fixture } from '../fixtures/index.js';
import { Actions } from '../../src/blocks/ids.js';

const SECRETS = {
  ALERTS_API_TOKEN: 'S3CRET-alerts-5b1e9d',
  EVENTS_V2_ROUTING_KEY: 'S3CRET-routing-77c0aa',
  JOB_REPORT_SECRET: 'S3CRET-job-4410fe',
  GITHUB_WEBHOOK_SECRET: 'S3CRET-ghhook-0d9c21',
  GITLAB_WEBHOOK_TOKEN: 'S3CRET-glhook-6e2b7f',
  GITLAB_SYSTEM_HOOK_TOKEN: 'S3CRET-glsys-19ad03',
  GITHUB_TOKEN: 'ghp_S3CRETgithubtoken0123456789abcd',
  GITLAB_TOKEN: 'glpat-S3CRETgitlabtoken012345',
  METRICS_TOKEN: 'S3CRET-metrics-a83c55',
};
const CAROL_PHONE = '+819012340003';
const CHANNEL = 'C0ALERTS1';

let fakes: PhoneFakes;
let github: FakeGitHost;
let gitlab: FakeGitHost;
let logs: LogCapture;
let h: TestHikeshi;
const answers: string[] = [];

beforeAll(async () => {
  [fakes, github, gitlab] = await Promise.all([
    startPhoneFakes(),
    startFakeGitHub({ token: SECRETS.GITHUB_TOKEN }),
    startFakeGitLab({ token: SECRETS.GITLAB_TOKEN }),
  ]);
  logs = captureLogs(); // no secrets registered: the scrubber cannot help
  h = await startHikeshi({
    logger: logs.logger,
    env: {
      ...fakes.env,
      ...SECRETS,
      ESCALATION_ROUNDS: '1',
      GITHUB_API_URL: github.url,
      GITLAB_URL: gitlab.url,
      SNS_TOPIC_ARNS: '*',
    },
  });
  await h.app.services.oncall.replace([ALICE, BOB]);
});

afterAll(async () => {
  await h.close();
  await Promise.all([fakes.close(), github.close(), gitlab.close()]);
});

/** Posts and remembers the answer text. */
async function send(path: string, body: unknown, options: Parameters<typeof post>[2] = {}) {
  const response = await post(`${h.baseUrl}${path}`, body, options);
  answers.push(JSON.stringify(response.body));
  return response;
}

describe('no secret and no full phone number anywhere', () => {
  it('after every flow', async () => {
    // Alerts, right and wrong credentials.
    const alert = {
      title: 'Secrets drill',
      severity: 'error',
      message: 'page the on-call if it persists',
    };
    await send('/api/alerts', alert, { token: SECRETS.ALERTS_API_TOKEN });
    await send('/api/alerts', alert, { token: `${SECRETS.ALERTS_API_TOKEN}x` });
    await send('/api/alerts/alertmanager', fixture('alertmanager-firing.json'), {
      token: SECRETS.ALERTS_API_TOKEN,
    });
    const v2 = fixture('events-v2-trigger.json') as Record<string, unknown>;
    await send('/v2/enqueue', { ...v2, routing_key: SECRETS.EVENTS_V2_ROUTING_KEY });
    await send('/v2/enqueue', { ...v2, routing_key: `${SECRETS.EVENTS_V2_ROUTING_KEY}x` });
    // Jobs.
    const report = {
      job_key: 'secrets-drill',
      title: 'Drill',
      status: 'error',
      finished_at: '2026-01-01T00:00:00Z',
      message: 'exit 1',
    };
    await send('/api/monitor/job-report', report, {
      headers: { 'x-tc-portal-webhook-secret': SECRETS.JOB_REPORT_SECRET },
    });
    await send('/api/monitor/job-report', report, {
      headers: { 'x-tc-portal-webhook-secret': 'nope-nope-nope' },
    });
    // Webhooks, commented on with the GitHub and GitLab tokens.
    const issue = JSON.stringify(renumbered(githubExample('issues', 'labeled'), 4242));
    const gh = await fetch(`${h.baseUrl}/webhook/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': 'secrets-drill-1',
        'x-hub-signature-256': await sign(SECRETS.GITHUB_WEBHOOK_SECRET, issue),
      },
      body: issue,
    });
    answers.push(await gh.text());
    answers.push(
      JSON.stringify(
        (
          await postGitLab(
            `${h.baseUrl}/webhook/gitlab`,
            SECRETS.GITLAB_WEBHOOK_TOKEN,
            'Issue Hook',
            gitlabFixture('issue'),
          )
        ).body,
      ),
    );
    answers.push(
      JSON.stringify(
        (
          await postGitLab(
            `${h.baseUrl}/webhook/gitlab/system`,
            'wrong-token-xyz',
            'Issue Hook',
            gitlabFixture('issue'),
          )
        ).body,
      ),
    );
    await expect.poll(() => github.comments.length + gitlab.comments.length, { timeout: 10_000 }).toBe(2);

    // Slack: the on-call list with a phone number, buttons.
    await h.emulator.actions.runCommand({
      userId: 'U0CAROL01',
      channelId: CHANNEL,
      command: '/oncall',
      text: `add <@U0CAROL01> ${CAROL_PHONE} 3`,
    });
    await h.emulator.actions.runCommand({ userId: 'U0CAROL01', channelId: CHANNEL, command: '/oncall' });
    await h.emulator.actions.openAppHome('U0CAROL01');

    // A phone escalation to the end: Alice and Bob do not answer; Chatwork and the thread are told.
    const { id, ts } = await openIncident(h, { title: 'Secrets drill: database down', severity: 'critical' });
    h.clock.advance(300 * SECOND);
    await h.app.services.escalation.tick(h.clock.now());
    for (let call = 0; call < 3; call += 1) {
      const dial = fakes.connect.dials.filter((d) => d.attributes['incidentId'] === id).at(-1)!;
      answers.push(JSON.stringify((await respond(h, dial, 'timeout')).body));
      h.clock.advance(30 * SECOND);
      await h.app.services.escalation.tick(h.clock.now());
    }
    await h.app.settle();
    expect(
      fakes.connect.dials.filter((d) => d.attributes['incidentId'] === id).length,
    ).toBeGreaterThanOrEqual(2);
    await h.emulator.actions.clickButton({
      userId: 'U0ALICE01',
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.acknowledge,
    });
    await expect.poll(() => fakes.chatwork.messages.length).toBeGreaterThan(0);

    // Metrics, right and wrong token.
    for (const token of [SECRETS.METRICS_TOKEN, 'not-the-metrics-token']) {
      const metrics = await fetch(`${h.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      answers.push(await metrics.text());
    }
    await h.app.settle();

    const secrets = [
      ...Object.values(SECRETS),
      ...Object.entries(fakes.env)
        .filter(([name]) => /TOKEN|SECRET/.test(name))
        .map(([, value]) => value),
      'fake-connect-secret-access-key',
      h.emulator.botToken,
      h.emulator.appToken,
      h.emulator.signingSecret,
    ];
    const phones = [ALICE.phone, BOB.phone, CAROL_PHONE].flatMap((p) => [p, p.slice(1), `0${p.slice(3)}`]);
    const places = {
      logs: logs.text(),
      slack:
        JSON.stringify(h.emulator.workspace.calls.map((c) => c.args)) +
        JSON.stringify(h.emulator.workspace.ephemerals),
      chatwork: JSON.stringify(fakes.chatwork.messages.map((m) => m.body)),
      answers: answers.join('\n'),
    };
    expect(logs.lines().length).toBeGreaterThan(100);
    expect(h.emulator.workspace.calls.length).toBeGreaterThan(20);
    for (const [place, text] of Object.entries(places)) {
      for (const secret of secrets)
        expect(text.includes(secret), `a secret (${secret.slice(0, 8)}…) in ${place}`).toBe(false);
      for (const phone of phones) expect(text.includes(phone), `${phone} in ${place}`).toBe(false);
    }
    // The numbers were in play: Connect got them (the one place they must go), masked everywhere else.
    expect(fakes.connect.dials.map((d) => d.destinationPhone)).toContain(ALICE.phone);
    expect(places.slack).toContain('+81-***-***-0003');
    console.log(
      'R6 secrets:',
      JSON.stringify({
        secrets: secrets.length,
        logLines: logs.lines().length,
        slackCalls: h.emulator.workspace.calls.length,
        chatworkMessages: fakes.chatwork.messages.length,
        answers: answers.length,
      }),
    );
  }, 60_000);
});
