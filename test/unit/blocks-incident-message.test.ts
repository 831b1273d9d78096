import type { ActionsBlock, Button, HeaderBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildIncidentMessage, ButtonLabels, IncidentBlockIds } from '../../src/blocks/incident-message.js';
import { Actions } from '../../src/listeners/ids.js';
import {
  acknowledged,
  adversarial,
  MIN,
  resolved,
  resolvedBySignal,
  T0,
  triggered,
} from './blocks-samples.js';

function buttons(message: ReturnType<typeof buildIncidentMessage>): Button[] {
  const blocks = message.blocks.filter((b): b is ActionsBlock => b.type === 'actions');
  expect(blocks).toHaveLength(1);
  return blocks[0]!.elements as Button[];
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

  it('summarises more than ten details in the tenth field', () => {
    const message = buildIncidentMessage(adversarial());
    const section = message.attachments[0]?.blocks.find(
      (b) => b.block_id === IncidentBlockIds.details,
    ) as SectionBlock;
    expect(section.fields).toHaveLength(10);
    expect(section.fields?.[9]?.text).toBe('*…*\n31 more');
  });
});
