/**
 * Block elements and composition objects (text, option), checked with Slack's limits from
 * https://docs.slack.dev/reference/block-kit/block-elements and …/composition-objects.
 */
import { isObject } from './json.js';
import type { JsonObject } from './types.js';

export { isObject };

/** Collects errors for one request; `actionId` also enforces uniqueness across the whole message/view. */
export interface Checker {
  error(message: string, ptr: string): void;
  string(value: unknown, ptr: string, limits: { max: number; min?: number }): void;
  actionId(value: unknown, ptr: string): void;
}

export function textObject(
  value: unknown,
  ptr: string,
  c: Checker,
  { max, plainOnly = false }: { max: number; plainOnly?: boolean },
): void {
  if (value === undefined) return c.error(`missing required field: ${ptr.split('/').at(-1) ?? 'text'}`, ptr);
  if (!isObject(value)) return c.error('must provide an object', ptr);
  const type = value['type'];
  if (type !== 'plain_text' && (plainOnly || type !== 'mrkdwn')) {
    return c.error(plainOnly ? 'must be plain_text' : 'must be plain_text or mrkdwn', `${ptr}/type`);
  }
  c.string(value['text'], `${ptr}/text`, { max });
}

function placeholder(el: JsonObject, ptr: string, c: Checker): void {
  if (el['placeholder'] !== undefined) {
    textObject(el['placeholder'], `${ptr}/placeholder`, c, { max: 150, plainOnly: true });
  }
}

function options(
  el: JsonObject,
  ptr: string,
  c: Checker,
  {
    min,
    max,
    mrkdwn = false,
    required = true,
  }: { min: number; max: number; mrkdwn?: boolean; required?: boolean },
): void {
  const list = el['options'];
  if (list === undefined) {
    if (required) c.error('missing required field: options', ptr);
    return;
  }
  if (!Array.isArray(list)) return c.error('must provide an array', `${ptr}/options`);
  if (list.length < min) c.error(`must provide at least ${min} items`, `${ptr}/options`);
  if (list.length > max) c.error(`no more than ${max} items allowed`, `${ptr}/options`);
  list.forEach((option, i) => {
    const p = `${ptr}/options/${i}`;
    if (!isObject(option)) return c.error('must provide an object', p);
    textObject(option['text'], `${p}/text`, c, { max: 75, plainOnly: !mrkdwn });
    c.string(option['value'], `${p}/value`, { max: 150 });
    if (option['description'] !== undefined) {
      textObject(option['description'], `${p}/description`, c, { max: 75, plainOnly: !mrkdwn });
    }
  });
}

type ElementCheck = (el: JsonObject, ptr: string, c: Checker) => void;

const ELEMENTS: Record<string, ElementCheck> = {
  button(el, ptr, c) {
    textObject(el['text'], `${ptr}/text`, c, { max: 75, plainOnly: true });
    if (el['value'] !== undefined) c.string(el['value'], `${ptr}/value`, { max: 2000 });
    if (el['url'] !== undefined) c.string(el['url'], `${ptr}/url`, { max: 3000 });
    if (el['style'] !== undefined && el['style'] !== 'primary' && el['style'] !== 'danger') {
      c.error('must be one of primary, danger', `${ptr}/style`);
    }
    if (el['accessibility_label'] !== undefined) {
      c.string(el['accessibility_label'], `${ptr}/accessibility_label`, { max: 75 });
    }
  },
  workflow_button(el, ptr, c) {
    textObject(el['text'], `${ptr}/text`, c, { max: 75, plainOnly: true });
  },
  static_select(el, ptr, c) {
    placeholder(el, ptr, c);
    options(el, ptr, c, { min: 1, max: 100, required: el['option_groups'] === undefined });
  },
  multi_static_select(el, ptr, c) {
    ELEMENTS['static_select']?.(el, ptr, c);
  },
  overflow(el, ptr, c) {
    options(el, ptr, c, { min: 1, max: 5 });
  },
  checkboxes(el, ptr, c) {
    options(el, ptr, c, { min: 1, max: 10, mrkdwn: true });
  },
  radio_buttons(el, ptr, c) {
    options(el, ptr, c, { min: 1, max: 10, mrkdwn: true });
  },
  plain_text_input(el, ptr, c) {
    placeholder(el, ptr, c);
    for (const key of ['min_length', 'max_length']) {
      const n = el[key];
      if (n !== undefined && (typeof n !== 'number' || n < 0 || n > 3000)) {
        c.error('must be a number between 0 and 3000', `${ptr}/${key}`);
      }
    }
  },
  // https://docs.slack.dev/reference/block-kit/block-elements/datetime-picker-element: initial_date_time is a
  // UNIX timestamp in seconds (an integer); the element has no placeholder.
  datetimepicker(el, ptr, c) {
    const initial = el['initial_date_time'];
    if (initial !== undefined && (typeof initial !== 'number' || !Number.isInteger(initial) || initial < 0)) {
      c.error('must be a UNIX timestamp in seconds (an integer)', `${ptr}/initial_date_time`);
    }
  },
  image(el, ptr, c) {
    if (el['slack_file'] === undefined) c.string(el['image_url'], `${ptr}/image_url`, { max: 3000 });
    c.string(el['alt_text'], `${ptr}/alt_text`, { max: 2000 });
  },
};

/** Element types whose only checks are the common ones (placeholder and action_id). */
const PLACEHOLDER_ONLY = [
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'datepicker',
  'timepicker',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'file_input',
  'feedback_buttons',
  'icon_button',
];

/** Checks one element that may appear where `allowed` lists. */
export function checkElement(el: unknown, ptr: string, c: Checker, allowed: readonly string[]): void {
  if (!isObject(el)) return c.error('must provide an object', ptr);
  const type = el['type'];
  if (typeof type !== 'string' || !allowed.includes(type)) {
    return c.error(`unsupported type: ${String(type)}`, `${ptr}/type`);
  }
  if (type !== 'image') c.actionId(el['action_id'], `${ptr}/action_id`);
  const check = ELEMENTS[type];
  if (check) check(el, ptr, c);
  else if (PLACEHOLDER_ONLY.includes(type)) placeholder(el, ptr, c);
}
