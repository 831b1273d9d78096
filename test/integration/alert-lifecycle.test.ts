/**
 * Issue 20, Lifecycle, over the wire: `POST /api/alerts` resolves and acknowledges (`status`, or PagerDuty's
 * `event_action`), a repeat without a severity keeps the incident's, Alertmanager re-notifications are not
 * counted (also when another process answers the re-send), and a resolved incident that fires again is reopened
 * — the same number and Slack message — or, after REOPEN_WINDOW_MINUTES, replaced by a new one that links it.
 * Slack is read back through the emulator's Web API (conversations.history / replies), as a Slack client would.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import { Actions } from '../../src/blocks/ids.js';
import { createLogger } from '../../src/logger.js';
import { startHttpServer, type RunningServer } from '../../src/server.js';
import { ALERT_CHANNEL, buttonLabels, post, postedMessage } from '../helpers/alerts.js';
import { startHikeshi, startPeer, type TestHikeshi } from '../helpers/hikeshi.js';
import { fixture } from '../fixtures/index.js';
import { emulatorWebClient } from '@hikeshi/slack-emulator/testing';

const TOKEN = 'lifecycle-alerts-token-5e1c';
const JOB_SECRET = 'lifecycle-job-secret-8d20';
const ALICE = 'U0ALICE01';
const MIN = 60_000;

let h: TestHikeshi;
let slack: WebClient;
let url: string;

beforeAll(async () => {
  h = await startHikeshi({ env: { ALERTS_API_TOKEN: TOKEN, JOB_REPORT_SECRET: JOB_SECRET } });
  url = `${h.baseUrl}/api/alerts`;
  slack = emulatorWebClient(h.emulator);
});
afterAll(async () => {
  await h.close();
});

const send = (body: Record<string, unknown>) => post(url, body, { token: TOKEN });
const incident = async (id: unknown) => (await h.app.services.incidents.get(String(id)))!;

/** The incident's message as Slack's Web API returns it. */
async function messageOf(id: unknown): Promise<string> {
  const posted = await postedMessage(h, String(id));
  const history = await slack.conversations.history({
    channel: ALERT_CHANNEL,
    latest: posted.ts,
    inclusive: true,
    limit: 1,
  });
  return JSON.stringify(history.messages?.[0] ?? {});
}

/** Every thread reply's text, through the Web API. */
async function threadOf(id: unknown): Promise<string> {
  const posted = await postedMessage(h, String(id));
  const replies = await slack.conversations.replies({ channel: ALERT_CHANNEL, ts: posted.ts });
  return (replies.messages ?? [])
    .slice(1)
    .map((m) => m.text ?? '')
    .join('\n');
}

const messagesTitled = (title: string) =>
  h.emulator.workspace.messages(ALERT_CHANNEL).filter((m) => m.text.includes(title));

describe('POST /api/alerts acknowledges and resolves', () => {
  it('status "acknowledged" and "resolved" act on the dedup_key, count nothing and keep the severity', async () => {
    const opened = await send({ title: 'Orders queue stuck', dedup_key: 'life-status', severity: 'warning' });
    expect(opened).toMatchObject({ status: 202, body: { status: 'triggered', deduplicated: false } });
    const id = opened.body['incident_id'];

    const acked = await send({
      title: 'Orders queue stuck',
      dedup_key: 'life-status',
      status: 'acknowledged',
    });
    expect(acked).toMatchObject({
      status: 202,
      body: { incident_id: id, status: 'acknowledged', deduplicated: true },
    });

    // The example: before, this answered deduplicated:true, counted a firing and raised to error.
    const resolved = await send({ title: 'X', dedup_key: 'life-status', status: 'resolved' });
    expect(resolved).toMatchObject({
      status: 202,
      body: { incident_id: id, status: 'resolved', deduplicated: true },
    });
    expect(await incident(id)).toMatchObject({
      status: 'resolved',
      count: 1,
      severity: 'warning',
      acknowledgedBy: 'system:alert',
      resolvedBy: 'system:alert',
    });
    await expect.poll(() => messageOf(id), { timeout: 5000 }).toContain('Resolved');
  });

  it("PagerDuty's event_action is an alias: trigger, acknowledge, resolve", async () => {
    const opened = await send({ title: 'Cache misses', dedup_key: 'life-alias', event_action: 'trigger' });
    const id = opened.body['incident_id'];
    expect(opened.body).toMatchObject({ status: 'triggered', deduplicated: false });
    expect((await send({ dedup_key: 'life-alias', event_action: 'acknowledge' })).body).toMatchObject({
      incident_id: id,
      status: 'acknowledged',
    });
    expect((await send({ dedup_key: 'life-alias', event_action: 'resolve' })).body).toMatchObject({
      incident_id: id,
      status: 'resolved',
    });
    expect((await incident(id)).count).toBe(1);
    const contradiction = await send({
      dedup_key: 'life-alias',
      status: 'resolved',
      event_action: 'trigger',
    });
    expect(contradiction).toMatchObject({ status: 400, body: { field: 'event_action' } });
  });

  it('a resolve or acknowledge with no open incident answers 202 {"status":"ignored"} and stores nothing', async () => {
    await h.app.services.publisher.flush();
    const before = (await h.app.services.incidents.listOpen()).length;
    const posts = h.emulator.workspace.postCalls().length;
    for (const body of [
      { title: 'Never opened', dedup_key: 'life-none', status: 'resolved' },
      { dedup_key: 'life-none', status: 'acknowledged' },
      { dedup_key: 'life-none', event_action: 'resolve' },
    ]) {
      const res = await send(body);
      expect(res).toMatchObject({ status: 202, body: { status: 'ignored', incident_id: null } });
    }
    expect(await h.app.services.incidents.listOpen()).toHaveLength(before);
    expect(await h.store.incidents.findByFingerprint('life-none')).toBeUndefined();
    await h.app.services.publisher.flush();
    expect(h.emulator.workspace.postCalls()).toHaveLength(posts);
  });
});

describe('a repeat without a severity keeps the incident severity', () => {
  it('generic: a warning stays a warning (it was raised to error before)', async () => {
    const opened = await send({ title: 'Disk 80%', dedup_key: 'life-sev', severity: 'warning' });
    const repeat = await send({ title: 'Disk 81%', dedup_key: 'life-sev' });
    expect(repeat.body).toMatchObject({ incident_id: opened.body['incident_id'], deduplicated: true });
    expect(await incident(opened.body['incident_id'])).toMatchObject({ severity: 'warning', count: 2 });
    // A default applies only when the incident opens.
    const fresh = await send({ title: 'No severity said', dedup_key: 'life-sev-default' });
    expect((await incident(fresh.body['incident_id'])).severity).toBe('error');
    // An explicit higher severity still raises it.
    await send({ title: 'Disk 99%', dedup_key: 'life-sev', severity: 'critical' });
    expect((await incident(opened.body['incident_id'])).severity).toBe('critical');
  });

  it('Alertmanager: a new firing without a severity label keeps a severity set by hand', async () => {
    const am = `${h.baseUrl}/api/alerts/alertmanager`;
    const group = (startsAt: string) => ({
      version: '4',
      status: 'firing',
      receiver: 'ops',
      alerts: [
        { status: 'firing', fingerprint: 'life-nolabel', labels: { alertname: 'SlowDisk' }, startsAt },
      ],
    });
    const first = await post(am, group('2026-01-01T00:00:00Z'), { token: TOKEN });
    const [result] = first.body['results'] as { incident_id: string; action: string }[];
    expect(result).toMatchObject({ action: 'opened' });
    expect((await incident(result!.incident_id)).severity).toBe('error');
    await h.app.services.incidents.setSeverity(result!.incident_id, ALICE, 'warning');
    const again = await post(am, group('2026-01-01T01:00:00Z'), { token: TOKEN });
    expect((again.body['results'] as { action: string }[])[0]?.action).toBe('folded');
    expect(await incident(result!.incident_id)).toMatchObject({ severity: 'warning', count: 2 });
  });

  it('job reports: the next failure keeps a severity lowered by hand (a job report says none)', async () => {
    const report = (finishedAt: string) =>
      post(
        `${h.baseUrl}/api/monitor/job-report`,
        {
          job_key: 'life-job',
          title: 'Price sync',
          status: 'error',
          finished_at: finishedAt,
          message: 'boom',
        },
        { headers: { 'X-TC-Portal-Webhook-Secret': JOB_SECRET } },
      );
    expect((await report('2026-01-01T00:00:00Z')).status).toBe(200);
    const open = await h.store.incidents.findOpenByFingerprint('job:life-job');
    expect(open?.['severity']).toBe('error');
    await h.app.services.incidents.setSeverity(String(open?.id), ALICE, 'warning');
    expect((await report('2026-01-01T01:00:00Z')).status).toBe(200);
    expect(await incident(open?.id)).toMatchObject({ severity: 'warning', count: 2 });
  });
});

describe('Alertmanager re-notifications across processes', () => {
  let peer: HikeshiApp;
  let peerServer: RunningServer;
  beforeAll(async () => {
    peer = await startPeer(h, { env: { ALERTS_API_TOKEN: TOKEN } });
    peerServer = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      ingress: peer.ingress,
      slackListener: peer.slack.httpListener,
      logger: createLogger({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await peerServer.close();
    await peer.stop();
  });

  it('a re-send answered by another process is not counted either (the firing is on the stored incident)', async () => {
    const body = fixture('alertmanager-firing.json') as { alerts: Record<string, unknown>[] };
    const group = { ...body, alerts: body.alerts.map((a, i) => ({ ...a, fingerprint: `life-cross-${i}` })) };
    const here = await post(`${h.baseUrl}/api/alerts/alertmanager`, group, { token: TOKEN });
    const there = await post(`http://127.0.0.1:${peerServer.port}/api/alerts/alertmanager`, group, {
      token: TOKEN,
    });
    const opened = here.body['results'] as { incident_id: string; action: string }[];
    expect(opened.map((r) => r.action)).toEqual(['opened', 'opened']);
    expect(
      (there.body['results'] as { incident_id: string; action: string }[]).map((r) => [
        r.incident_id,
        r.action,
      ]),
    ).toEqual(opened.map((r) => [r.incident_id, 'renotified']));
    for (const r of opened) expect((await incident(r.incident_id)).count).toBe(1);
  });

  it('two processes reopening the same incident at once: one reopen, both answers name it', async () => {
    const opened = await send({ title: 'Race to reopen', dedup_key: 'life-race' });
    const id = opened.body['incident_id'];
    await send({ dedup_key: 'life-race', status: 'resolved' });
    const peerUrl = `http://127.0.0.1:${peerServer.port}/api/alerts`;
    const answers = await Promise.all([
      send({ title: 'Race to reopen', dedup_key: 'life-race' }),
      post(peerUrl, { title: 'Race to reopen', dedup_key: 'life-race' }, { token: TOKEN }),
      send({ title: 'Race to reopen', dedup_key: 'life-race' }),
      post(peerUrl, { title: 'Race to reopen', dedup_key: 'life-race' }, { token: TOKEN }),
    ]);
    expect(answers.map((a) => [a.status, a.body['incident_id'], a.body['status']])).toEqual(
      answers.map(() => [202, id, 'triggered']),
    );
    expect(answers.filter((a) => a.body['reopened'] === true)).toHaveLength(1);
    await Promise.all([h.app.services.incidents.flush(), peer.services.incidents.flush()]);
    expect(await incident(id)).toMatchObject({ status: 'triggered', reopenCount: 1, count: 5 });
    expect(await h.store.incidents.findByFingerprint('life-race')).toMatchObject({ id });
  });
});

describe('reopen, not duplicate', () => {
  it('fires again after a resolve in Slack: the same number and message, back to triggered, a Reopened line', async () => {
    const title = 'Payments p99 above 2s';
    const opened = await send({ title, dedup_key: 'life-reopen', severity: 'error' });
    const id = opened.body['incident_id'];
    const posted = await postedMessage(h, String(id));
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: ALERT_CHANNEL,
      messageTs: posted.ts,
      actionId: Actions.resolve,
    });
    await expect.poll(async () => (await incident(id)).status).toBe('resolved');
    await expect.poll(() => messageOf(id), { timeout: 5000 }).toContain('Resolved');

    const again = await send({ title, dedup_key: 'life-reopen' });
    expect(again).toMatchObject({
      status: 202,
      body: { incident_id: id, status: 'triggered', deduplicated: true, reopened: true },
    });
    expect(await incident(id)).toMatchObject({
      status: 'triggered',
      count: 2,
      reopenCount: 1,
      severity: 'error',
    });
    await expect.poll(() => messageOf(id), { timeout: 5000 }).toContain('Triggered');
    expect(await messageOf(id)).toContain('reopened *1* time');
    expect(buttonLabels(await postedMessage(h, String(id)))).toContain('Acknowledge');
    await expect
      .poll(() => threadOf(id), { timeout: 5000 })
      .toMatch(/Reopened\*: Fired again, \d+s after it was resolved/);
    expect(messagesTitled(title)).toHaveLength(1);
  });

  it('three reopens within an hour mark it flapping on its message', async () => {
    const title = 'Replica lag flaps';
    const id = (await send({ title, dedup_key: 'life-flap' })).body['incident_id'];
    for (let reopen = 1; reopen <= 3; reopen += 1) {
      await send({ dedup_key: 'life-flap', status: 'resolved' });
      const again = await send({ title, dedup_key: 'life-flap' });
      expect(again.body).toMatchObject({ incident_id: id, reopened: true });
      expect((await incident(id)).flapping).toBe(reopen >= 3);
    }
    await expect.poll(() => messageOf(id), { timeout: 5000 }).toContain('Flapping');
    await expect
      .poll(() => threadOf(id), { timeout: 5000 })
      .toContain('flapping: 3 reopens in the last hour');
    expect(messagesTitled(title)).toHaveLength(1);
  });

  it('after REOPEN_WINDOW_MINUTES a new incident opens and links the last one', async () => {
    const title = 'Nightly export late';
    const first = (await send({ title, dedup_key: 'life-window' })).body['incident_id'];
    await send({ dedup_key: 'life-window', status: 'resolved' });
    h.clock.advance(3 * 60 * MIN);
    const next = await send({ title, dedup_key: 'life-window' });
    expect(next).toMatchObject({ status: 202, body: { status: 'triggered', deduplicated: false } });
    const id = next.body['incident_id'];
    expect(id).not.toBe(first);
    expect(await incident(id)).toMatchObject({ previous: { id: first } });
    expect((await incident(first)).supersededBy).toBe(id);
    await expect
      .poll(() => messageOf(id), { timeout: 5000 })
      .toContain(`Previously *${String(first)}*, resolved <!date^`);
    expect((await incident(id)).timeline[0]?.text).toContain(
      `previously ${String(first)}, resolved 3h before`,
    );
    // The replaced incident is never reopened; the next firing folds into the new one.
    const repeat = await send({ title, dedup_key: 'life-window' });
    expect(repeat.body).toMatchObject({ incident_id: id, deduplicated: true });
    expect(repeat.body).not.toHaveProperty('reopened');
    expect((await incident(first)).status).toBe('resolved');
  });
});
