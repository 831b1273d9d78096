/**
 * Small constructors for the Block Kit pieces the builders use, typed with @slack/types (the types Bolt and the
 * Web API client use). Every constructor applies Slack's length limits, so a builder cannot produce a block
 * Slack would reject because some alert title was long.
 */
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  MrkdwnElement,
  Overflow,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { truncate } from './format.js';
import { Limits } from './limits.js';

export type {
  ActionsBlock,
  Button,
  Overflow,
  ContextBlock,
  HeaderBlock,
  HomeView,
  InputBlock,
  KnownBlock,
  MessageAttachment,
  ModalView,
  PlainTextOption,
  SectionBlock,
  View,
} from '@slack/types';

/** Plain text; Slack rejects empty text objects, so an empty string becomes a single space. */
export function plain(text: string, max: number = Limits.textObject): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max) || ' ', emoji: true };
}

/**
 * mrkdwn that is already escaped (see `escapeMrkdwn`); truncated to `max`. Always `verbatim`: without it Slack
 * preprocesses the plain-text parts of a text object — "URLs will be auto-converted into links, conversation
 * names will be link-ified, and certain mentions will be automatically parsed"
 * (https://docs.slack.dev/reference/block-kit/composition-objects/text-object) — so a bare `@channel` or `#general`
 * in an alert could become a mention or a link. Hikeshi's own layout never needs that: it writes its mentions,
 * links and dates as manual parsing strings (`<@U…>`, `<url|label>`, `<!date^…>`), which verbatim text keeps.
 * The price: a bare URL inside sender text stays text (the incident's links are shown as links).
 */
export function mrkdwn(text: string, max: number = Limits.textObject): MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(text, max) || ' ', verbatim: true };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, Limits.headerText) };
}

export function section(text: string, blockId?: string): SectionBlock {
  return {
    type: 'section',
    text: mrkdwn(text, Limits.sectionText),
    ...(blockId !== undefined ? { block_id: blockId } : {}),
  };
}

/** A section of fields; more than Limits.sectionFields are cut (callers summarise the rest themselves). */
export function fields(texts: readonly string[], blockId?: string): SectionBlock {
  return {
    type: 'section',
    fields: texts.slice(0, Limits.sectionFields).map((text) => mrkdwn(text, Limits.sectionFieldText)),
    ...(blockId !== undefined ? { block_id: blockId } : {}),
  };
}

export function context(texts: readonly string[], blockId?: string): ContextBlock {
  return {
    type: 'context',
    elements: texts.slice(0, Limits.contextElements).map((text) => mrkdwn(text)),
    ...(blockId !== undefined ? { block_id: blockId } : {}),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(label: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: plain(label, Limits.buttonText),
    action_id: actionId,
    value: truncate(value, Limits.buttonValue),
    ...(style !== undefined ? { style } : {}),
  };
}

/** An overflow menu ("⋮"): at most five options, each a label and a value Slack sends back when chosen. */
export function overflow(actionId: string, options: readonly { text: string; value: string }[]): Overflow {
  return {
    type: 'overflow',
    action_id: actionId,
    options: options.slice(0, Limits.overflowOptions).map((o) => ({
      text: plain(o.text, Limits.optionText),
      value: truncate(o.value, Limits.optionValue),
    })),
  };
}

export function actions(elements: (Button | Overflow)[], blockId?: string): ActionsBlock {
  return {
    type: 'actions',
    elements: elements.slice(0, Limits.actionsElements),
    ...(blockId !== undefined ? { block_id: blockId } : {}),
  };
}

/** A message's text and, optionally, its blocks: what the Slack thread port (services/ports/slack-thread.ts) posts. */
export interface ThreadText {
  text: string;
  /** Block Kit blocks (plain JSON built by src/blocks); when given, Slack shows them instead of `text`. */
  blocks?: readonly object[];
}
