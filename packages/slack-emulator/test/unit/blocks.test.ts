import { describe, expect, it } from 'vitest';
import { normalizeBlocks, validateBlocks } from '../../src/block-kit.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: actionId,
  text: plain('Go'),
  ...extra,
});

const overflow = (actionId: string, options: number) => ({
  type: 'overflow',
  action_id: actionId,
  options: Array.from({ length: options }, (_, i) => ({ text: plain(`Option ${i}`), value: `v${i}` })),
});

describe('validateBlocks (Slack Block Kit limits)', () => {
  it('accepts a typical alert message', () => {
    const blocks = [
      { type: 'header', text: plain('🔥 Checkout is down') },
      { type: 'section', text: mrkdwn('*db-1* disk full'), fields: [mrkdwn('*Severity*\nsev1')] },
      { type: 'context', elements: [mrkdwn('opened by <@U0ALICE01>')] },
      { type: 'divider' },
      {
        type: 'actions',
        elements: [
          button('ack', { style: 'primary', value: 'dep-1' }),
          button('resolve'),
          overflow('more', 5),
        ],
      },
    ];
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it.each([
    ['section text over 3000', [{ type: 'section', text: mrkdwn('a'.repeat(3001)) }], '/blocks/0/text/text'],
    ['header over 150', [{ type: 'header', text: plain('a'.repeat(151)) }], '/blocks/0/text/text'],
    ['header in mrkdwn', [{ type: 'header', text: mrkdwn('x') }], '/blocks/0/text/type'],
    [
      'more than 10 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }],
      '/blocks/0/fields',
    ],
    [
      'a field over 2000',
      [{ type: 'section', fields: [mrkdwn('a'.repeat(2001))] }],
      '/blocks/0/fields/0/text',
    ],
    [
      'button text over 75',
      [{ type: 'actions', elements: [button('a', { text: plain('a'.repeat(76)) })] }],
      '/blocks/0/elements/0/text/text',
    ],
    [
      'button value over 2000',
      [{ type: 'actions', elements: [button('a', { value: 'v'.repeat(2001) })] }],
      '/blocks/0/elements/0/value',
    ],
    [
      'action_id over 255',
      [{ type: 'actions', elements: [button('a'.repeat(256))] }],
      '/blocks/0/elements/0/action_id',
    ],
    ['block_id over 255', [{ type: 'divider', block_id: 'b'.repeat(256) }], '/blocks/0/block_id'],
    ['an unknown block type', [{ type: 'carousel' }], '/blocks/0/type'],
    [
      'an unknown element type',
      [{ type: 'actions', elements: [{ type: 'slider' }] }],
      '/blocks/0/elements/0/type',
    ],
    [
      'more than 25 action elements',
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }],
      '/blocks/0/elements',
    ],
    ['an empty section', [{ type: 'section' }], '/blocks/0'],
    ['an empty text', [{ type: 'section', text: mrkdwn('') }], '/blocks/0/text/text'],
    [
      'a bad button style',
      [{ type: 'actions', elements: [button('a', { style: 'loud' })] }],
      '/blocks/0/elements/0/style',
    ],
    [
      'an overflow menu with more than 5 options',
      [{ type: 'actions', elements: [overflow('m', 6)] }],
      '/blocks/0/elements/0/options',
    ],
    [
      'an overflow option in mrkdwn',
      [
        {
          type: 'actions',
          elements: [{ ...overflow('m', 1), options: [{ text: mrkdwn('x'), value: 'v' }] }],
        },
      ],
      '/blocks/0/elements/0/options/0/text/type',
    ],
    [
      'an overflow option value over 150',
      [
        {
          type: 'actions',
          elements: [{ ...overflow('m', 1), options: [{ text: plain('x'), value: 'v'.repeat(151) }] }],
        },
      ],
      '/blocks/0/elements/0/options/0/value',
    ],
  ])('rejects %s', (_name, blocks, pointer) => {
    const errors = validateBlocks(blocks, 'message');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(
      new RegExp(`^\\[ERROR\\] .+ \\[json-pointer:${pointer.replace(/\//g, '\\/')}\\]$`),
    );
  });

  it('limits a message to 50 blocks and a view to 100', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateBlocks(blocks(50), 'message')).toEqual([]);
    expect(validateBlocks(blocks(51), 'message')).toEqual([
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    ]);
    expect(validateBlocks(blocks(100), 'modal', '/view/blocks')).toEqual([]);
    expect(validateBlocks(blocks(101), 'modal', '/view/blocks')).toHaveLength(1);
  });

  it('requires block_id and action_id to be unique within the message', () => {
    const dupBlock = [
      { type: 'divider', block_id: 'x' },
      { type: 'divider', block_id: 'x' },
    ];
    expect(validateBlocks(dupBlock, 'message')).toEqual([
      '[ERROR] duplicate block_id: x [json-pointer:/blocks/1/block_id]',
    ]);
    const dupAction = [
      { type: 'actions', elements: [button('ack')] },
      { type: 'section', text: mrkdwn('x'), accessory: button('ack') },
    ];
    expect(validateBlocks(dupAction, 'message')).toEqual([
      '[ERROR] duplicate action_id: ack [json-pointer:/blocks/1/accessory/action_id]',
    ]);
  });

  it('rejects a non-array and non-object blocks', () => {
    expect(validateBlocks({ type: 'divider' }, 'message')).toEqual([
      '[ERROR] must provide an array [json-pointer:/blocks]',
    ]);
    expect(validateBlocks(['divider'], 'message')).toEqual([
      '[ERROR] must provide an object [json-pointer:/blocks/0]',
    ]);
  });

  it('checks input blocks and select options', () => {
    const input = {
      type: 'input',
      label: plain('Severity'),
      element: {
        type: 'static_select',
        action_id: 'sev',
        options: [{ text: plain('a'.repeat(76)), value: 'sev1' }],
      },
    };
    expect(validateBlocks([input], 'modal', '/view/blocks')).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/view/blocks/0/element/options/0/text/text]',
    ]);
    const textInput = {
      type: 'input',
      label: plain('Title'),
      element: { type: 'plain_text_input', action_id: 't' },
    };
    expect(validateBlocks([textInput], 'modal')).toEqual([]);
    const inActions = [{ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 't' }] }];
    expect(validateBlocks(inActions, 'message')).toHaveLength(1);
  });
});

describe('normalizeBlocks', () => {
  it('fills in block_id and action_id the way Slack does, keeping given ones', () => {
    const [first, second] = normalizeBlocks([
      { type: 'actions', elements: [{ type: 'button', text: plain('Go') }] },
      { type: 'section', block_id: 'mine', text: mrkdwn('x'), accessory: button('kept') },
    ]);
    expect(first).toMatchObject({
      block_id: expect.any(String),
      elements: [{ action_id: expect.any(String) }],
    });
    expect(second).toMatchObject({ block_id: 'mine', accessory: { action_id: 'kept' } });
  });
});
