/**
 * Issue 18, the Slack side of schedules, over signed HTTP requests from the emulator (as Slack sends them) with
 * the manual clock: `/oncall` shows now and next for every schedule and the flat list; an override made in
 * Slack (command or modal with date-time pickers) changes `/oncall`, App Home and `GET /api/oncall` alike;
 * overlapping overrides are refused with the reason; a swap is asked and accepted (or declined) with a button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Actions, Views } from '../../src/blocks/ids.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import {
  ALICE,
  BOB,
  CAROL,
  CHANNEL,
  apiOncall,
  dms,
  ephemeralTexts,
  homeText,
  oncallFile,
  startWithSchedules,
  type OncallFile,
} from '../helpers/oncall.js';

let h: TestHikeshi;
let file: OncallFile;

beforeAll(async () => {
  file = await oncallFile();
  h = await startWithSchedules(file);
});
afterAll(async () => {
  await h?.close();
  await file?.remove();
});

const oncall = (user: string, text = '') =>
  h.emulator.actions.runCommand({ userId: user, channelId: CHANNEL, command: '/oncall', text });

async function lastEphemeral(user: string, before: number): Promise<string> {
  await expect.poll(() => ephemeralTexts(h, user).length, { timeout: 5000 }).toBeGreaterThan(before);
  return ephemeralTexts(h, user).at(-1) ?? '';
}

describe('/oncall with schedules', () => {
  it('shows now and next for each schedule, then the flat list', async () => {
    await h.app.services.oncall.add({ userId: CAROL, phone: '+819012340003' });
    const before = ephemeralTexts(h, ALICE).length;
    await oncall(ALICE);
    const text = await lastEphemeral(ALICE, before);
    expect(text).toContain(`payments-primary: <@${ALICE}> until Mon 09:00`);
    expect(text).toContain(`Responders:\n1. <@${CAROL}> +81-***-***-0003`);
    const blocks = JSON.stringify(h.emulator.workspace.ephemerals.at(-1)?.blocks);
    expect(blocks).toContain(`Next: <@${BOB}> Mon 09:00 → Mon 2026-01-19 09:00`);
  });

  it('`who` answers for a time in the schedule’s zone, with the calendar feed link', async () => {
    const before = ephemeralTexts(h, BOB).length;
    await oncall(BOB, 'who payments-primary 2026-01-13 10:00');
    expect(await lastEphemeral(BOB, before)).toBe(
      `<@${BOB}> is on call for *payments-primary* at Tue 10:00 (Europe/Berlin): from Mon 09:00 until Mon 2026-01-19 09:00.`,
    );
    const blocks = JSON.stringify(h.emulator.workspace.ephemerals.at(-1)?.blocks);
    expect(blocks).toMatch(/api\/schedules\/payments-primary\.ics\?token=[A-Za-z0-9_-]{43}/);
  });

  it('an override made in Slack changes /oncall, App Home and GET /api/oncall alike', async () => {
    const before = ephemeralTexts(h, ALICE).length;
    await oncall(ALICE, `override <@${BOB}|bob> now +2h payments-primary`);
    expect(await lastEphemeral(ALICE, before)).toBe(
      `✅ <@${BOB}> is on call for *payments-primary* from Wed 13:00 until Wed 15:00 (Europe/Berlin) instead of the rota.`,
    );

    const overview = ephemeralTexts(h, CAROL).length;
    await oncall(CAROL);
    expect(await lastEphemeral(CAROL, overview)).toContain(`payments-primary: <@${BOB}> until Wed 15:00`);

    await h.emulator.actions.openAppHome(BOB);
    await expect
      .poll(() => homeText(h, BOB), { timeout: 5000 })
      .toContain('You are on call for *payments-primary* until Wed 15:00 (Europe/Berlin)');
    await h.emulator.actions.openAppHome(ALICE);
    await expect
      .poll(() => homeText(h, ALICE), { timeout: 5000 })
      .toContain('Your next shift for *payments-primary*: Wed 15:00 → Mon 09:00 (Europe/Berlin)');

    const api = await apiOncall(h);
    expect(api.status).toBe(200);
    expect(api.body.schedules).toEqual([
      {
        id: 'payments-primary',
        time_zone: 'Europe/Berlin',
        on_call: [{ user: BOB, from: '2026-01-07T12:00:00.000Z', until: '2026-01-07T14:00:00.000Z' }],
        next: [
          { user: ALICE, from: '2026-01-07T14:00:00.000Z', until: '2026-01-12T08:00:00.000Z' },
          { user: BOB, from: '2026-01-12T08:00:00.000Z', until: '2026-01-19T08:00:00.000Z' },
        ],
      },
    ]);
    expect(api.body.responders).toEqual({ group: 'default', on_call: [CAROL] });

    // The escalation's question (issue 19) gets the same answer: targets resolved at an instant.
    const { schedules } = h.app.services;
    const now = h.clock.now();
    expect(await schedules.whoIsOnCall({ kind: 'schedule', schedule: 'payments-primary' }, now)).toEqual([
      BOB,
    ]);
    expect(
      await schedules.whoIsOnCall({ kind: 'schedule', schedule: 'payments-primary' }, now + 3 * 3_600_000),
    ).toEqual([ALICE]);
    expect(await schedules.whoIsOnCall({ kind: 'responders', group: 'default' }, now)).toEqual([CAROL]);
    expect(await schedules.whoIsOnCall({ kind: 'user', user: ALICE }, now)).toEqual([ALICE]);
  });

  it('two people adding overlapping overrides at once: one wins, the other is told why', async () => {
    const request = (user: string) =>
      h.app.services.schedules.addOverride({
        schedule: 'payments-primary',
        user,
        start: Date.parse('2026-01-20T10:00:00Z'),
        end: Date.parse('2026-01-20T12:00:00Z'),
        by: user,
      });
    const outcomes = await Promise.all([request(BOB), request(CAROL), request(ALICE)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    for (const lost of outcomes.filter((o) => !o.ok))
      expect(lost).toMatchObject({ reason: expect.stringContaining('overlaps') });
    const stored = await h.app.services.schedules.overrides(
      h.app.services.schedules.schedule('payments-primary')!,
    );
    expect(stored.filter((o) => o.start === Date.parse('2026-01-20T10:00:00Z'))).toHaveLength(1);
  });

  it('refuses an overlapping override with the reason, and stores nothing', async () => {
    const stored = (await h.app.services.schedules.overrides(h.app.services.schedules.schedules()[0]!))
      .length;
    const before = ephemeralTexts(h, CAROL).length;
    await oncall(CAROL, `override <@${CAROL}|carol> 2026-01-07 14:30 2026-01-07 16:00`);
    expect(await lastEphemeral(CAROL, before)).toBe(
      `⚠️ Not added: it overlaps <@${BOB}>'s override of payments-primary from 2026-01-07 13:00 to 2026-01-07 15:00 (Europe/Berlin)`,
    );
    expect(await h.app.services.schedules.overrides(h.app.services.schedules.schedules()[0]!)).toHaveLength(
      stored,
    );
  });

  it('explains a bad time, naming what works, and a schedule that does not exist', async () => {
    let before = ephemeralTexts(h, CAROL).length;
    await oncall(CAROL, `override <@${CAROL}|carol> tomorrow +2h`);
    expect(await lastEphemeral(CAROL, before)).toContain('start: expected now, +2h (or +30m, +1d)');
    before = ephemeralTexts(h, CAROL).length;
    await oncall(CAROL, 'who billing');
    expect(await lastEphemeral(CAROL, before)).toContain(
      'There is no schedule `billing` (schedules: payments-primary).',
    );
  });

  it('the override modal (date-time pickers) adds an override, and shows an overlap next to the field', async () => {
    await oncall(CAROL, 'override');
    const modal = () => h.emulator.workspace.views.top(CAROL);
    await expect.poll(() => modal()?.definition['callback_id'], { timeout: 5000 }).toBe(Views.oncallOverride);
    const view = modal()!;
    const start = Date.parse('2026-01-08T10:00:00Z') / 1000;
    // Overlapping Bob's override first: the form stays open with the reason next to "From".
    const overlapping = await h.emulator.actions.submitView({
      userId: CAROL,
      viewId: view.id,
      values: { start: String(Date.parse('2026-01-07T13:00:00Z') / 1000), end: String(start) },
    });
    expect(overlapping).toMatchObject({ status: 200 });
    expect(h.emulator.workspace.views.get(view.id)?.errors?.['override_start']).toContain('overlaps');
    await h.emulator.actions.submitView({
      userId: CAROL,
      viewId: view.id,
      values: { start: String(start), end: String(start + 4 * 3600) },
    });
    await expect
      .poll(async () => (await apiOncall(h, '?at=2026-01-08T11:30:00Z')).body.schedules[0]?.on_call[0]?.user)
      .toBe(CAROL);
    await expect
      .poll(() => ephemeralTexts(h, CAROL).at(-1), { timeout: 5000 })
      .toContain(`<@${CAROL}> is on call for *payments-primary* from Thu 11:00 until Thu 15:00`);
  });

  it('a swap is asked, and accepted with the button in a DM', async () => {
    // Alice asks Carol to take what is left of her week.
    const before = ephemeralTexts(h, ALICE).length;
    h.clock.set(Date.parse('2026-01-09T12:00:00Z'));
    await oncall(ALICE, `swap <@${CAROL}|carol>`);
    expect(await lastEphemeral(ALICE, before)).toBe(
      `📨 Asked <@${CAROL}> to take *payments-primary* from Fri 13:00 until Mon 09:00 (Europe/Berlin); you will hear back here.`,
    );
    const question = dms(h, CAROL).at(-1)!;
    expect(question.text).toContain(
      `<@${ALICE}> asks you to take *payments-primary* from Fri 13:00 until Mon 09:00`,
    );

    // Only Carol can answer.
    const bobBefore = ephemeralTexts(h, BOB).length;
    await h.emulator.actions.clickButton({
      userId: CAROL,
      channelId: question.channel,
      messageTs: question.ts,
      actionId: Actions.swapAccept,
    });
    await expect
      .poll(async () => (await apiOncall(h)).body.schedules[0]?.on_call[0])
      .toEqual({
        user: CAROL,
        from: '2026-01-09T12:00:00.000Z',
        until: '2026-01-12T08:00:00.000Z',
      });
    await expect
      .poll(() => h.emulator.workspace.message(question.channel, question.ts)?.text, { timeout: 5000 })
      .toContain('✅ You took *payments-primary*');
    await expect.poll(() => dms(h, ALICE).at(-1)?.text, { timeout: 5000 }).toContain(`<@${CAROL}> accepted`);
    expect(ephemeralTexts(h, BOB)).toHaveLength(bobBefore);

    // A second click changes nothing.
    const overrides = await h.app.services.schedules.overrides(h.app.services.schedules.schedules()[0]!);
    await h.emulator.actions
      .clickButton({
        userId: CAROL,
        channelId: question.channel,
        messageTs: question.ts,
        actionId: Actions.swapAccept,
      })
      .catch(() => undefined);
    expect(await h.app.services.schedules.overrides(h.app.services.schedules.schedules()[0]!)).toEqual(
      overrides,
    );
    h.clock.set(Date.parse('2026-01-07T12:00:00Z'));
  });

  it('a declined swap changes nothing and tells the asker', async () => {
    h.clock.set(Date.parse('2026-01-13T12:00:00Z'));
    await oncall(BOB, `swap <@${ALICE}|alice> 2026-01-14 09:00 2026-01-14 18:00`);
    await expect.poll(() => dms(h, ALICE).at(-1)?.text, { timeout: 5000 }).toContain('asks you to take');
    const question = dms(h, ALICE).at(-1)!;
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: question.channel,
      messageTs: question.ts,
      actionId: Actions.swapDecline,
    });
    await expect.poll(() => dms(h, BOB).at(-1)?.text, { timeout: 5000 }).toContain(`<@${ALICE}> declined`);
    expect((await apiOncall(h, '?at=2026-01-14T10:00:00Z')).body.schedules[0]?.on_call[0]?.user).toBe(BOB);
    h.clock.set(Date.parse('2026-01-07T12:00:00Z'));
  });
});
