import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildAppHome, HOME_INCIDENTS_MAX } from '../../src/blocks/app-home.js';
import { buildIncidentDetail, buildIncidentList } from '../../src/blocks/incident-list.js';
import {
  buildNewIncidentModal,
  buildOncallEditModal,
  NewIncidentFields,
  oncallPhoneBlockId,
  oncallUserBlockId,
  parseNewIncidentSubmission,
  parseOncallEditSubmission,
  type ViewStateValues,
} from '../../src/blocks/modals.js';
import { buildOncallList, oncallListText } from '../../src/blocks/oncall.js';
import { timelineReplyText } from '../../src/blocks/timeline.js';
import { INCIDENT_USAGE, ONCALL_USAGE, usageReply } from '../../src/blocks/usage.js';
import { addTimelineEntry, openIncident, type Incident } from '../../src/domain/incident.js';
import { Views } from '../../src/blocks/ids.js';
import { acknowledged, diskSignal, MIN, oncall, resolved, T0, triggered } from './blocks-samples.js';

function numbered(n: number): Incident {
  return openIncident({
    number: n,
    signal: { ...diskSignal, title: `Problem ${n}` },
    fingerprint: `f${n}`,
    now: T0 + n * MIN,
  });
}

describe('timeline replies', () => {
  const incident = acknowledged(); // watchers U0WATCH1, U0WATCH2
  const at = '2026-01-01T00:10:00.000Z';

  it('are short lines per kind, mentioning watchers on status changes (not the actor)', () => {
    const lines = [
      timelineReplyText(incident, {
        at,
        kind: 'opened',
        actor: 'system:alertmanager:hikeshi',
        text: 'Opened from alertmanager:hikeshi (critical)',
      }),
      timelineReplyText(incident, { at, kind: 'acknowledged', actor: 'U0WATCH1', text: 'Acknowledged' }),
      timelineReplyText(incident, {
        at,
        kind: 'resolved',
        actor: 'U0ACKER',
        text: 'Resolved: fixed <it> & done',
      }),
      timelineReplyText(incident, { at, kind: 'resolved', actor: 'system:cloudwatch', text: 'Resolved' }),
      timelineReplyText(incident, {
        at,
        kind: 'folded',
        actor: 'system:x',
        text: 'Severity raised error → critical by a repeat alert (count 7)',
      }),
      timelineReplyText(incident, { at, kind: 'watch', actor: 'U0NEW', text: 'Started watching' }),
      timelineReplyText(incident, { at, kind: 'unwatch', actor: 'U0NEW', text: 'Stopped watching' }),
      timelineReplyText(incident, { at, kind: 'note', actor: 'U0NEW', text: 'Looking at the disk' }),
      timelineReplyText(incident, {
        at,
        kind: 'analysis',
        actor: 'system:bedrock',
        text: 'Likely log growth',
      }),
      timelineReplyText(incident, { at, kind: 'report', actor: 'U0NEW', text: 'https://wiki.example.com/x' }),
      timelineReplyText(incident, { at, kind: 'escalation', text: 'Calling +81-***-***-0001' }),
    ];
    expect(lines).toMatchInlineSnapshot(`
      [
        "🔴 *INC-42* Opened from alertmanager:hikeshi (critical)",
        "👍 *Acknowledged* by <@U0WATCH1>
      cc <@U0WATCH2>",
        "✅ *Resolved* by <@U0ACKER>
      > fixed &lt;it&gt; &amp; done
      cc <@U0WATCH1> <@U0WATCH2>",
        "✅ *Resolved* by _cloudwatch_ (automatic)
      cc <@U0WATCH1> <@U0WATCH2>",
        "⬆️ Severity raised error → critical by a repeat alert (count 7)
      cc <@U0WATCH1> <@U0WATCH2>",
        "👀 <@U0NEW> is watching",
        "🙈 <@U0NEW> stopped watching",
        "📝 <@U0NEW>: Looking at the disk",
        "🤖 *Analysis* (_bedrock_ (automatic)): Likely log growth",
        "📄 *Report* (<@U0NEW>): https://wiki.example.com/x",
        "📞 Calling +81-***-***-0001",
      ]
    `);
  });

  it('keep the cc line whole when the text is long', () => {
    const text = timelineReplyText(incident, {
      at,
      kind: 'resolved',
      actor: 'U0ACKER',
      text: `Resolved: ${'x'.repeat(5000)}`,
    });
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.endsWith('cc <@U0WATCH1> <@U0WATCH2>')).toBe(true);
  });
});

describe('/incident list and show', () => {
  it('lists open incidents newest first, with ids', () => {
    const reply = buildIncidentList([numbered(3), resolved(), numbered(7), acknowledged()]);
    expect(reply).toMatchSnapshot();
    expect(reply.text.split('\n').map((l) => l.split(' ')[0])).toEqual(['INC-42', 'INC-7', 'INC-3']);
  });

  it('says when nothing is open', () => {
    expect(buildIncidentList([resolved()])).toEqual({
      text: '🎉 No open incidents.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '🎉 No open incidents.', verbatim: true } }],
    });
  });

  it('cuts long lists', () => {
    const reply = buildIncidentList(Array.from({ length: 30 }, (_, i) => numbered(i + 1)));
    expect(reply.blocks).toHaveLength(1 + 20 + 1);
    expect(JSON.stringify(reply.blocks.at(-1))).toContain('…and 10 more');
  });

  it('shows one incident with its recent timeline', () => {
    let incident = resolved();
    for (let i = 0; i < 12; i++)
      incident = addTimelineEntry(incident, {
        kind: 'note',
        text: `note ${i}`,
        actor: 'U0X',
        now: T0 + (50 + i) * MIN,
      });
    const reply = buildIncidentDetail(incident);
    expect(reply).toMatchSnapshot();
    const timeline = reply.blocks.find(
      (b) => b.type === 'section' && JSON.stringify(b).includes('note 11'),
    ) as SectionBlock;
    expect(timeline.text?.text.split('\n')).toHaveLength(10);
  });
});

describe('/oncall', () => {
  it('lists in priority order with masked phones', () => {
    expect(oncallListText(oncall)).toBe(
      ['1. <@U0AAA> +81-***-***-0001', '2. <@U0BBB> +81-***-***-0002', '3. <@U0CCC> +1-***-***-0100'].join(
        '\n',
      ),
    );
    const reply = buildOncallList(oncall);
    expect(JSON.stringify(reply)).not.toContain('9012340001');
    expect(reply).toMatchSnapshot();
  });

  it('says how to add someone when empty', () => {
    expect(buildOncallList([]).text).toContain('/oncall add @user');
  });
});

describe('usage replies', () => {
  it('put the (escaped) problem before the usage', () => {
    const reply = usageReply(INCIDENT_USAGE, 'Unknown incident <INC-9>');
    expect(reply.text.startsWith('⚠️ Unknown incident &lt;INC-9&gt;\n*/incident*')).toBe(true);
    expect(usageReply(ONCALL_USAGE).blocks).toHaveLength(1);
    expect(INCIDENT_USAGE).toMatchSnapshot();
    expect(ONCALL_USAGE).toMatchSnapshot();
  });
});

describe('/incident new modal', () => {
  it('is a modal with title, message and severity', () => {
    const view = buildNewIncidentModal({ privateMetadata: '{"channel":"C0ALERTS"}' });
    expect(view.callback_id).toBe(Views.newIncident);
    expect(view).toMatchSnapshot();
  });

  const values = (title: string | null, message: string | null, severity?: string): ViewStateValues => ({
    [NewIncidentFields.title.blockId]: {
      [NewIncidentFields.title.actionId]: { type: 'plain_text_input', value: title },
    },
    [NewIncidentFields.message.blockId]: {
      [NewIncidentFields.message.actionId]: { type: 'plain_text_input', value: message },
    },
    [NewIncidentFields.severity.blockId]: {
      [NewIncidentFields.severity.actionId]: {
        type: 'static_select',
        selected_option: severity === undefined ? null : { value: severity },
      },
    },
  });

  it('parses a submission', () => {
    expect(parseNewIncidentSubmission(values(' Checkout down ', 'since 03:00', 'critical'))).toEqual({
      ok: true,
      title: 'Checkout down',
      message: 'since 03:00',
      severity: 'critical',
    });
    expect(parseNewIncidentSubmission(values('t', null))).toEqual({
      ok: true,
      title: 't',
      severity: 'error',
    });
  });

  it('names the title block when it is empty', () => {
    expect(parseNewIncidentSubmission(values('  ', null, 'info'))).toEqual({
      ok: false,
      errors: { [NewIncidentFields.title.blockId]: 'Give the incident a title.' },
    });
  });
});

describe('/oncall edit modal', () => {
  it('pre-fills rows in call order with masked phones, plus blank rows', () => {
    const view = buildOncallEditModal(oncall, { blankRows: 2 });
    expect(view.callback_id).toBe(Views.editOncall);
    expect(view.blocks).toHaveLength(1 + 2 * 5);
    expect(JSON.stringify(view)).not.toContain('9012340001');
    expect(view).toMatchSnapshot();
  });

  function row(user: string | null, phone: string | null, index: number): ViewStateValues {
    return {
      [oncallUserBlockId(index)]: { [`user_${index}`]: { type: 'users_select', selected_user: user } },
      [oncallPhoneBlockId(index)]: { [`phone_${index}`]: { type: 'plain_text_input', value: phone } },
    };
  }

  it('keeps masked numbers, takes new ones, drops cleared rows, in row order', () => {
    const values = {
      ...row('U0CCC', '+1-***-***-0100', 0), // unchanged, masked
      ...row('U0AAA', '+81 90-1111-2222', 1), // changed, typed with separators
      ...row('U0BBB', '', 2), // cleared: removed
      ...row('U0DDD', '+819012340004', 3), // new person
      ...row(null, null, 4), // blank row
    };
    expect(parseOncallEditSubmission(values, oncall)).toEqual({
      ok: true,
      entries: [
        { userId: 'U0CCC', phone: '+14155550100', priority: 1 },
        { userId: 'U0AAA', phone: '+819011112222', priority: 2 },
        { userId: 'U0DDD', phone: '+819012340004', priority: 3 },
      ],
    });
  });

  it('reports problems per block', () => {
    const values = {
      ...row('U0AAA', '090-1234-5678', 0),
      ...row(null, '+819012340004', 1),
      ...row('U0BBB', '+819012340002', 2),
      ...row('U0BBB', '+819012340003', 3),
      ...row('U0CCC', '+81-***-***-0002', 4), // someone else's masked number is not a number
    };
    expect(parseOncallEditSubmission(values, oncall)).toEqual({
      ok: false,
      errors: {
        oncall_phone_0: 'Use E.164: a + and the country code, e.g. +819012345678.',
        oncall_user_1: 'Choose who this number belongs to.',
        oncall_user_3: 'This person is already on the list above.',
        oncall_phone_4: 'Use E.164: a + and the country code, e.g. +819012345678.',
      },
    });
  });
});

describe('App Home', () => {
  it('shows open incidents, the on-call list and a jobs placeholder', () => {
    const view = buildAppHome({ openIncidents: [triggered(), resolved()], oncall });
    expect(view.type).toBe('home');
    expect(view).toMatchSnapshot();
    const json = JSON.stringify(view);
    expect(json).toContain('Open incidents* (1)');
    expect(json).toContain('+81-***-***-0001');
    expect(json).toContain('Job results will appear here');
  });

  it('takes job blocks when there are some, and cuts long incident lists', () => {
    const view = buildAppHome({
      openIncidents: Array.from({ length: 40 }, (_, i) => numbered(i + 1)),
      oncall: [],
      jobBlocks: [{ type: 'section', text: { type: 'mrkdwn', text: '✅ nightly-backup' } }],
    });
    const json = JSON.stringify(view);
    expect(json).toContain('nightly-backup');
    expect(json).not.toContain('Job results will appear here');
    expect(json).toContain(`…and ${40 - HOME_INCIDENTS_MAX} more`);
    expect(json).toContain('No one is on call');
  });
});
