/**
 * Issue 11, R2 (second half): every event delivered three times, exactly one effect each.
 * - Amazon Connect contact-flow responses repeated (the flow retried, a responder pressing twice): one accept or
 *   one decline per call, one next call after a decline, nobody rung twice.
 * - SNS redeliveries (same MessageId): one incident each, counted once.
 * - Job reports repeated (same job_key + finished_at, a client retry): one stored report, one incident at most.
 * - PagerDuty Events v2 repeats (same dedup_key): ONE incident whose count is 3 — folding is the intended effect
 *   of a repeated trigger (PagerDuty does the same), not a duplicate.
 * 500 events, 1 500 deliveries (with replays-slack-webhooks.test.ts: 1 000 events).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnsEnvelope } from '../../src/domain/sources/cloudwatch-sns.js';
import { startFakeSns, type FakeSns } from '../fakes/sns.js';
import { fixture } from '../fixtures/index.js';
import { post } from '../helpers/alerts.js';
import {
  ALICE,
  BOB,
  SECOND,
  history,
  respond,
  startPhoneFakes,
  type PhoneFakes,
} from '../helpers/escalation.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { inBatches } from '../helpers/replay.js';

const CALLS = 50;
const SNS_EVENTS = 150;
const JOB_REPORTS = 150;
const EVENTS_V2 = 150;
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:cloudwatch-alarms';
const JOB_SECRET = 'replay-job-secret-6d20';
const ROUTING_KEY = 'replay-routing-key-0f31';

let fakes: PhoneFakes;
let sns: FakeSns;
let h: TestHikeshi;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  [fakes, sns] = await Promise.all([startPhoneFakes(), startFakeSns()]);
  h = await startHikeshi({
    env: {
      // Without Chatwork: its 10-posts-per-10-s room limit would pace hundreds of notices over minutes.
      ...Object.fromEntries(Object.entries(fakes.env).filter(([name]) => !name.startsWith('CHATWORK_'))),
      SNS_TOPIC_ARNS: TOPIC,
      JOB_REPORT_SECRET: JOB_SECRET,
      EVENTS_V2_ROUTING_KEY: ROUTING_KEY,
    },
    overrides: {
      sns: { trust: { allowedHostPattern: /^127\.0\.0\.1:\d+$/, allowHttp: true } },
      slackPacing: { minUpdateIntervalMs: 0, channelPostIntervalMs: 0, updatesPerMinute: 60_000 },
    },
  });
  await h.app.services.oncall.replace([ALICE, BOB]);
});

afterAll(async () => {
  await h.close();
  await Promise.all([fakes.close(), sns.close()]);
  console.log('R2 replays (Connect, SNS, jobs, Events v2):', JSON.stringify(figures));
});

describe('repeated deliveries of alerts, job reports and phone responses', () => {
  it('contact-flow responses sent three times: one accept or decline per call, nobody rung twice', async () => {
    const started = Date.now();
    const opened = await inBatches(
      Array.from({ length: CALLS }, (_, i) => i),
      10,
      async (i) => {
        const outcome = await h.app.services.incidents.ingest({
          action: 'trigger',
          title: `Replay call ${i}`,
          severity: 'critical',
          source: 'replay',
          dedupKey: `replay-call-${i}`,
          links: [],
        });
        if (outcome.action === 'ignored') throw new Error('not opened');
        return outcome.incident.id;
      },
    );
    const dialsFor = (id: string) => fakes.connect.dials.filter((d) => d.attributes['incidentId'] === id);
    const indexOf = new Map(opened.map((id, i) => [id, i] as const));
    // One call per person (issue 19): Alice's phone rings for one incident at a time, so the calls come one per
    // tick, each as soon as her last answer freed her line. Even incidents: she presses 1 (accept); odd: 2
    // (decline). Each response arrives three times.
    const answers = new Map<string, unknown[]>();
    h.clock.advance(300 * SECOND);
    for (let tick = 0; answers.size < opened.length && tick < opened.length * 2; tick += 1) {
      await h.app.services.escalation.tick(h.clock.now());
      const ringing = fakes.connect.dials.filter(
        (d) => d.destinationPhone === ALICE.phone && !answers.has(String(d.attributes['incidentId'])),
      );
      expect(ringing.length).toBeLessThanOrEqual(1);
      for (const dial of ringing) {
        const id = String(dial.attributes['incidentId']);
        const key = (indexOf.get(id) ?? 0) % 2 === 0 ? '1' : '2';
        const results: unknown[] = [];
        for (let n = 0; n < 3; n += 1) results.push((await respond(h, dial, key)).body['result']);
        answers.set(id, results);
      }
      h.clock.advance(SECOND);
    }
    expect(answers.size).toBe(opened.length);
    for (const [id, results] of answers) {
      expect(results).toEqual(
        (indexOf.get(id) ?? 0) % 2 === 0
          ? ['accepted', 'ignored', 'ignored']
          : ['declined', 'ignored', 'ignored'],
      );
    }

    // Alice was rung once per incident; an accept acknowledged it, a decline moved its chain on (to Bob, whose
    // line takes the declined incidents one at a time): nobody is rung twice for one incident.
    for (const [i, id] of opened.entries()) {
      const phones = dialsFor(id).map((d) => d.destinationPhone);
      expect(phones.filter((p) => p === ALICE.phone)).toHaveLength(1);
      expect(phones.filter((p) => p === BOB.phone).length).toBeLessThanOrEqual(i % 2 === 0 ? 0 : 1);
      const events = (await history(h, id)).map((r) => r.event);
      expect(events.filter((e) => e === 'accepted' || e === 'declined')).toHaveLength(1);
      if (i % 2 === 0) expect((await h.app.services.incidents.get(id))?.acknowledgedBy).toBe(ALICE.userId);
    }
    const clientTokens = new Set(fakes.connect.received.map((r) => r.clientToken));
    expect(clientTokens.size).toBe(fakes.connect.dials.length);
    figures['connect'] = {
      calls: CALLS,
      responses: CALLS * 3,
      dials: fakes.connect.dials.length,
      ms: Date.now() - started,
    };
    for (const id of opened) await h.app.services.incidents.resolve(id, 'U0CLEANUP');
    await h.app.services.escalation.drain();
  }, 60_000);

  it('SNS redeliveries, repeated job reports and Events v2 repeats', async () => {
    const started = Date.now();
    const baseline = (await h.app.services.incidents.listOpen()).length;
    const now = new Date(h.clock.now()).toISOString();
    const alarm = JSON.parse((fixture('sns-cloudwatch-alarm.json') as SnsEnvelope).Message) as Record<
      string,
      unknown
    >;
    const snsAnswers = await inBatches(
      Array.from({ length: SNS_EVENTS }, (_, i) => i),
      16,
      async (i) => {
        const envelope = sns.sign({
          ...(fixture('sns-cloudwatch-alarm.json') as SnsEnvelope),
          MessageId: `b1a2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}`,
          Timestamp: now,
          Message: JSON.stringify({
            ...alarm,
            AlarmName: `replay-alarm-${i}`,
            AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:replay-alarm-${i}`,
          }),
        });
        const results: unknown[] = [];
        for (let n = 0; n < 3; n += 1) {
          const r = await post(`${h.baseUrl}/api/alerts/sns`, envelope, {
            contentType: 'text/plain; charset=UTF-8',
            headers: { 'x-amz-sns-message-type': 'Notification' },
          });
          results.push(
            r.status === 200 ? (r.body['duplicate'] === true ? 'duplicate' : r.body['action']) : r.status,
          );
        }
        return results;
      },
    );
    for (const results of snsAnswers) expect(results).toEqual(['opened', 'duplicate', 'duplicate']);

    const jobAnswers = await inBatches(
      Array.from({ length: JOB_REPORTS }, (_, i) => i),
      16,
      async (i) => {
        const body = {
          job_key: `replay-job-${i}`,
          title: `Replay job ${i}`,
          status: i % 3 === 0 ? 'error' : 'success',
          finished_at: '2026-01-01T03:00:00Z',
          message: i % 3 === 0 ? 'exit 1' : 'ok',
        };
        const ids: unknown[] = [];
        for (let n = 0; n < 3; n += 1) {
          const r = await post(`${h.baseUrl}/api/monitor/job-report`, body, {
            headers: { 'x-tc-portal-webhook-secret': JOB_SECRET },
          });
          expect(r.status).toBe(200);
          ids.push(r.body['id']);
        }
        return ids;
      },
    );
    for (const ids of jobAnswers) expect(new Set(ids).size).toBe(1); // the same report id every time
    for (let i = 0; i < JOB_REPORTS; i += 1) {
      expect(await h.app.services.jobs.history(`replay-job-${i}`)).toHaveLength(1);
    }

    const trigger = fixture('events-v2-trigger.json') as Record<string, unknown>;
    await inBatches(
      Array.from({ length: EVENTS_V2 }, (_, i) => i),
      16,
      async (i) => {
        const event = { ...trigger, routing_key: ROUTING_KEY, dedup_key: `replay-v2-${i}` };
        for (let n = 0; n < 3; n += 1) {
          expect((await post(`${h.baseUrl}/v2/enqueue`, event)).status).toBe(202);
        }
      },
    );

    await h.app.settle();
    const open = await h.app.services.incidents.listOpen();
    const bySource = (prefix: string) =>
      open.filter((i) => i.title.startsWith(prefix) || i.fingerprint.startsWith(prefix));
    const snsIncidents = open.filter((i) => /replay-alarm-\d+/.test(i.title));
    expect(snsIncidents).toHaveLength(SNS_EVENTS);
    expect(snsIncidents.every((i) => i.count === 1)).toBe(true);
    const jobIncidents = open.filter((i) => /Replay job \d+/.test(i.title));
    expect(jobIncidents).toHaveLength(JOB_REPORTS / 3);
    expect(jobIncidents.every((i) => i.count === 1)).toBe(true);
    const v2 = bySource('replay-v2-');
    expect(v2).toHaveLength(EVENTS_V2);
    expect(v2.every((i) => i.count === 3)).toBe(true);
    expect(open.length - baseline).toBe(SNS_EVENTS + JOB_REPORTS / 3 + EVENTS_V2);
    // One Slack message per incident.
    await expect
      .poll(
        async () => (await h.app.services.incidents.listOpen()).filter((i) => i.slack !== undefined).length,
        {
          timeout: 15_000,
        },
      )
      .toBe(open.length);
    const messages = h.emulator.workspace
      .messages('C0ALERTS1')
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
    const perIncident = new Map<string, number>();
    for (const m of messages) {
      const id = /INC-\d+/.exec(m.text)?.[0];
      if (id !== undefined) perIncident.set(id, (perIncident.get(id) ?? 0) + 1);
    }
    expect(open.every((i) => perIncident.get(i.id) === 1)).toBe(true);
    figures['alerts'] = {
      sns: SNS_EVENTS,
      jobs: JOB_REPORTS,
      eventsV2: EVENTS_V2,
      deliveries: (SNS_EVENTS + JOB_REPORTS + EVENTS_V2) * 3,
      ms: Date.now() - started,
    };
  }, 90_000);
});
