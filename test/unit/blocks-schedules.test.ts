/**
 * Issue 18's Block Kit, built by pure functions: `/oncall` with schedules, `/oncall who`, the App Home section,
 * the handoff notice and reminder, the swap question and its answers, and the override modal with its
 * date-time pickers and submission parser. Snapshots fix the wording; every builder stays within Slack's limits
 * (the same checker the emulator uses), however many schedules there are.
 */
import { describe, expect, it } from 'vitest';
import { buildAppHome } from '../../src/blocks/app-home.js';
import { findBlockKitViolations } from '../../src/blocks/limits.js';
import {
  OverrideFields,
  buildOverrideModal,
  parseOverrideSubmission,
} from '../../src/blocks/override-modal.js';
import {
  handoffNotice,
  overrideAddedText,
  shiftReminder,
  swapAnsweredMessage,
  swapAskedText,
  swapOutcomeForRequester,
  swapRequestMessage,
} from '../../src/blocks/schedule-messages.js';
import {
  appHomeOncallBlocks,
  buildOncallOverview,
  buildWhoReply,
  viewerShiftText,
  type ScheduleShifts,
} from '../../src/blocks/schedules.js';
import type { Schedule } from '../../src/domain/oncall-config.js';
import type { OncallEntry } from '../../src/domain/oncall.js';
import { ms } from '../helpers/schedules.js';

const payments: Schedule = { id: 'payments-primary', timeZone: 'Europe/Berlin', layers: [] };
const database: Schedule = { id: 'database', timeZone: 'Asia/Tokyo', layers: [] };
const NOW = ms('2026-01-07T12:00:00Z');
const responders: OncallEntry[] = [{ userId: 'U0CAROL01', phone: '+819012340003', priority: 1 }];

const paymentsView: ScheduleShifts = {
  schedule: payments,
  onCall: [{ user: 'U0ALICE01', from: ms('2026-01-05T08:00:00Z'), until: ms('2026-01-12T08:00:00Z') }],
  next: [
    { user: 'U0BOB0001', from: ms('2026-01-12T08:00:00Z'), until: ms('2026-01-19T08:00:00Z') },
    { user: 'U0CAROL01', from: ms('2026-01-19T08:00:00Z'), until: null },
  ],
};
const databaseView: ScheduleShifts = { schedule: database, onCall: [], next: [] };

describe('/oncall and /oncall who', () => {
  it('lists now and next per schedule in its own zone, then the flat list', () => {
    const reply = buildOncallOverview({ views: [paymentsView, databaseView], responders, now: NOW });
    expect(reply.text).toMatchInlineSnapshot(`
      "payments-primary: <@U0ALICE01> until Mon 09:00
      database: nobody
      Responders:
      1. <@U0CAROL01> +81-***-***-0003"
    `);
    expect(reply.blocks).toMatchSnapshot();
    expect(findBlockKitViolations({ kind: 'message', ...reply })).toEqual([]);
  });

  it('names the instant asked and links the private feed', () => {
    const reply = buildWhoReply({
      view: paymentsView,
      at: ms('2026-01-08T10:00:00Z'),
      now: NOW,
      feedUrl: 'https://hikeshi.example.com/api/schedules/payments-primary.ics?token=abc|def',
    });
    expect(reply.text).toBe(
      '<@U0ALICE01> is on call for *payments-primary* at Thu 11:00 (Europe/Berlin): from Mon 09:00 until Mon 09:00.',
    );
    expect(JSON.stringify(reply.blocks)).toContain(
      'payments-primary.ics?token=abc%7Cdef|payments-primary.ics>',
    );
    expect(buildWhoReply({ view: databaseView, at: NOW, now: NOW }).text).toBe(
      'Nobody is on call for *database* now.',
    );
  });

  it('stays within the 50 blocks of a message with many schedules', () => {
    const views = Array.from({ length: 80 }, (_, i) => ({
      ...paymentsView,
      schedule: { ...payments, id: `s${i}` },
    }));
    const reply = buildOncallOverview({ views, responders, now: NOW });
    expect(findBlockKitViolations({ kind: 'message', ...reply })).toEqual([]);
    expect(JSON.stringify(reply.blocks)).toContain('…and 40 more');
  });
});

describe('App Home', () => {
  it('says "You are on call for payments-primary until Mon 09:00 (Europe/Berlin)"', () => {
    expect(
      viewerShiftText(
        { schedule: payments, onCallNow: true, from: null, until: ms('2026-01-12T08:00:00Z') },
        NOW,
      ),
    ).toBe('🟢 You are on call for *payments-primary* until Mon 09:00 (Europe/Berlin)');
    expect(
      viewerShiftText(
        { schedule: payments, onCallNow: false, from: ms('2026-01-12T08:00:00Z'), until: null },
        NOW,
      ),
    ).toBe('⏭️ Your next shift for *payments-primary*: Mon 09:00 → further notice (Europe/Berlin)');
  });

  it('shows the viewer’s shifts, each schedule with its feed, and the flat list, within the view’s limits', () => {
    const blocks = appHomeOncallBlocks({
      viewerShifts: [{ schedule: payments, onCallNow: true, from: null, until: ms('2026-01-12T08:00:00Z') }],
      views: [paymentsView, databaseView],
      responders,
      now: NOW,
      feedUrl: (id) => `https://hikeshi.example.com/api/schedules/${id}.ics?token=t`,
      maxBlocks: 40,
    });
    expect(blocks).toMatchSnapshot();
    const home = buildAppHome({ openIncidents: [], oncall: responders, oncallBlocks: blocks });
    expect(findBlockKitViolations({ kind: 'view', view: home })).toEqual([]);

    const many = appHomeOncallBlocks({
      viewerShifts: [],
      views: Array.from({ length: 60 }, (_, i) => ({
        ...paymentsView,
        schedule: { ...payments, id: `s${i}` },
      })),
      responders,
      now: NOW,
      maxBlocks: 40,
    });
    expect(many).toHaveLength(40);
    expect(JSON.stringify(many.at(-1))).toContain('more in `/oncall`');
  });
});

describe('handoff and swap messages', () => {
  it('reads as a person would say it', () => {
    const question = {
      id: 'swp_1',
      schedule: payments,
      requester: 'U0ALICE01',
      asked: 'U0CAROL01',
      start: ms('2026-01-09T12:00:00Z'),
      end: ms('2026-01-12T08:00:00Z'),
    };
    const texts = [
      handoffNotice({
        schedule: payments,
        incoming: 'U0BOB0001',
        outgoing: 'U0ALICE01',
        until: ms('2026-01-19T08:00:00Z'),
        now: NOW,
      }).text,
      handoffNotice({ schedule: payments, incoming: undefined, outgoing: 'U0ALICE01', until: null, now: NOW })
        .text,
      shiftReminder({ schedule: payments, from: ms('2026-01-07T13:00:00Z'), until: null, now: NOW }).text,
      swapRequestMessage(question, NOW).text,
      swapAnsweredMessage(question, true, NOW).text,
      swapAnsweredMessage(question, false, NOW).text,
      swapOutcomeForRequester(question, true, NOW).text,
      swapOutcomeForRequester(question, false, NOW).text,
      swapAskedText(question, NOW),
      overrideAddedText({
        schedule: payments,
        user: 'U0BOB0001',
        start: NOW,
        end: NOW + 7_200_000,
        now: NOW,
      }),
    ];
    expect(texts).toMatchSnapshot();
    const request = swapRequestMessage(question, NOW);
    expect(findBlockKitViolations({ kind: 'message', ...request })).toEqual([]);
    expect(JSON.stringify(request.blocks)).toContain('"action_id":"oncall_swap_accept","value":"swp_1"');
  });
});

describe('the override modal', () => {
  it('has date-time pickers starting where asked, and a schedule select', () => {
    const modal = buildOverrideModal({
      schedules: [payments, database],
      user: 'U0ALICE01',
      schedule: 'database',
      start: NOW,
      end: NOW + 8 * 3_600_000,
      privateMetadata: 'C0ALERTS1',
    });
    expect(modal).toMatchSnapshot();
    expect(findBlockKitViolations({ kind: 'view', view: modal })).toEqual([]);
  });

  it('turns the submission into epoch ms, or errors next to the fields', () => {
    const f = OverrideFields;
    const values = (start: number | null, end: number | null, user: string | null = 'U0BOB0001') => ({
      [f.user.blockId]: { [f.user.actionId]: { type: 'users_select', selected_user: user } },
      [f.start.blockId]: { [f.start.actionId]: { type: 'datetimepicker', selected_date_time: start } },
      [f.end.blockId]: { [f.end.actionId]: { type: 'datetimepicker', selected_date_time: end } },
      [f.schedule.blockId]: {
        [f.schedule.actionId]: { type: 'static_select', selected_option: { value: 'payments-primary' } },
      },
    });
    expect(parseOverrideSubmission(values(1_767_787_200, 1_767_794_400))).toEqual({
      ok: true,
      user: 'U0BOB0001',
      start: 1_767_787_200_000,
      end: 1_767_794_400_000,
      schedule: 'payments-primary',
    });
    expect(parseOverrideSubmission(values(1_767_794_400, 1_767_787_200))).toEqual({
      ok: false,
      errors: { override_end: 'The end must be after the start.' },
    });
    expect(parseOverrideSubmission(values(null, null, null))).toEqual({
      ok: false,
      errors: {
        override_user: 'Choose who is on call instead.',
        override_start: 'Choose when the override starts.',
        override_end: 'Choose when the override ends.',
      },
    });
  });
});
