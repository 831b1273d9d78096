/**
 * B7: phone escalation. With ESCALATE_AFTER_SECONDS=1 and ESCALATION_TICK_SECONDS=1, a critical incident that
 * nobody acknowledges must reach Amazon Connect's StartOutboundVoiceContact soon after its deadline (opened + 1 s).
 * Connect is the fake from test/fakes/connect.ts (the real SDK reaches it through AWS_ENDPOINT_URL_CONNECT); the
 * on-call list is stored before Hikeshi starts. Measured: first dial time − deadline, per incident.
 */
import { randomBytes } from 'node:crypto';
import { createOncallService } from '../src/services/oncall.js';
import { startFakeConnect } from '../test/fakes/connect.js';
import { subDir, withProcesses, type BenchContext } from './lib/context.js';
import { ALERTS_TOKEN, startEmulator, startHikeshi } from './lib/hikeshi.js';
import { figure, Recorder, type BenchResult } from './lib/results.js';
import { withStoredData } from './lib/stored.js';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

const AFTER_SECONDS = 1;
const RESPONDER = { userId: 'U0ALICE01', phone: '+819012340001', priority: 1 };
const DIAL_TIMEOUT_MS = 20_000;

export async function runB7(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B7', 'Escalation: deadline → StartOutboundVoiceContact at the Connect fake');
  const logDir = subDir(ctx, 'b7');
  const connect = await startFakeConnect();
  const delays: number[] = [];
  try {
    const dataDir = mkdtempSync(join(logDir, 'data-'));
    await withStoredData(dataDir, async (store) => {
      await createOncallService({ responders: store.responders, groupId: 'default' }).replace([RESPONDER]);
    });
    await withProcesses(async (track) => {
      const emulator = track(await startEmulator(logDir));
      const app = track(
        await startHikeshi({
          logDir,
          emulator: emulator.info,
          dataDir,
          env: {
            ESCALATE_AFTER_SECONDS: String(AFTER_SECONDS),
            ESCALATION_TICK_SECONDS: '1',
            CONNECT_INSTANCE_REGION: 'ap-northeast-1',
            CONNECT_INSTANCE_ID: 'bench-instance',
            CONNECT_CONTACT_FLOW_ID: 'bench-flow',
            CONNECT_SOURCE_PHONE: '+815012345678',
            CONNECT_CALLBACK_TOKEN: 'bench-connect-callback-token',
            AWS_ENDPOINT_URL_CONNECT: connect.url,
            AWS_ACCESS_KEY_ID: 'AKIDBENCHCONNECT01',
            AWS_SECRET_ACCESS_KEY: 'bench-connect-secret-access-key',
          },
        }),
      );
      // More incidents than runs: the median is steadier, and each one is cheap (about two seconds).
      for (let i = 0; i < Math.max(5, ctx.runs); i += 1) {
        const dialsBefore = connect.dials.length;
        const sent = Date.now();
        const res = await fetch(`${app.url}/api/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}` },
          body: JSON.stringify({
            title: `Payments down ${randomBytes(3).toString('hex')}`,
            severity: 'critical',
            dedup_key: `b7-${randomBytes(6).toString('hex')}`,
          }),
        });
        if (res.status !== 202) rec.error(`B7: opening an incident answered ${res.status}`);
        const deadline = sent + AFTER_SECONDS * 1000;
        while (connect.dials.length === dialsBefore && Date.now() - sent < DIAL_TIMEOUT_MS) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const dial = connect.dials[dialsBefore];
        if (dial === undefined) {
          rec.error(`B7: no call reached Connect within ${DIAL_TIMEOUT_MS / 1000} s of an incident`);
          continue;
        }
        delays.push((dial.at - deadline) / 1000);
        // Acknowledge nothing: the next incident starts its own chain; wait out this one's first call.
      }
    }, rec.errors);
  } finally {
    await connect.close();
  }
  ctx.log(`B7: ${delays.map((d) => d.toFixed(2)).join(', ')} s after the deadline`);
  rec.add(
    figure('B7.delay', 'deadline (opened + 1 s) → StartOutboundVoiceContact', 's', delays, {
      goal: (m) => ({ text: '≤ 5 s', met: delays.length > 0 && m <= 5 && Math.max(...delays) <= 5 }),
    }),
  );
  rec.note(
    'ESCALATE_AFTER_SECONDS=1, ESCALATION_TICK_SECONDS=1; the deadline counts from when the alert was sent, so the figure includes ingest and the wait for the next tick.',
  );
  return rec.result();
}
