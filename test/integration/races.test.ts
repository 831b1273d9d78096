/**
 * Issue 11, R5: races that must have exactly one outcome.
 * - 50 people press Acknowledge at once (real button clicks over Socket Mode): one winner, one timeline entry, one
 *   thread reply, and the other 49 are told who won.
 * - 1 000 copies of one alert at once over HTTP, split between two app processes on one store: one incident whose
 *   count is exactly 1 000 (the fold buffer counts in memory and writes atomic adds).
 * - 10 concurrent escalation ticks place one call chain: test/integration/escalation-concurrency.test.ts (also
 *   across two processes, a restart and a crash between recording a call and storing its ContactId).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import type { AlertSignal } from '../../src/domain/alert.js';
import { openIncident as openDomainIncident } from '../../src/domain/incident.js';
import { POST_LEASE_SECONDS } from '../../src/integrations/slack-incident-publisher.js';
import { incidentStoreOf } from '../../src/store/incidents-repository.js';
import { seedUser } from '@hikeshi/slack-emulator';
import { Actions } from '../../src/blocks/ids.js';
import { createLogger } from '../../src/logger.js';
import { startHttpServer, type RunningServer } from '../../src/server.js';
import { post } from '../helpers/alerts.js';
import { startHikeshi, startPeer, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';
import { inBatches } from '../helpers/replay.js';
import { watchSideEffects } from '../helpers/side-effects.js';

const CHANNEL = 'C0ALERTS1';
const STALE_SIGNAL: AlertSignal = {
  action: 'trigger',
  title: 'Queue depth over 10 000 [race-stale-claim]',
  message: 'orders queue',
  severity: 'error',
  source: 'races',
  dedupKey: 'race-stale-claim',
  details: {},
  links: [],
};
const TOKEN = 'races-alerts-token-88c2';
let h: TestHikeshi;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  h = await startHikeshi({ env: { ALERTS_API_TOKEN: TOKEN } });
});
afterAll(async () => {
  await h.close();
  console.log('R5 races:', JSON.stringify(figures));
});

describe('one winner', () => {
  it('50 people acknowledging at once: one winner, the other 49 told who won', async () => {
    const users = Array.from({ length: 50 }, (_, i) => `U0RACE${String(i).padStart(3, '0')}`);
    for (const id of users) h.emulator.workspace.addUser(seedUser(id, id.toLowerCase(), `Racer ${id}`));
    const { id, ts } = await openIncident(h);
    const started = Date.now();
    await Promise.all(
      users.map((userId) =>
        h.emulator.actions.clickButton({
          userId,
          channelId: CHANNEL,
          messageTs: ts,
          actionId: Actions.acknowledge,
        }),
      ),
    );
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.status).toBe('acknowledged');
    const incident = (await h.app.services.incidents.get(id))!;
    const winner = incident.acknowledgedBy!;
    expect(users).toContain(winner);
    expect(incident.timeline.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
    const told = (user: string) =>
      h.emulator.workspace.ephemerals.some(
        (e) => e.user === user && e.text.includes(`already acknowledged by <@${winner}>`),
      );
    await expect
      .poll(() => users.filter((u) => u !== winner).filter(told).length, { timeout: 10_000 })
      .toBe(49);
    await h.app.settle();
    const replies = h.emulator.workspace
      .thread(CHANNEL, ts)
      .filter((m) => /acknowledged/i.test(m.text) && m.ts !== ts);
    expect(replies).toHaveLength(1);
    figures['acks'] = { clicks: 50, winners: 1, told: 49, ms: Date.now() - started };
  });

  it('incidents opened in one process and acknowledged at once in another: one message each, the reply in its thread', async () => {
    // The peer's acknowledgement posts a thread reply, which needs the incident's message: the opener may not
    // have posted it yet. One durable post claim decides who posts; the other waits for that message.
    const peer: HikeshiApp = await startPeer(h, { env: { ALERTS_API_TOKEN: TOKEN } });
    try {
      const titles = Array.from(
        { length: 20 },
        (_, i) => `Cross-process ack [race-ack-${String(i).padStart(2, '0')}]`,
      );
      const ids = await Promise.all(
        titles.map(async (title, i) => {
          const opened = await post(
            `${h.baseUrl}/api/alerts`,
            { title, severity: 'error', source: 'races', dedup_key: `race-ack-${i}` },
            { token: TOKEN },
          );
          const id = String(opened.body['incident_id']);
          expect((await peer.services.incidents.acknowledge(id, 'U0RACE000')).ok).toBe(true);
          return id;
        }),
      );
      await Promise.all([h.app.settle(), peer.settle()]);
      for (const [i, id] of ids.entries()) {
        const posted = h.emulator.workspace
          .messages(CHANNEL)
          .filter((m) => m.text.includes(titles[i] ?? '?'));
        expect(posted, titles[i]).toHaveLength(1);
        const incident = await h.app.services.incidents.get(id);
        expect(incident?.slack?.ts).toBe(posted[0]?.ts);
        const replies = h.emulator.workspace.thread(CHANNEL, posted[0]?.ts ?? '').slice(1);
        expect(
          replies.filter((m) => m.text.includes('cknowledged')),
          titles[i],
        ).toHaveLength(1);
      }
    } finally {
      await peer.stop();
    }
  }, 60_000);

  it('a process that claimed the post and died: another posts the message once the claim has expired', async () => {
    // An incident stored without its message, and the post claim of a process that crashed before posting.
    const incident = openDomainIncident({
      number: 990_001,
      signal: { ...STALE_SIGNAL },
      fingerprint: 'race-stale-claim',
      now: h.clock.now(),
    });
    expect(await incidentStoreOf(h.store.incidents).create({ ...incident })).toBe(true);
    expect(await h.store.dedup.claim(`slack-post:${incident.id}`, POST_LEASE_SECONDS)).toBe(true);
    const shown = () =>
      h.emulator.workspace.messages(CHANNEL).filter((m) => m.text.includes(STALE_SIGNAL.title));

    // The acknowledgement's thread reply waits for the message the claim holder would post…
    expect((await h.app.services.incidents.acknowledge(incident.id, 'U0RACE001')).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(shown()).toHaveLength(0);
    // …and posts it itself once the claim has expired, then replies in its thread.
    h.clock.advance((POST_LEASE_SECONDS + 1) * 1000);
    await expect.poll(() => shown().length, { timeout: 5_000 }).toBe(1);
    await h.app.settle();
    expect(shown()).toHaveLength(1);
    const ts = shown()[0]?.ts ?? '';
    expect((await h.app.services.incidents.get(incident.id))?.slack?.ts).toBe(ts);
    expect(
      h.emulator.workspace
        .thread(CHANNEL, ts)
        .slice(1)
        .map((m) => m.text),
    ).toEqual([expect.stringContaining('cknowledged')]);
  });

  it('1 000 copies of one alert at once, over two processes on one store: one incident, count 1 000', async () => {
    // A second process: its own app (its own fold buffer and locks) and HTTP server, the same store and Slack.
    const peer: HikeshiApp = await startPeer(h, { env: { ALERTS_API_TOKEN: TOKEN } });
    const peerServer: RunningServer = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      ingress: peer.ingress,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const fx = watchSideEffects(h);
      const started = Date.now();
      const urls = [h.baseUrl, `http://127.0.0.1:${peerServer.port}`];
      const alert = {
        title: 'Checkout latency over 2 s',
        severity: 'error',
        source: 'races',
        dedup_key: 'race-storm-1',
      };
      const answers = await inBatches(
        Array.from({ length: 1000 }, (_, i) => i),
        64,
        async (i) => {
          const response = await post(`${urls[i % 2]}/api/alerts`, alert, { token: TOKEN });
          return { status: response.status, id: response.body['incident_id'] };
        },
      );
      expect(answers.every((a) => a.status === 202)).toBe(true);
      expect(new Set(answers.map((a) => a.id)).size).toBe(1);
      await Promise.all([h.app.settle(), peer.settle()]);
      const id = String(answers[0]?.id);
      const incident = await h.app.services.incidents.get(id);
      expect(incident?.count).toBe(1000);
      expect(
        (await h.app.services.incidents.listOpen()).filter((i) => i.fingerprint === 'race-storm-1'),
      ).toHaveLength(1);
      // One message, which ends up showing the exact count.
      await expect
        .poll(
          () =>
            h.emulator.workspace.messages(CHANNEL).filter((m) => m.text.includes('Checkout latency')).length,
        )
        .toBe(1);
      figures['folds'] = {
        alerts: 1000,
        processes: 2,
        count: incident?.count,
        incidents: 1,
        ms: Date.now() - started,
        storeWrites: fx.writes(),
      };
    } finally {
      await peerServer.close();
      await peer.stop();
    }
  }, 60_000);
});
