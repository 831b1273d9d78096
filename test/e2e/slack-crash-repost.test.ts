/**
 * Issue 17 A: no duplicate Slack message after a crash. The real app runs as a process (`src/main.ts`, the store
 * on disk under a temp DATA_DIR) against the Slack emulator in this test process, over Socket Mode and the Web
 * API. The moment the emulator has written its answer to the incident's chat.postMessage, the app is killed with
 * SIGKILL: Slack has the message, the store never learnt its ts. Started again on the same DATA_DIR, the app must
 * find that message (its metadata names the incident) and adopt it — one message per incident, whose buttons
 * work — instead of posting a second copy and leaving the first with live buttons forever.
 *
 * `npm test` runs 2 rounds; `HIKESHI_CRASH_ROUNDS=20` runs the measurement recorded in docs/RELIABILITY.md.
 * SLACK_ALERT_CHANNEL is the default, a channel *name*: the search resolves it to the id conversations.history
 * needs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '@hikeshi/slack-emulator';
import { INCIDENT_MESSAGE_EVENT } from '../../src/integrations/slack-message-lookup.js';
import { Actions } from '../../src/blocks/ids.js';
import {
  killAllAppProcesses,
  kill9,
  logLines,
  startAppProcess,
  type AppProcess,
} from '../helpers/app-process.js';
import { startObservedEmulator } from '../helpers/observed-emulator.js';
import { startTestStore } from '../helpers/store.js';

const CHANNEL = 'C0ALERTS1';
const ALERTS_TOKEN = 'crash-repost-alerts-token-7e21';
const ROUNDS = Number(process.env['HIKESHI_CRASH_ROUNDS'] ?? '2');

let slack: Awaited<ReturnType<typeof startObservedEmulator>>;
let dataDir: string;

beforeEach(async () => {
  slack = await startObservedEmulator();
  dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-repost-'));
});

afterEach(async () => {
  killAllAppProcesses();
  await slack.close();
  await rm(dataDir, { recursive: true, force: true });
});

const start = () =>
  startAppProcess(dataDir, {
    SLACK_BOT_TOKEN: slack.emulator.botToken,
    SLACK_APP_TOKEN: slack.emulator.appToken,
    SLACK_API_URL: slack.emulator.apiUrl,
    ALERTS_API_TOKEN: ALERTS_TOKEN,
  });

/** Top-level messages in the alert channel about the incident titled `title` (its message text names it). */
const messagesAbout = (title: string): StoredMessage[] =>
  slack.emulator.workspace.messages(CHANNEL).filter((m) => m.text.includes(title));

async function raiseAlert(app: AppProcess, title: string): Promise<string> {
  const response = await fetch(`${app.baseUrl}/api/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}` },
    body: JSON.stringify({ title, severity: 'critical', dedup_key: title }),
  });
  expect(response.status).toBe(202);
  return String(((await response.json()) as Record<string, unknown>)['incident_id']);
}

/** What the store knows of the incident's message (the app must not be running: LevelDB has one opener). */
async function storedMessage(incidentId: string): Promise<{ channel: string; ts: string } | undefined> {
  const store = await startTestStore({ dataDir });
  try {
    return (await store.incidents.get(incidentId))?.['slack'] as { channel: string; ts: string } | undefined;
  } finally {
    await store.close();
  }
}

describe('kill -9 right after Slack answered the post, then a restart on the same data', () => {
  it(
    `never posts an incident twice, and the one message stays live (${ROUNDS} rounds)`,
    async () => {
      const started = Date.now();
      const figures = {
        rounds: ROUNDS,
        crashWindowHit: 0,
        duplicates: 0,
        adopted: 0,
        /** From the restarted app serving to its adopting the message (its log times). */
        adoptMs: [] as number[],
      };
      let app = await start();
      for (let round = 1; round <= ROUNDS; round += 1) {
        const title = `Primary database unreachable [crash ${round}]`;
        // Killed the moment the answer to this incident's post is written, before the app can store the ts.
        const victim = app;
        let armed = true;
        slack.onAnswered.current = (method) => {
          const posted = slack.emulator.workspace.messages(CHANNEL).some((m) => m.text.includes(title));
          if (armed && method === 'chat.postMessage' && posted) {
            armed = false;
            victim.child.kill('SIGKILL');
          }
        };
        const answered = await raiseAlert(victim, title).catch(() => undefined); // killed before answering?
        expect(await victim.exited).toBe('SIGKILL');
        slack.onAnswered.current = () => undefined;
        const [message] = messagesAbout(title);
        expect(message).toBeDefined();
        const id = answered ?? /INC-\d+/.exec(message!.text)?.[0] ?? '';
        // The crash hit the window: the message is in Slack, its ts is not in the store.
        if ((await storedMessage(id)) === undefined) figures.crashWindowHit += 1;

        app = await start();
        // The one message is the incident's: its buttons act, and the change shows on it.
        await slack.emulator.actions.clickButton({
          userId: 'U0ALICE01',
          channelId: CHANNEL,
          messageTs: message!.ts,
          actionId: Actions.acknowledge,
        });
        await expect
          .poll(() => JSON.stringify(slack.emulator.workspace.message(CHANNEL, message!.ts)?.blocks), {
            timeout: 15_000,
          })
          .toMatch(/[Aa]cknowledged/);
        // The acknowledgement's thread reply is out before the next round arms its kill on a post.
        await expect
          .poll(() => slack.emulator.workspace.thread(CHANNEL, message!.ts).length, { timeout: 15_000 })
          .toBeGreaterThan(1);
        const copies = messagesAbout(title).length;
        figures.duplicates += copies - 1;
        expect(copies).toBe(1);
        expect(message!.metadata).toEqual({
          event_type: INCIDENT_MESSAGE_EVENT,
          event_payload: { incident_id: id },
        });
        const lines = logLines(app);
        const adopted = lines.find((l) => l['incident'] === id && /adopting/.test(String(l['msg'])));
        const running = lines.find((l) => /Hikeshi is running/.test(String(l['msg'])));
        if (adopted) {
          figures.adopted += 1;
          figures.adoptMs.push(Number(adopted['time']) - Number(running?.['time']));
        }
      }
      await kill9(app);
      expect(figures.crashWindowHit).toBe(ROUNDS);
      expect(figures.adopted).toBe(ROUNDS);
      console.log(
        'Issue 17 A, kill -9 after a post:',
        JSON.stringify({ ...figures, ms: Date.now() - started }),
      );
    },
    60_000 + ROUNDS * 30_000,
  );
});
