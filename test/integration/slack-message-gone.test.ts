/**
 * Issue 21: a message that has gone is posted again. Someone deletes an incident's message (or archives its
 * channel); the next edit or thread reply gets Slack's `message_not_found` / `thread_not_found`, and Hikeshi posts
 * a fresh message for the incident, records its ts and logs it once, instead of retrying the same call forever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, type LogCapture } from '../helpers/log-capture.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident as openTestIncident } from '../helpers/open-incident.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';

/** An incident with its Slack message posted and its edits sent (the shared helper, as an error from this test). */
async function openIncident(h: TestHikeshi) {
  const opened = await openTestIncident(h, {
    title: `Payment webhook failing ${Math.random().toString(36).slice(2, 8)}`,
    severity: 'error',
    source: 'test',
  });
  await h.app.services.publisher.flush();
  return opened;
}

const goneLines = (logs: LogCapture, id: string) =>
  logs.entries().filter((e) => e['incident'] === id && String(e['msg']).includes('has gone'));

describe('a message that has gone is posted again', () => {
  let h: TestHikeshi;
  let logs: LogCapture;
  beforeAll(async () => {
    logs = captureLogs();
    h = await startHikeshi({ logger: logs.logger });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a deleted message: the next edit posts a fresh one, records its ts and logs once', async () => {
    const { id, ts } = await openIncident(h);
    expect(h.emulator.workspace.deleteMessage(CHANNEL, ts)).toBe(true);
    await h.app.services.incidents.acknowledge(id, ALICE);
    await expect
      .poll(async () => (await h.app.services.incidents.get(id))?.slack?.ts, { timeout: 5000 })
      .not.toBe(ts);
    const fresh = (await h.app.services.incidents.get(id))!.slack!;
    await h.app.services.publisher.flush();
    const message = h.emulator.workspace.message(CHANNEL, fresh.ts);
    expect(JSON.stringify(message?.blocks)).toContain('*Acknowledged* by');
    expect(goneLines(logs, id)).toHaveLength(1);
    // Later changes edit the fresh message, and nothing more is reposted.
    await h.app.services.incidents.resolve(id, ALICE);
    await h.app.services.publisher.flush();
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.message(CHANNEL, fresh.ts)?.blocks))
      .toContain('Resolved');
    expect(goneLines(logs, id)).toHaveLength(1);
    expect(h.emulator.workspace.allMessages(CHANNEL).filter((m) => m.text.includes(id))).toHaveLength(1);
  });

  it('a deleted thread: the reply goes to the fresh message’s thread', async () => {
    const { id, ts } = await openIncident(h);
    h.emulator.workspace.deleteMessage(CHANNEL, ts);
    await h.app.services.incidents.note(id, { kind: 'note', actor: ALICE, text: 'looking into the webhook' });
    await expect
      .poll(async () => (await h.app.services.incidents.get(id))?.slack?.ts, { timeout: 5000 })
      .not.toBe(ts);
    const fresh = (await h.app.services.incidents.get(id))!.slack!;
    await expect
      .poll(() =>
        h.emulator.workspace
          .allMessages(CHANNEL)
          .filter((m) => m.thread_ts === fresh.ts && m.ts !== fresh.ts)
          .map((m) => m.text)
          .join('\n'),
      )
      .toContain('looking into the webhook');
    expect(goneLines(logs, id)).toHaveLength(1);
  });

  it('an archived channel where the fresh message cannot go either: each call fails once, no retry loop', async () => {
    const { id } = await openIncident(h);
    h.emulator.workspace.archiveChannel(CHANNEL);
    const calls = h.emulator.workspace.calls.length;
    await h.app.services.incidents.acknowledge(id, ALICE);
    const failed = () =>
      logs.entries().filter((e) => e['incident'] === id && e['msg'] === 'Slack call failed');
    await expect.poll(() => failed().length, { timeout: 5000 }).toBeGreaterThan(0);
    await h.app.services.publisher.flush();
    // The edit and the thread reply each fail once, and each one's fresh post fails once: no retries.
    expect(
      failed()
        .map((e) => `${String(e['what'])} ${String(e['slackError'])}`)
        .sort(),
    ).toEqual(['edit is_archived', 'reply is_archived']);
    const made = h.emulator.workspace.calls.slice(calls).length;
    expect(made).toBeLessThanOrEqual(4);
    // A later change tries again once (an edit and a reply, each with its fresh post), and stops there too.
    await h.app.services.incidents.note(id, { kind: 'note', actor: ALICE, text: 'still there?' });
    await h.app.services.publisher.flush();
    expect(h.emulator.workspace.calls.length - calls).toBeLessThanOrEqual(made + 4);
  });
});
