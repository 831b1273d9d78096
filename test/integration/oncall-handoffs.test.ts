/**
 * Issue 18, at each handoff, with the manual clock and the scheduler's tick (what the Lambda `tick` function
 * runs every minute): the notice in the schedule's channel, the Slack user group set to who is on call, and the
 * DM an hour before a shift — each once per handoff, across a second process and repeated ticks, and not missed
 * when a tick comes late. User groups exist only on paid plans: on the free plan that is logged once and the
 * rest goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import { startPeer, type TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs } from '../helpers/log-capture.js';
import {
  ALICE,
  BOB,
  CAROL,
  CHANNEL,
  USERGROUP,
  dms,
  oncallFile,
  startWithSchedules,
  type OncallFile,
} from '../helpers/oncall.js';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

let h: TestHikeshi;
let peer: HikeshiApp;
let file: OncallFile;
const logs = captureLogs();

beforeAll(async () => {
  file = await oncallFile();
  // Monday 2026-01-12, 07:30 in Berlin: Alice's week ends at 09:00, Bob's begins.
  h = await startWithSchedules(file, { now: at('2026-01-12T06:30:00Z'), logger: logs.logger });
  peer = await startPeer(h, { env: { ONCALL_CONFIG: file.path } });
});
afterAll(async () => {
  await peer?.stop();
  await h?.close();
  await file?.remove();
});

const notices = () => h.emulator.workspace.messages(CHANNEL).filter((m) => m.text.includes('on call for'));
const members = () => h.emulator.workspace.usergroups.get(USERGROUP)?.users;
/** Both processes tick, as two servers (or a restart, or two Lambda containers) would. */
async function tickBoth(): Promise<void> {
  await Promise.all([h.app.scheduler.runOnce(), peer.scheduler.runOnce()]);
}

describe('handoffs', () => {
  it('keeps the user group equal to who is on call, from the first tick', async () => {
    await tickBoth();
    expect(members()).toEqual([ALICE]);
    // Alice's shift began a week ago: nothing to announce, nobody to remind yet.
    expect(notices()).toHaveLength(0);
    expect(dms(h, BOB)).toHaveLength(0);
  });

  it('DMs the incoming person an hour before their shift, once', async () => {
    h.clock.set(at('2026-01-12T07:05:00Z'));
    await tickBoth();
    await tickBoth();
    expect(dms(h, BOB).map((m) => m.text)).toEqual([
      '⏰ Your on-call shift for *payments-primary* starts Mon 09:00 and lasts until Mon 2026-01-19 09:00 (Europe/Berlin).',
    ]);
  });

  it('posts the notice and sets the user group at the handoff, once across processes and ticks', async () => {
    h.clock.set(at('2026-01-12T08:00:30Z'));
    await tickBoth();
    h.clock.advance(MINUTE);
    await tickBoth();
    expect(notices().map((m) => m.text)).toEqual([
      `🔁 <@${BOB}> is now on call for *payments-primary* until Mon 2026-01-19 09:00 (Europe/Berlin), taking over from <@${ALICE}>.`,
    ]);
    expect(members()).toEqual([BOB]);
    const updates = h.emulator.workspace.calls.filter((c) => c.method === 'usergroups.users.update' && c.ok);
    expect(updates).toHaveLength(2);
  });

  it('is not missed when the tick comes late', async () => {
    // No tick from Bob's week until two and a half hours after Carol's handoff.
    h.clock.set(at('2026-01-19T10:30:00Z'));
    await tickBoth();
    expect(notices().at(-1)?.text).toContain(`<@${CAROL}> is now on call for *payments-primary*`);
    expect(notices()).toHaveLength(2);
    expect(members()).toEqual([CAROL]);
  });

  it('follows an override: its start and its end are handoffs too', async () => {
    const schedule = h.app.services.schedules.schedule('payments-primary')!;
    const added = await h.app.services.schedules.addOverride({
      schedule: schedule.id,
      user: ALICE,
      start: at('2026-01-19T11:00:00Z'),
      end: at('2026-01-19T13:00:00Z'),
      by: CAROL,
    });
    expect(added.ok).toBe(true);
    h.clock.set(at('2026-01-19T10:15:00Z'));
    await tickBoth();
    // The override starts within the hour: Alice is reminded.
    expect(dms(h, ALICE).at(-1)?.text).toContain('starts Mon 12:00 and lasts until Mon 14:00');
    h.clock.set(at('2026-01-19T11:00:10Z'));
    await tickBoth();
    expect(members()).toEqual([ALICE]);
    h.clock.set(at('2026-01-19T13:00:10Z'));
    await tickBoth();
    expect(members()).toEqual([CAROL]);
    expect(
      notices()
        .slice(-2)
        .map((m) => m.text),
    ).toEqual([
      `🔁 <@${ALICE}> is now on call for *payments-primary* until Mon 14:00 (Europe/Berlin), taking over from <@${CAROL}>.`,
      `🔁 <@${CAROL}> is now on call for *payments-primary* until Mon 2026-01-26 09:00 (Europe/Berlin), taking over from <@${ALICE}>.`,
    ]);
  });

  it('on a free plan (no user groups) logs that once and still posts the notices', async () => {
    h.emulator.workspace.usergroups.paid = false;
    h.clock.set(at('2026-01-26T08:00:30Z'));
    await h.app.scheduler.runOnce();
    h.clock.set(at('2026-02-02T08:00:30Z'));
    await h.app.scheduler.runOnce();
    expect(
      notices()
        .slice(-2)
        .map((m) => /^🔁 <@(\w+)> is now on call/.exec(m.text)?.[1]),
    ).toEqual([ALICE, BOB]);
    const warnings = logs.entries().filter((e) => String(e['msg']).includes('user groups are not available'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ reason: 'paid_teams_only', usergroup: USERGROUP });
    expect(members()).toEqual([CAROL]);
  });
});
