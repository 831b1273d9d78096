/**
 * Issue 20: a restart mid-storm. The real app runs as a process (`src/main.ts`, its store on disk, production
 * pacing) against the Slack emulator in this test process, which enforces Slack's documented rate limits. A storm
 * of distinct alerts is on its way when the app is killed with SIGKILL the moment Slack has answered the
 * digest's chat.postMessage: Slack has the digest, the store never learnt its ts. Started again on the same
 * DATA_DIR, with the senders retrying what was not answered, the app must end with every incident shown
 * somewhere — its own message or a digest — with one digest per minute (the one Slack has, adopted by its
 * metadata, not posted twice), no incident posted on its own past the minute's first five, and no 429.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StoredMessage } from '@hikeshi/slack-emulator';
import { DIGEST_MESSAGE_EVENT, INCIDENT_MESSAGE_EVENT } from '../../src/integrations/slack-message-lookup.js';
import { killAllAppProcesses, logLines, startAppProcess, type AppProcess } from '../helpers/app-process.js';
import { startObservedEmulator } from '../helpers/observed-emulator.js';
import { stormAlert } from '../helpers/storm.js';
import { startTestStore } from '../helpers/store.js';

const CHANNEL = 'C0ALERTS1';
const TOKEN = 'storm-crash-alerts-token-3b9c';
const STORM = 150;

let slack: Awaited<ReturnType<typeof startObservedEmulator>>;
let dataDir: string;

beforeEach(async () => {
  slack = await startObservedEmulator();
  slack.emulator.limits.useSlackLimits();
  dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-storm-'));
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
    ALERTS_API_TOKEN: TOKEN,
    DIGEST_AFTER: '5',
  });

const tagged = (m: StoredMessage, type: string) =>
  (m.metadata as { event_type?: string } | undefined)?.event_type === type;
const payload = (m: StoredMessage) =>
  (m.metadata as { event_payload?: Record<string, string> } | undefined)?.event_payload ?? {};

/**
 * Sends the alerts not answered yet, about ten a second (a storm spread over its minute, so the kill falls in the
 * middle of it), until the app dies; records the incident ids it got.
 */
async function send(app: AppProcess, answered: Map<number, string>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < STORM) {
      const n = next;
      next += 1;
      if (answered.has(n)) continue;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const res = await fetch(`${app.baseUrl}/api/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(stormAlert('crash', n)),
      }).catch(() => undefined);
      if (res === undefined) return; // the app is gone
      if (res.status === 202)
        answered.set(n, String(((await res.json()) as { incident_id: string }).incident_id));
    }
  };
  await Promise.all(Array.from({ length: 5 }, worker));
}

it('kill -9 right after the digest is posted, then a restart: every incident shown once, one digest a minute, no 429', async () => {
  const answered = new Map<number, string>();
  let victim = await start();
  let armed = true;
  slack.onAnswered.current = (method) => {
    const digested = slack.emulator.workspace.messages(CHANNEL).some((m) => tagged(m, DIGEST_MESSAGE_EVENT));
    if (armed && method === 'chat.postMessage' && digested) {
      armed = false;
      victim.child.kill('SIGKILL');
    }
  };
  await send(victim, answered);
  expect(await victim.exited).toBe('SIGKILL');
  slack.onAnswered.current = () => undefined;
  expect(answered.size).toBeLessThan(STORM);

  // The store never learnt the digest's ts (LevelDB has one opener: read it while no app runs).
  const store = await startTestStore({ dataDir });
  const [digestId] = slack.emulator.workspace
    .messages(CHANNEL)
    .filter((m) => tagged(m, DIGEST_MESSAGE_EVENT))
    .map((m) => payload(m)['digest_id']);
  expect((await store.digests.get(digestId!))?.slack).toBeUndefined();
  await store.close();

  victim = await start();
  await send(victim, answered);
  expect(answered.size).toBe(STORM);
  const ids = [...answered.values()];
  const shown = async () => {
    const own = new Set<string>();
    const digests = new Map<string, StoredMessage[]>();
    for (const m of slack.emulator.workspace.messages(CHANNEL)) {
      if (tagged(m, INCIDENT_MESSAGE_EVENT)) own.add(payload(m)['incident_id'] ?? '');
      if (tagged(m, DIGEST_MESSAGE_EVENT)) {
        const id = payload(m)['digest_id'] ?? '';
        digests.set(id, [...(digests.get(id) ?? []), m]);
      }
    }
    const counted = [...digests.values()].reduce(
      (sum, [m]) => sum + Number(/\+(\d+)/.exec(m?.text ?? '')?.[1]),
      0,
    );
    return { own, digests, all: own.size + counted };
  };
  await expect.poll(async () => (await shown()).all, { timeout: 60_000, interval: 500 }).toBe(STORM);
  const { own, digests } = await shown();
  // One digest message per minute: the one Slack had is the one the restart adopted.
  for (const messages of digests.values()) expect(messages).toHaveLength(1);
  expect(own.size).toBeLessThanOrEqual(5 * digests.size);
  expect(ids.filter((id) => own.has(id)).length).toBe(own.size);
  expect(slack.emulator.workspace.calls.filter((c) => c.error === 'ratelimited')).toEqual([]);
  expect(logLines(victim).some((l) => l['digest'] === digestId && /adopting/.test(String(l['msg'])))).toBe(
    true,
  );
}, 180_000);
