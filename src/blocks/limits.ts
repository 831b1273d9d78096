/**
 * Slack's Block Kit limits, and a checker that lists every violation in a message or view. The builders use the
 * constants to truncate; tests (and the emulator, which must reject what Slack rejects) use the checker.
 * Sources: https://docs.slack.dev/reference/block-kit/blocks, …/block-elements, …/composition-objects,
 * https://docs.slack.dev/surfaces/modals.
 *
 * The checker works on plain JSON (`unknown`), not on @slack/types, so it can check what arrives over the wire.
 *
 * One rule is deliberately stricter than Slack's: action_ids must be unique across the whole message or view
 * (Slack asks only within a block), because Bolt listeners route on the action_id alone.
 */
export const Limits = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  attachments: 100,
  blockId: 255,
  actionId: 255,
  textObject: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  plainTextInputMax: 3000,
  selectOptions: 100,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  viewTitle: 24,
  viewButton: 24,
  callbackId: 255,
  privateMetadata: 3000,
} as const;

export type BlockKitSurface =
  | { kind: 'message'; text?: unknown; blocks?: unknown; attachments?: unknown }
  | { kind: 'view'; view: unknown };

interface Walk {
  problems: string[];
  blockIds: Set<string>;
  actionIds: Set<string>;
}

/** Every Block Kit limit the surface breaks, as readable strings; empty when Slack would accept it. */
export function findBlockKitViolations(surface: BlockKitSurface): string[] {
  const walk: Walk = { problems: [], blockIds: new Set(), actionIds: new Set() };
  if (surface.kind === 'message') checkMessage(surface, walk);
  else checkView(surface.view, walk);
  return walk.problems;
}

function checkMessage(
  message: { text?: unknown; blocks?: unknown; attachments?: unknown },
  walk: Walk,
): void {
  if (typeof message.text === 'string' && message.text.length > Limits.messageText) {
    walk.problems.push(`text: ${message.text.length} > ${Limits.messageText} characters`);
  }
  let total = 0;
  if (message.blocks !== undefined) {
    const blocks = asArray(message.blocks, 'blocks', walk);
    total += blocks.length;
    blocks.forEach((block, i) => checkBlock(block, `blocks[${i}]`, walk));
  }
  if (message.attachments !== undefined) {
    const attachments = asArray(message.attachments, 'attachments', walk);
    if (attachments.length > Limits.attachments)
      walk.problems.push(`attachments: more than ${Limits.attachments}`);
    attachments.forEach((attachment, a) => {
      if (!isObject(attachment) || attachment['blocks'] === undefined) return;
      const blocks = asArray(attachment['blocks'], `attachments[${a}].blocks`, walk);
      total += blocks.length;
      blocks.forEach((block, i) => checkBlock(block, `attachments[${a}].blocks[${i}]`, walk));
    });
  }
  if (total > Limits.messageBlocks)
    walk.problems.push(`blocks: ${total} > ${Limits.messageBlocks} in one message`);
}

function checkView(view: unknown, walk: Walk): void {
  if (!isObject(view)) {
    walk.problems.push('view: not an object');
    return;
  }
  const type = view['type'];
  if (type !== 'modal' && type !== 'home')
    walk.problems.push(`view.type: ${String(type)} is not modal or home`);
  const blocks = asArray(view['blocks'], 'view.blocks', walk);
  if (blocks.length > Limits.viewBlocks)
    walk.problems.push(`view.blocks: ${blocks.length} > ${Limits.viewBlocks}`);
  blocks.forEach((block, i) => checkBlock(block, `view.blocks[${i}]`, walk));
  maxLength(view['callback_id'], Limits.callbackId, 'view.callback_id', walk);
  maxLength(view['private_metadata'], Limits.privateMetadata, 'view.private_metadata', walk);
  if (type === 'modal') {
    checkText(view['title'], 'view.title', Limits.viewTitle, walk, { plainOnly: true, required: true });
    checkText(view['submit'], 'view.submit', Limits.viewButton, walk, { plainOnly: true });
    checkText(view['close'], 'view.close', Limits.viewButton, walk, { plainOnly: true });
    const hasInput = blocks.some((block) => isObject(block) && block['type'] === 'input');
    if (hasInput && view['submit'] === undefined)
      walk.problems.push('view.submit: required when there is an input');
  }
}

function checkBlock(block: unknown, at: string, walk: Walk): void {
  if (!isObject(block)) {
    walk.problems.push(`${at}: not an object`);
    return;
  }
  const blockId = block['block_id'];
  if (blockId !== undefined) {
    if (typeof blockId !== 'string' || blockId.length === 0 || blockId.length > Limits.blockId) {
      walk.problems.push(`${at}.block_id: must be 1-${Limits.blockId} characters`);
    } else if (walk.blockIds.has(blockId)) {
      walk.problems.push(`${at}.block_id: "${blockId}" is not unique`);
    } else {
      walk.blockIds.add(blockId);
    }
  }
  switch (block['type']) {
    case 'section': {
      const fields = block['fields'];
      if (block['text'] === undefined && fields === undefined)
        walk.problems.push(`${at}: needs text or fields`);
      if (block['text'] !== undefined) checkText(block['text'], `${at}.text`, Limits.sectionText, walk);
      if (fields !== undefined) {
        const list = asArray(fields, `${at}.fields`, walk);
        if (list.length > Limits.sectionFields)
          walk.problems.push(`${at}.fields: ${list.length} > ${Limits.sectionFields}`);
        list.forEach((field, i) => checkText(field, `${at}.fields[${i}]`, Limits.sectionFieldText, walk));
      }
      if (block['accessory'] !== undefined) checkElement(block['accessory'], `${at}.accessory`, walk);
      return;
    }
    case 'header':
      checkText(block['text'], `${at}.text`, Limits.headerText, walk, { plainOnly: true, required: true });
      return;
    case 'context': {
      const elements = asArray(block['elements'], `${at}.elements`, walk);
      if (elements.length === 0 || elements.length > Limits.contextElements) {
        walk.problems.push(`${at}.elements: must be 1-${Limits.contextElements}`);
      }
      elements.forEach((element, i) => {
        if (isObject(element) && element['type'] === 'image') return;
        checkText(element, `${at}.elements[${i}]`, Limits.textObject, walk);
      });
      return;
    }
    case 'actions': {
      const elements = asArray(block['elements'], `${at}.elements`, walk);
      if (elements.length === 0 || elements.length > Limits.actionsElements) {
        walk.problems.push(`${at}.elements: must be 1-${Limits.actionsElements}`);
      }
      elements.forEach((element, i) => checkElement(element, `${at}.elements[${i}]`, walk));
      return;
    }
    case 'input':
      checkText(block['label'], `${at}.label`, Limits.inputLabel, walk, { plainOnly: true, required: true });
      if (block['hint'] !== undefined)
        checkText(block['hint'], `${at}.hint`, Limits.inputHint, walk, { plainOnly: true });
      if (block['element'] === undefined) walk.problems.push(`${at}.element: required`);
      else checkElement(block['element'], `${at}.element`, walk);
      return;
    case 'divider':
      return;
    default:
      walk.problems.push(`${at}.type: ${String(block['type'])} is not checked here`);
  }
}

function checkElement(element: unknown, at: string, walk: Walk): void {
  if (!isObject(element)) {
    walk.problems.push(`${at}: not an object`);
    return;
  }
  const actionId = element['action_id'];
  if (actionId !== undefined) {
    if (typeof actionId !== 'string' || actionId.length === 0 || actionId.length > Limits.actionId) {
      walk.problems.push(`${at}.action_id: must be 1-${Limits.actionId} characters`);
    } else if (walk.actionIds.has(actionId)) {
      walk.problems.push(`${at}.action_id: "${actionId}" is not unique`);
    } else {
      walk.actionIds.add(actionId);
    }
  }
  if (element['placeholder'] !== undefined) {
    checkText(element['placeholder'], `${at}.placeholder`, Limits.placeholder, walk, { plainOnly: true });
  }
  switch (element['type']) {
    case 'button': {
      checkText(element['text'], `${at}.text`, Limits.buttonText, walk, { plainOnly: true, required: true });
      maxLength(element['value'], Limits.buttonValue, `${at}.value`, walk);
      maxLength(element['url'], Limits.buttonUrl, `${at}.url`, walk);
      const style = element['style'];
      if (style !== undefined && style !== 'primary' && style !== 'danger') {
        walk.problems.push(`${at}.style: ${String(style)} is not primary or danger`);
      }
      return;
    }
    case 'plain_text_input': {
      const max = element['max_length'];
      if (max !== undefined && (typeof max !== 'number' || max < 1 || max > Limits.plainTextInputMax)) {
        walk.problems.push(`${at}.max_length: must be 1-${Limits.plainTextInputMax}`);
      }
      const limit =
        typeof max === 'number' ? Math.min(max, Limits.plainTextInputMax) : Limits.plainTextInputMax;
      maxLength(element['initial_value'], limit, `${at}.initial_value`, walk);
      return;
    }
    case 'static_select': {
      const options = asArray(element['options'], `${at}.options`, walk);
      if (options.length === 0 || options.length > Limits.selectOptions) {
        walk.problems.push(`${at}.options: must be 1-${Limits.selectOptions}`);
      }
      options.forEach((option, i) => checkOption(option, `${at}.options[${i}]`, walk));
      if (element['initial_option'] !== undefined)
        checkOption(element['initial_option'], `${at}.initial_option`, walk);
      return;
    }
    case 'overflow': {
      const options = asArray(element['options'], `${at}.options`, walk);
      if (options.length < 1 || options.length > Limits.overflowOptions) {
        walk.problems.push(`${at}.options: must be 1-${Limits.overflowOptions}`);
      }
      options.forEach((option, i) => checkOption(option, `${at}.options[${i}]`, walk));
      return;
    }
    case 'users_select':
      return;
    case 'datetimepicker': {
      // UNIX seconds, an integer (https://docs.slack.dev/reference/block-kit/block-elements/datetime-picker-element).
      const initial = element['initial_date_time'];
      if (
        initial !== undefined &&
        (typeof initial !== 'number' || !Number.isInteger(initial) || initial < 0)
      ) {
        walk.problems.push(`${at}.initial_date_time: must be UNIX seconds, an integer`);
      }
      return;
    }
    default:
      walk.problems.push(`${at}.type: ${String(element['type'])} is not checked here`);
  }
}

function checkOption(option: unknown, at: string, walk: Walk): void {
  if (!isObject(option)) {
    walk.problems.push(`${at}: not an object`);
    return;
  }
  checkText(option['text'], `${at}.text`, Limits.optionText, walk, { plainOnly: true, required: true });
  const value = option['value'];
  if (typeof value !== 'string' || value.length === 0 || value.length > Limits.optionValue) {
    walk.problems.push(`${at}.value: must be 1-${Limits.optionValue} characters`);
  }
}

function checkText(
  text: unknown,
  at: string,
  max: number,
  walk: Walk,
  options: { plainOnly?: boolean; required?: boolean } = {},
): void {
  if (text === undefined) {
    if (options.required === true) walk.problems.push(`${at}: required`);
    return;
  }
  if (!isObject(text)) {
    walk.problems.push(`${at}: not a text object`);
    return;
  }
  const type = text['type'];
  if (type !== 'plain_text' && type !== 'mrkdwn')
    walk.problems.push(`${at}.type: ${String(type)} is not a text type`);
  if (options.plainOnly === true && type !== 'plain_text')
    walk.problems.push(`${at}.type: must be plain_text`);
  const value = text['text'];
  if (typeof value !== 'string' || value.length === 0)
    walk.problems.push(`${at}.text: must be a non-empty string`);
  else if (value.length > max) walk.problems.push(`${at}.text: ${value.length} > ${max} characters`);
}

function maxLength(value: unknown, max: number, at: string, walk: Walk): void {
  if (value === undefined) return;
  if (typeof value !== 'string') walk.problems.push(`${at}: not a string`);
  else if (value.length > max) walk.problems.push(`${at}: ${value.length} > ${max} characters`);
}

function asArray(value: unknown, at: string, walk: Walk): unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  walk.problems.push(`${at}: not an array`);
  return [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
