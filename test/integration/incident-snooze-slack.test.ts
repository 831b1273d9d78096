/**
 * Issue 20, snooze and severity from Slack: `/incident snooze [ID] 30m`, `/incident severity [ID] critical`, and
 * the same two from the message's overflow menu, through the emulator's actions against the real Bolt app, over
 * Socket Mode and over signed HTTP (the emulator signs each request with the app's signing secret, as Slack does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '@hikeshi/slack-emulator';
import { Actions } from '../../src/blocks/ids.js';
import { ALERT_CHANNEL, rendered } from '../helpers/alerts.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const MIN = 60_000;

/** The overflow menu's options on a message, as [label, value]. */
function menuOptions(message: StoredMessage | undefined): [string, string][] {
  for (const block of message?.blocks ?? []) {
    for (const element of (block['elements'] as Record<string, unknown>[] | undefined) ?? []) {
      if (element['type'] !== 'overflow' || element['action_id'] !== Actions.menu) continue;
      return (element['options'] as { text: { text: string }; value: string }[]).map((o) => [
        o.text.text,
        o.value,
      ]);
    }
  }
  return [];
}

describe.each(['socket', 'http'] as const)('snooze and severity over %s', (transport) => {
  let h: TestHikeshi;
  beforeAll(async () => {
    h = await startHikeshi({ transport });
  });
  afterAll(async () => {
    await h.close();
  });

  const message = (ts: string) => h.emulator.workspace.message(ALERT_CHANNEL, ts);
  const ephemerals = (user: string) =>
    h.emulator.workspace.ephemerals.filter((e) => e.user === user).map((e) => e.text);
  const command = (text: string, user = ALICE) =>
    h.emulator.actions.runCommand({ userId: user, channelId: ALERT_CHANNEL, command: '/incident', text });

  it('/incident snooze ID 30m pauses escalation until then, shown on the message as a Slack time', async () => {
    const { id, ts } = await openIncident(h, { severity: 'critical' });
    const now = h.clock.now();
    await command(`snooze ${id} 30m`);
    const until = now + 30 * MIN;
    await expect
      .poll(async () => (await h.app.services.incidents.get(id))?.snoozedUntil)
      .toBe(new Date(until).toISOString());
    const hhmm = new Date(until).toISOString().slice(11, 16);
    const token = `<!date^${Math.floor(until / 1000)}^{time}|${hhmm} UTC>`;
    await expect.poll(() => rendered(message(ts)), { timeout: 5000 }).toContain(`snoozed until ${token}`);
    await expect.poll(() => ephemerals(ALICE).join('\n')).toContain(`is snoozed until ${token}`);
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.thread(ALERT_CHANNEL, ts)), { timeout: 5000 })
      .toContain('Snoozed phone escalation for 30m');
    // The menu now offers to end it; `/incident snooze ID off` ends it too.
    await expect.poll(() => menuOptions(message(ts)).map(([, v]) => v)).toContain(`${id}|unsnooze`);
    await command(`snooze ${id} off`);
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.snoozedUntil).toBeUndefined();
    await expect.poll(() => rendered(message(ts)), { timeout: 5000 }).not.toContain('snoozed until');
  });

  it('/incident severity ID changes the severity, with a thread line; a wrong word gets the usage', async () => {
    const { id, ts } = await openIncident(h, { severity: 'critical' });
    await command(`severity ${id} warning`, BOB);
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.severity).toBe('warning');
    await expect.poll(() => rendered(message(ts)), { timeout: 5000 }).toContain(`🟡 ${id}`);
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.thread(ALERT_CHANNEL, ts)), { timeout: 5000 })
      .toContain('Severity changed critical → warning');
    await command(`severity ${id} fatal`, BOB);
    await expect.poll(() => ephemerals(BOB).join('\n')).toContain('is not a severity');
    await command(`severity ${id} warning`, BOB);
    await expect.poll(() => ephemerals(BOB).join('\n')).toContain('is already warning');
    expect((await h.app.services.incidents.get(id))?.severity).toBe('warning');
  });

  it('the overflow menu snoozes, changes the severity and ends the snooze', async () => {
    const { id, ts } = await openIncident(h, { severity: 'error' });
    const choose = (optionValue: string) =>
      h.emulator.actions.chooseOption({
        userId: ALICE,
        channelId: ALERT_CHANNEL,
        messageTs: ts,
        actionId: Actions.menu,
        optionValue,
      });
    expect(menuOptions(message(ts))).toEqual([
      ['Snooze 30 minutes', `${id}|snooze:30m`],
      ['Snooze 2 hours', `${id}|snooze:2h`],
      ['Severity: critical', `${id}|severity:critical`],
      ['Severity: warning', `${id}|severity:warning`],
      ['Severity: info', `${id}|severity:info`],
    ]);
    const now = h.clock.now();
    await choose(`${id}|snooze:2h`);
    await expect
      .poll(async () => (await h.app.services.incidents.get(id))?.snoozedUntil)
      .toBe(new Date(now + 120 * MIN).toISOString());
    await expect.poll(() => rendered(message(ts)), { timeout: 5000 }).toContain('snoozed until <!date^');

    await expect.poll(() => menuOptions(message(ts)).map(([, v]) => v)).toContain(`${id}|severity:critical`);
    await choose(`${id}|severity:critical`);
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.severity).toBe('critical');
    await expect.poll(() => rendered(message(ts)), { timeout: 5000 }).toContain(`🔴 ${id}`);

    await expect.poll(() => menuOptions(message(ts)).map(([, v]) => v)).toContain(`${id}|unsnooze`);
    await choose(`${id}|unsnooze`);
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.snoozedUntil).toBeUndefined();
    // Once resolved, the menu is gone.
    await h.app.services.incidents.resolve(id, ALICE);
    await expect.poll(() => menuOptions(message(ts)), { timeout: 5000 }).toEqual([]);
  });
});
