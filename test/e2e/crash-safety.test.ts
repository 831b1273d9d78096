/**
 * Issue 11, R7: `kill -9` in the middle of a phone escalation. The real app runs as a process (`node --import tsx
 * src/main.ts`, the local Slack emulator inside it, the store on disk under a temp DATA_DIR, calls through the real
 * Connect client to the Connect fake), is killed with SIGKILL and started again on the same DATA_DIR:
 * - killed while Alice's phone rings: the new process takes her answer (a decline, through the contact-flow
 *   endpoint) for the call the dead one placed, and calls Bob once; Alice is never called again;
 * - (HIKESHI_TEST_SLOW=1, part of `npm run test:fuzz`) killed while StartOutboundVoiceContact is in flight — the
 *   request reaches Connect, its answer never reaches the app: after the 30 s lease the new process re-sends the
 *   start with the same ClientToken, Connect answers the same contact, and nobody is rung twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactFlowEvent } from '../../src/domain/contact-flow.js';
import { createOncallService } from '../../src/services/oncall.js';
import { startFakeConnect, type FakeConnect } from '../fakes/connect.js';
import { ALICE, BOB, CALLBACK_TOKEN, SOURCE_PHONE } from '../helpers/escalation.js';
import { killAllAppProcesses, kill9, startAppProcess, type AppProcess } from '../helpers/app-process.js';
import { startTestStore } from '../helpers/store.js';

const ALERTS_TOKEN = 'crash-alerts-token-51d0';

let connect: FakeConnect;
let dataDir: string;

beforeEach(async () => {
  connect = await startFakeConnect();
  dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-crash-'));
  // The on-call list, written to the store the process will open (its LevelDB allows one opener at a time).
  const store = await startTestStore({ dataDir });
  await createOncallService({ responders: store.responders, groupId: 'default' }).replace([ALICE, BOB]);
  await store.close();
});

afterEach(async () => {
  killAllAppProcesses();
  await connect.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts `src/main.ts` on DATA_DIR, calling Connect at `connectUrl`; resolves once it serves HTTP. */
const startApp = (connectUrl: string): Promise<AppProcess> =>
  startAppProcess(dataDir, {
    ALERTS_API_TOKEN: ALERTS_TOKEN,
    CONNECT_INSTANCE_REGION: 'ap-northeast-1',
    CONNECT_INSTANCE_ID: 'inst-crash',
    CONNECT_CONTACT_FLOW_ID: 'flow-crash',
    CONNECT_SOURCE_PHONE: SOURCE_PHONE,
    CONNECT_CALLBACK_TOKEN: CALLBACK_TOKEN,
    AWS_ENDPOINT_URL_CONNECT: connectUrl,
    AWS_ACCESS_KEY_ID: 'AKIDCRASHTEST0001',
    AWS_SECRET_ACCESS_KEY: 'crash-test-secret-access-key',
    ESCALATE_AFTER_SECONDS: '1',
    ESCALATION_TICK_SECONDS: '1',
    CALL_RETRY_SECONDS: '0',
    ESCALATION_ROUNDS: '1',
    CALL_ANSWER_TIMEOUT_SECONDS: '600',
  });

async function raiseAlert(app: AppProcess): Promise<string> {
  const response = await fetch(`${app.baseUrl}/api/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}` },
    body: JSON.stringify({
      title: 'Primary database unreachable',
      severity: 'critical',
      dedup_key: 'crash-drill',
    }),
  });
  expect(response.status).toBe(202);
  return String(((await response.json()) as Record<string, unknown>)['incident_id']);
}

const dialled = () => connect.dials.map((d) => d.destinationPhone);

describe('kill -9 during an escalation, then a restart on the same data', () => {
  it('killed while the phone rings: the chain resumes, nobody is called twice', async () => {
    const started = Date.now();
    const first = await startApp(connect.url);
    const incidentId = await raiseAlert(first);
    await expect.poll(dialled, { timeout: 15_000, interval: 100 }).toEqual([ALICE.phone]);
    await kill9(first);

    const second = await startApp(connect.url);
    // Alice declines the call the dead process placed; the new process takes it and moves on to Bob, once.
    const alice = connect.dials[0]!;
    const answer = await fetch(`${second.baseUrl}/api/connect/contact-flow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CALLBACK_TOKEN}` },
      body: JSON.stringify(
        contactFlowEvent({
          contactId: alice.contactId,
          attributes: alice.attributes,
          action: 'response',
          response: '2',
        }),
      ),
    });
    expect(((await answer.json()) as Record<string, unknown>)['result']).toBe('declined');
    await expect.poll(dialled, { timeout: 15_000, interval: 100 }).toEqual([ALICE.phone, BOB.phone]);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // two more ticks: nothing else is dialled
    expect(dialled()).toEqual([ALICE.phone, BOB.phone]);
    expect(new Set(connect.received.map((r) => r.clientToken)).size).toBe(2);
    expect(connect.dials.every((d) => d.attributes['incidentId'] === incidentId)).toBe(true);
    await kill9(second);
    console.log(
      'R7 crash while ringing:',
      JSON.stringify({ dials: dialled().length, requests: connect.requests, ms: Date.now() - started }),
    );
  }, 60_000);

  it.skipIf(process.env['HIKESHI_TEST_SLOW'] !== '1')(
    'killed while the start request is in flight: re-sent after the lease with the same ClientToken, nobody rung twice',
    async () => {
      const started = Date.now();
      // Connect behind a proxy that can hold a request: it reaches Connect, but its answer comes too late.
      const held: (() => void)[] = [];
      let holding = false;
      const proxy: Server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const forward = () => {
            const upstream = request(
              `${connect.url}${req.url ?? '/'}`,
              { method: req.method, headers: req.headers },
              (up) => {
                res.writeHead(up.statusCode ?? 502, up.headers);
                up.pipe(res);
              },
            );
            upstream.on('error', () => res.destroy());
            upstream.end(Buffer.concat(chunks));
          };
          if (holding) held.push(forward);
          else forward();
        });
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      try {
        holding = true;
        const first = await startApp(proxyUrl);
        await raiseAlert(first);
        await expect.poll(() => held.length, { timeout: 15_000, interval: 50 }).toBe(1);
        await kill9(first); // the request is out; the answer will never reach this process
        for (const forward of held.splice(0)) forward(); // …but Connect gets it and rings Alice
        await expect.poll(dialled, { timeout: 5_000 }).toEqual([ALICE.phone]);
        holding = false;

        const second = await startApp(proxyUrl);
        // After the 30 s lease the start is re-sent with the same ClientToken: Connect answers the same contact.
        await expect.poll(() => connect.received.length, { timeout: 45_000, interval: 250 }).toBe(2);
        expect(new Set(connect.received.map((r) => r.clientToken)).size).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        expect(dialled()).toEqual([ALICE.phone]);
        await kill9(second);
        console.log(
          'R7 crash with the start in flight:',
          JSON.stringify({
            requests: connect.received.length,
            dials: dialled().length,
            ms: Date.now() - started,
          }),
        );
      } finally {
        await new Promise<void>((resolve) => proxy.close(() => resolve()));
      }
    },
    120_000,
  );
});
