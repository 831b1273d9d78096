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
import { Limits } from './limit-values.js';
import { asArray, checkElement, checkText, isObject, maxLength, type Walk } from './limit-elements.js';

export { Limits } from './limit-values.js';

export type BlockKitSurface =
  | { kind: 'message'; text?: unknown; blocks?: unknown; attachments?: unknown }
  | { kind: 'view'; view: unknown };

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
