/**
 * Block Kit checked the way Slack checks it: a message or view Slack would reject is rejected here too, with
 * Slack's `[ERROR] … [json-pointer:/blocks/0/text/text]` messages in `response_metadata.messages`. Limits from
 * https://docs.slack.dev/reference/block-kit/blocks and …/block-elements. Unknown fields are tolerated; a
 * wrong type, a missing field, an over-long string or an unknown block/element type is not.
 */
import { randomBytes } from 'node:crypto';
import { checkElement, isObject, textObject, type Checker } from './block-elements.js';
import type { JsonObject } from './types.js';

export type Surface = 'message' | 'modal' | 'home';

export const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

const ACCESSORY_TYPES = [
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'overflow',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'timepicker',
  'workflow_button',
];
const ACTIONS_TYPES = [
  ...ACCESSORY_TYPES.filter((t) => t !== 'image'),
  'datetimepicker',
  'rich_text_input',
  'feedback_buttons',
  'icon_button',
];
const INPUT_TYPES = [
  ...ACTIONS_TYPES.filter((t) => !['button', 'overflow', 'workflow_button'].includes(t)),
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'file_input',
  'rich_text_input',
];

type BlockCheck = (block: JsonObject, ptr: string, c: Checker) => void;

const BLOCKS: Record<string, BlockCheck> = {
  section(block, ptr, c) {
    if (block['text'] === undefined && block['fields'] === undefined && block['expand'] === undefined) {
      c.error('missing required field: text', ptr);
    }
    if (block['text'] !== undefined) textObject(block['text'], `${ptr}/text`, c, { max: 3000 });
    const fields = block['fields'];
    if (fields !== undefined) {
      if (!Array.isArray(fields)) c.error('must provide an array', `${ptr}/fields`);
      else {
        if (fields.length > 10) c.error('no more than 10 items allowed', `${ptr}/fields`);
        fields.forEach((f, i) => textObject(f, `${ptr}/fields/${i}`, c, { max: 2000 }));
      }
    }
    if (block['accessory'] !== undefined)
      checkElement(block['accessory'], `${ptr}/accessory`, c, ACCESSORY_TYPES);
  },
  header(block, ptr, c) {
    textObject(block['text'], `${ptr}/text`, c, { max: 150, plainOnly: true });
  },
  divider() {},
  image(block, ptr, c) {
    if (block['slack_file'] === undefined) c.string(block['image_url'], `${ptr}/image_url`, { max: 3000 });
    c.string(block['alt_text'], `${ptr}/alt_text`, { max: 2000 });
    if (block['title'] !== undefined)
      textObject(block['title'], `${ptr}/title`, c, { max: 2000, plainOnly: true });
  },
  actions(block, ptr, c) {
    elementList(block, ptr, c, 25, (el, p) => checkElement(el, p, c, ACTIONS_TYPES));
  },
  context(block, ptr, c) {
    elementList(block, ptr, c, 10, (el, p) => {
      if (isObject(el) && el['type'] === 'image') checkElement(el, p, c, ['image']);
      else textObject(el, p, c, { max: 3000 });
    });
  },
  input(block, ptr, c) {
    textObject(block['label'], `${ptr}/label`, c, { max: 2000, plainOnly: true });
    if (block['hint'] !== undefined)
      textObject(block['hint'], `${ptr}/hint`, c, { max: 2000, plainOnly: true });
    if (block['element'] === undefined) c.error('missing required field: element', ptr);
    else checkElement(block['element'], `${ptr}/element`, c, INPUT_TYPES);
  },
  rich_text(block, ptr, c) {
    if (!Array.isArray(block['elements'])) c.error('missing required field: elements', ptr);
  },
  markdown(block, ptr, c) {
    c.string(block['text'], `${ptr}/text`, { max: 12_000 });
  },
  file(block, ptr, c) {
    c.string(block['external_id'], `${ptr}/external_id`, { max: 255 });
    c.string(block['source'], `${ptr}/source`, { max: 255 });
  },
  video(block, ptr, c) {
    textObject(block['title'], `${ptr}/title`, c, { max: 200, plainOnly: true });
    c.string(block['video_url'], `${ptr}/video_url`, { max: 3000 });
    c.string(block['thumbnail_url'], `${ptr}/thumbnail_url`, { max: 3000 });
    c.string(block['alt_text'], `${ptr}/alt_text`, { max: 2000 });
  },
  table(block, ptr, c) {
    if (!Array.isArray(block['rows'])) c.error('missing required field: rows', ptr);
  },
};

function elementList(
  block: JsonObject,
  ptr: string,
  c: Checker,
  max: number,
  check: (el: unknown, ptr: string) => void,
): void {
  const elements = block['elements'];
  if (!Array.isArray(elements)) return c.error('missing required field: elements', ptr);
  if (elements.length === 0) c.error('must provide at least 1 item', `${ptr}/elements`);
  if (elements.length > max) c.error(`no more than ${max} items allowed`, `${ptr}/elements`);
  elements.forEach((el, i) => check(el, `${ptr}/elements/${i}`));
}

/**
 * Validates a `blocks` value for a surface. Returns Slack-style error lines; empty means valid.
 * `pointer` is where the blocks sit in the request (`/blocks` for chat.*, `/view/blocks` for views.*).
 */
/** A Checker that collects Slack-style error lines into `errors` and tracks action_ids for uniqueness. */
export function createChecker(errors: string[]): Checker {
  const actionIds = new Set<string>();
  return {
    error: (message, ptr) => void errors.push(`[ERROR] ${message} [json-pointer:${ptr}]`),
    string(value, ptr, { max, min = 1 }) {
      if (typeof value !== 'string') return this.error('must provide a string', ptr);
      if (value.length < min) this.error(`must be more than ${min - 1} characters`, ptr);
      if (value.length > max) this.error(`must be less than ${max + 1} characters`, ptr);
    },
    actionId(value, ptr) {
      if (value === undefined) return;
      this.string(value, ptr, { max: 255 });
      if (typeof value !== 'string') return;
      if (actionIds.has(value)) this.error(`duplicate action_id: ${value}`, ptr);
      actionIds.add(value);
    },
  };
}

/**
 * Validates a `blocks` value for a surface. Returns Slack-style error lines; empty means valid.
 * `pointer` is where the blocks sit in the request (`/blocks` for chat.*, `/view/blocks` for views.*).
 */
export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  const errors: string[] = [];
  const c = createChecker(errors);
  if (!Array.isArray(blocks)) {
    c.error('must provide an array', pointer);
    return errors;
  }
  if (blocks.length > MAX_BLOCKS[surface])
    c.error(`no more than ${MAX_BLOCKS[surface]} items allowed`, pointer);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const ptr = `${pointer}/${i}`;
    if (!isObject(block)) return c.error('must provide an object', ptr);
    const type = block['type'];
    const check = typeof type === 'string' ? BLOCKS[type] : undefined;
    if (!check) return c.error(`unsupported type: ${String(type)}`, `${ptr}/type`);
    if (type === 'file' && surface !== 'message') return c.error(`unsupported type: ${type}`, `${ptr}/type`);
    const blockId = block['block_id'];
    if (blockId !== undefined) {
      c.string(blockId, `${ptr}/block_id`, { max: 255 });
      if (typeof blockId === 'string' && blockIds.has(blockId)) {
        c.error(`duplicate block_id: ${blockId}`, `${ptr}/block_id`);
      }
      if (typeof blockId === 'string') blockIds.add(blockId);
    }
    check(block, ptr, c);
  });
  return errors;
}

function shortId(): string {
  return randomBytes(3).toString('base64').replace(/[+/]/g, 'x');
}

/**
 * What Slack stores and sends back: every block has a block_id and every interactive element an action_id,
 * generated when the app left them out. Call only on blocks that passed validateBlocks.
 */
export function normalizeBlocks(blocks: JsonObject[]): JsonObject[] {
  const withActionId = (el: unknown): unknown =>
    isObject(el) && typeof el['type'] === 'string' && el['type'] !== 'image' && el['action_id'] === undefined
      ? { ...el, action_id: shortId() }
      : el;
  return blocks.map((block) => {
    const out: JsonObject = {
      ...block,
      block_id: typeof block['block_id'] === 'string' ? block['block_id'] : shortId(),
    };
    if (out['type'] === 'actions' && Array.isArray(out['elements']))
      out['elements'] = out['elements'].map(withActionId);
    if (out['accessory'] !== undefined) out['accessory'] = withActionId(out['accessory']);
    if (out['type'] === 'input' && out['element'] !== undefined)
      out['element'] = withActionId(out['element']);
    return out;
  });
}
