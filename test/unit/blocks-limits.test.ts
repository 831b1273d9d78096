import { describe, expect, it } from 'vitest';
import { buildAppHome } from '../../src/blocks/app-home.js';
import { buildIncidentDetail, buildIncidentList } from '../../src/blocks/incident-list.js';
import { buildIncidentMessage } from '../../src/blocks/incident-message.js';
import { findBlockKitViolations, Limits } from '../../src/blocks/limits.js';
import { buildNewIncidentModal, buildOncallEditModal } from '../../src/blocks/modals.js';
import { buildOncallList } from '../../src/blocks/oncall.js';
import { timelineReplyText } from '../../src/blocks/timeline.js';
import { INCIDENT_USAGE, ONCALL_USAGE, usageReply } from '../../src/blocks/usage.js';
import type { OncallEntry } from '../../src/domain/oncall.js';
import {
  acknowledged,
  adversarial,
  oncall,
  resolved,
  resolvedBySignal,
  T0,
  triggered,
} from './blocks-samples.js';

const incidents = { triggered, acknowledged, resolved, resolvedBySignal, adversarial };
const manyPeople: OncallEntry[] = Array.from({ length: 40 }, (_, i) => ({
  userId: `U0P${String(i).padStart(6, '0')}`,
  phone: `+8190${String(10_000_000 + i)}`,
  priority: i + 1,
}));

describe('every builder stays within Slack limits', () => {
  it.each(Object.entries(incidents))('incident message: %s', (_, make) => {
    const message = buildIncidentMessage(make(), { now: T0 + 3_600_000 });
    expect(findBlockKitViolations({ kind: 'message', ...message })).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it.each(Object.entries(incidents))('incident detail: %s', (_, make) => {
    expect(findBlockKitViolations({ kind: 'message', ...buildIncidentDetail(make(), { now: T0 }) })).toEqual(
      [],
    );
  });

  it.each(Object.entries(incidents))('thread replies: %s', (_, make) => {
    const incident = make();
    for (const entry of incident.timeline) {
      expect(timelineReplyText(incident, entry).length).toBeLessThanOrEqual(Limits.textObject);
    }
  });

  it('incident list', () => {
    const all = Object.values(incidents).map((make) => make());
    expect(findBlockKitViolations({ kind: 'message', ...buildIncidentList(all) })).toEqual([]);
    expect(findBlockKitViolations({ kind: 'message', ...buildIncidentList([]) })).toEqual([]);
  });

  it('on-call list, usage replies', () => {
    for (const reply of [
      buildOncallList(oncall),
      buildOncallList([]),
      buildOncallList(manyPeople),
      usageReply(INCIDENT_USAGE, 'x'.repeat(5000)),
      usageReply(ONCALL_USAGE),
    ]) {
      expect(findBlockKitViolations({ kind: 'message', ...reply })).toEqual([]);
    }
  });

  it('modals', () => {
    for (const view of [
      buildNewIncidentModal(),
      buildNewIncidentModal({ privateMetadata: '{"channel":"C1"}' }),
      buildOncallEditModal(oncall),
      buildOncallEditModal([]),
      buildOncallEditModal(manyPeople, { blankRows: 10 }),
    ]) {
      expect(findBlockKitViolations({ kind: 'view', view })).toEqual([]);
    }
  });

  it('App Home, even with far too much in it', () => {
    const many = Array.from({ length: 200 }, () => adversarial());
    const jobBlocks = Array.from({ length: 200 }, (_, i) => ({
      type: 'section' as const,
      text: { type: 'mrkdwn' as const, text: `job ${i}` },
    }));
    for (const view of [
      buildAppHome({ openIncidents: [], oncall: [] }),
      buildAppHome({ openIncidents: [triggered(), acknowledged()], oncall }),
      buildAppHome({ openIncidents: many, oncall: manyPeople, jobBlocks }),
    ]) {
      expect(findBlockKitViolations({ kind: 'view', view })).toEqual([]);
    }
  });
});

describe('findBlockKitViolations', () => {
  const section = (text: string, block_id?: string) => ({
    type: 'section',
    text: { type: 'mrkdwn', text },
    ...(block_id ? { block_id } : {}),
  });
  const button = (action_id: string, text = 'Go') => ({
    type: 'button',
    action_id,
    text: { type: 'plain_text', text },
  });

  it('accepts a small valid message', () => {
    expect(findBlockKitViolations({ kind: 'message', text: 'hi', blocks: [section('hi')] })).toEqual([]);
  });

  it('counts blocks across the message and its attachments', () => {
    const blocks = Array.from({ length: 30 }, () => section('x'));
    expect(findBlockKitViolations({ kind: 'message', blocks, attachments: [{ blocks }] })).toEqual([
      'blocks: 60 > 50 in one message',
    ]);
  });

  it('catches text lengths, field counts, empty text and bad types', () => {
    const problems = findBlockKitViolations({
      kind: 'message',
      blocks: [
        section('x'.repeat(3001)),
        {
          type: 'section',
          fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'y'.repeat(2001) })),
        },
        { type: 'header', text: { type: 'mrkdwn', text: 'h'.repeat(151) } },
        section(''),
        { type: 'section' },
        { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
        { type: 'mystery' },
      ],
    });
    expect(problems).toEqual([
      'blocks[0].text.text: 3001 > 3000 characters',
      'blocks[1].fields: 11 > 10',
      ...Array.from({ length: 11 }, (_, i) => `blocks[1].fields[${i}].text: 2001 > 2000 characters`),
      'blocks[2].text.type: must be plain_text',
      'blocks[2].text.text: 151 > 150 characters',
      'blocks[3].text.text: must be a non-empty string',
      'blocks[4]: needs text or fields',
      'blocks[5].elements: must be 1-10',
      'blocks[6].type: mystery is not checked here',
    ]);
  });

  it('catches duplicate block_ids and action_ids, and bad buttons', () => {
    const problems = findBlockKitViolations({
      kind: 'message',
      blocks: [
        section('a', 'same'),
        section('b', 'same'),
        {
          type: 'actions',
          elements: [
            button('go'),
            button('go'),
            { ...button('x', 'b'.repeat(76)), style: 'fancy', value: 'v'.repeat(2001) },
          ],
        },
        { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) },
        {
          type: 'actions',
          elements: [
            {
              type: 'overflow',
              action_id: 'menu',
              options: Array.from({ length: 6 }, (_, i) => ({
                text: { type: 'plain_text', text: `o${i}` },
                value: i === 5 ? 'v'.repeat(151) : `v${i}`,
              })),
            },
          ],
        },
      ],
    });
    expect(problems).toEqual([
      'blocks[1].block_id: "same" is not unique',
      'blocks[2].elements[1].action_id: "go" is not unique',
      'blocks[2].elements[2].text.text: 76 > 75 characters',
      'blocks[2].elements[2].value: 2001 > 2000 characters',
      'blocks[2].elements[2].style: fancy is not primary or danger',
      'blocks[3].elements: must be 1-25',
      'blocks[4].elements[0].options: must be 1-5',
      'blocks[4].elements[0].options[5].value: must be 1-150 characters',
    ]);
  });

  it('checks views: title, submit, metadata, inputs, options', () => {
    const problems = findBlockKitViolations({
      kind: 'view',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'A title that is far too long' },
        private_metadata: 'm'.repeat(3001),
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'Pick' },
            element: {
              type: 'static_select',
              action_id: 's',
              options: [{ text: { type: 'plain_text', text: 'o' }, value: 'v'.repeat(151) }],
            },
          },
          {
            type: 'input',
            label: { type: 'plain_text', text: 'Text' },
            element: { type: 'plain_text_input', action_id: 't', max_length: 5, initial_value: 'toolong' },
          },
        ],
      },
    });
    expect(problems).toEqual([
      'view.blocks[0].element.options[0].value: must be 1-150 characters',
      'view.blocks[1].element.initial_value: 7 > 5 characters',
      'view.private_metadata: 3001 > 3000 characters',
      'view.title.text: 28 > 24 characters',
      'view.submit: required when there is an input',
    ]);
  });
});
