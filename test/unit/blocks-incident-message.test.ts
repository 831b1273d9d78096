import type { ActionsBlock, Button, ContextBlock, HeaderBlock, Overflow, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { incidentMenu, parseMenuChoice } from '../../src/blocks/incident-menu.js';
import { buildIncidentMessage, ButtonLabels, IncidentBlockIds } from '../../src/blocks/incident-message.js';
import { findBlockKitViolations } from '../../src/blocks/limits.js';
import { Actions } from '../../src/blocks/ids.js';
import {
  acknowledged,
  adversarial,
  MIN,
  resolved,
  resolvedBySignal,
  T0,
  triggered,
} from './blocks-samples.js';

function elements(message: ReturnType<typeof buildIncidentMessage>): (Button | Overflow)[] {
  const blocks = message.blocks.filter((b): b is ActionsBlock => b.type === 'actions');
  expect(blocks).toHaveLength(1);
  return blocks[0]!.elements as (Button | Overflow)[];
}

function buttons(message: ReturnType<typeof buildIncidentMessage>): Button[] {
  return elements(message).filter((e): e is Button => e.type === 'button');
}

function menu(message: ReturnType<typeof buildIncidentMessage>): Overflow | undefined {
  return elements(message).find((e): e is Overflow => e.type === 'overflow');
}

function lifecycle(message: ReturnType<typeof buildIncidentMessage>): string {
  const block = message.blocks.find((b) => b.block_id === IncidentBlockIds.lifecycle) as
    ContextBlock | undefined;
  return JSON.stringify(block?.elements ?? []);
}

describe('buildIncidentMessage', () => {
  it('renders a triggered incident', () => {
    expect(buildIncidentMessage(triggered(), { now: T0 + 5 * MIN })).toMatchSnapshot();
  });

  it('renders an acknowledged incident with watchers', () => {
    expect(buildIncidentMessage(acknowledged())).toMatchSnapshot();
  });

  it('renders a resolved incident', () => {
    expect(buildIncidentMessage(resolved(), { now: T0 + 60 * MIN })).toMatchSnapshot();
  });

  it('has ONE actions block with the five buttons, exactly labelled, while open', () => {
    for (const incident of [triggered(), acknowledged()]) {
      const list = buttons(buildIncidentMessage(incident));
      expect(list.map((b) => b.text.text)).toEqual([
        'Watching',
        'To Bedrock Agent',
        'Reporting',
        'Acknowledge',
        'Resolve',
      ]);
      expect(list.map((b) => b.action_id)).toEqual([
        Actions.watching,
        Actions.toBedrockAgent,
        Actions.reporting,
        Actions.acknowledge,
        Actions.resolve,
      ]);
      expect(list.every((b) => b.value === 'INC-42')).toBe(true);
      expect(list.map((b) => b.style)).toEqual([undefined, undefined, undefined, 'primary', 'danger']);
    }
    expect(Object.values(ButtonLabels)).toEqual([
      'Watching',
      'To Bedrock Agent',
      'Reporting',
      'Acknowledge',
      'Resolve',
    ]);
  });

  it('keeps Watching, To Bedrock Agent and Reporting once resolved', () => {
    expect(buttons(buildIncidentMessage(resolved())).map((b) => b.text.text)).toEqual([
      'Watching',
      'To Bedrock Agent',
      'Reporting',
    ]);
  });

  it('shows emoji, colour, count, who acknowledged and who watches', () => {
    const message = buildIncidentMessage(acknowledged());
    expect((message.blocks[0] as HeaderBlock).text.text).toBe('🔴 INC-42 Disk 91% full on i-0abc123def');
    const status = message.blocks.find((b) => b.block_id === IncidentBlockIds.status) as SectionBlock;
    expect(status.text?.text).toContain('Acknowledged* by <@U0ACKER>');
    expect(status.text?.text).toContain('seen *50* times');
    expect(JSON.stringify(message.blocks)).toContain('👀 Watching: <@U0WATCH1> <@U0WATCH2>');
    expect(message.attachments[0]?.color).toBe('#E01E5A');
    const facts = message.attachments[0]?.blocks.find(
      (b) => b.block_id === IncidentBlockIds.facts,
    ) as SectionBlock;
    expect(facts.fields?.map((f) => f.text)).toContain('*Count*\n50');
    expect(facts.fields?.map((f) => f.text)).toContain(
      '*First seen*\n<!date^1767225600^{date_short_pretty} {time}|2026-01-01 00:00 UTC>',
    );
    expect(message.text).toBe('🔴 INC-42 [critical] Disk 91% full on i-0abc123def — acknowledged, count 50');
  });

  it('turns green and names the resolver once resolved, automatic resolves included', () => {
    const message = buildIncidentMessage(resolvedBySignal());
    expect(message.attachments[0]?.color).toBe('#2EB67D');
    const status = message.blocks.find((b) => b.block_id === IncidentBlockIds.status) as SectionBlock;
    expect(status.text?.text).toMatch(/^✅ \*Resolved\* by _alertmanager:hikeshi_ \(automatic\) <!date\^/);
    expect(status.text?.text).toContain('after 30m');
  });

  it('escapes sender text so it cannot ping or link', () => {
    const message = buildIncidentMessage(adversarial());
    // mrkdwn only: plain_text (the header) is never parsed for mentions or links by Slack
    const json = JSON.stringify({ ...message, blocks: message.blocks.filter((b) => b.type !== 'header') });
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<!everyone>');
    expect(json).not.toContain('<@U0EVIL>');
    expect(json).not.toContain('<https://evil.example|click>');
    expect(message.text).toContain('&lt;!channel&gt;');
    // a link label cannot break out of <url|label>
    const links = message.attachments[0]?.blocks.find(
      (b) => b.block_id === IncidentBlockIds.links,
    ) as SectionBlock;
    expect(links.text?.text).toContain('<https://x.example/0?a=%3Cb%3E%7Cc%20d|l¦nk &lt;0&gt;');
  });

  it("ends an open incident's actions with the overflow menu: two snoozes and the three other severities", () => {
    const open = menu(buildIncidentMessage(triggered(), { now: T0 }));
    expect(open?.action_id).toBe(Actions.menu);
    expect(open?.options.map((o) => [o.text.text, o.value])).toEqual([
      ['Snooze 30 minutes', 'INC-42|snooze:30m'],
      ['Snooze 2 hours', 'INC-42|snooze:2h'],
      ['Severity: error', 'INC-42|severity:error'],
      ['Severity: warning', 'INC-42|severity:warning'],
      ['Severity: info', 'INC-42|severity:info'],
    ]);
    expect(elements(buildIncidentMessage(triggered())).at(-1)?.type).toBe('overflow');
    expect(menu(buildIncidentMessage(resolved()))).toBeUndefined();
    // Snoozed: ending the snooze takes the second place (Slack allows five options).
    const snoozed = { ...triggered(), snoozedUntil: new Date(T0 + 30 * MIN).toISOString() };
    expect(incidentMenu(snoozed, T0)?.options.map((o) => o.value)).toContain('INC-42|unsnooze');
    expect(
      findBlockKitViolations({ kind: 'message', ...buildIncidentMessage(snoozed, { now: T0 }) }),
    ).toEqual([]);
  });

  it('reads every menu value back, and nothing it never offered', () => {
    for (const option of incidentMenu(triggered(), T0)?.options ?? []) {
      expect(parseMenuChoice(option.value ?? '')).toMatchObject({ incidentId: 'INC-42' });
    }
    expect(parseMenuChoice('INC-42|snooze:30m')).toEqual({
      incidentId: 'INC-42',
      kind: 'snooze',
      durationMs: 30 * MIN,
    });
    expect(parseMenuChoice('INC-42|unsnooze')).toEqual({ incidentId: 'INC-42', kind: 'unsnooze' });
    expect(parseMenuChoice('INC-42|severity:info')).toEqual({
      incidentId: 'INC-42',
      kind: 'severity',
      severity: 'info',
    });
    for (const bad of [
      '',
      'INC-42',
      'INC-42|severity:fatal',
      'INC-42|snooze:soon',
      'INC-42|x|y',
      '|unsnooze',
    ]) {
      expect(parseMenuChoice(bad), bad).toBeUndefined();
    }
  });

  it('shows reopens, flapping, a snooze (as a Slack time) and the previous incident', () => {
    const snoozedUntil = '2026-01-01T14:30:00.000Z';
    const incident = {
      ...triggered(),
      reopenCount: 3,
      flapping: true,
      snoozedUntil,
      snoozedBy: 'U0ALICE01',
      previous: { id: 'INC-4', resolvedAt: '2026-01-01T11:00:00.000Z' },
    };
    const message = buildIncidentMessage(incident);
    const status = message.blocks.find((b) => b.block_id === IncidentBlockIds.status) as SectionBlock;
    expect(status.text?.text).toContain('reopened *3* times');
    expect(lifecycle(message)).toContain('*Flapping*');
    expect(lifecycle(message)).toContain(
      `snoozed until <!date^${Date.parse(snoozedUntil) / 1000}^{time}|14:30 UTC> by <@U0ALICE01>`,
    );
    expect(lifecycle(message)).toContain(
      'Previously *INC-4*, resolved <!date^1767265200^{ago}|2026-01-01 11:00 UTC>',
    );
    // A snooze that is over, or a resolved incident, shows no snooze.
    expect(lifecycle(buildIncidentMessage(incident, { now: Date.parse(snoozedUntil) + 1 }))).not.toContain(
      'snoozed',
    );
    expect(lifecycle(buildIncidentMessage({ ...resolved(), snoozedUntil }))).not.toContain('snoozed');
    expect(findBlockKitViolations({ kind: 'message', ...message })).toEqual([]);
  });

  it('summarises more than ten details in the tenth field', () => {
    const message = buildIncidentMessage(adversarial());
    const section = message.attachments[0]?.blocks.find(
      (b) => b.block_id === IncidentBlockIds.details,
    ) as SectionBlock;
    expect(section.fields).toHaveLength(10);
    expect(section.fields?.[9]?.text).toBe('*…*\n31 more');
  });
});
