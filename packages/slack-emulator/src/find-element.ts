/** Finding the element a person acts on in a message's or view's blocks. */
import { isObject } from './json.js';
import type { BlockActionInput } from './payloads.js';

/** The first element of `type` with this action_id (and value, when given) in a list of blocks. */
export function findElement(
  blocks: unknown,
  type: 'button' | 'overflow',
  actionId: string,
  value?: string,
): BlockActionInput['button'] | undefined {
  for (const block of Array.isArray(blocks) ? blocks.filter(isObject) : []) {
    const elements = [...(Array.isArray(block['elements']) ? block['elements'] : []), block['accessory']];
    for (const element of elements.filter(isObject)) {
      if (element['type'] !== type || element['action_id'] !== actionId) continue;
      if (value !== undefined && element['value'] !== value) continue;
      return { element, blockId: String(block['block_id']) };
    }
  }
  return undefined;
}

/** The first button with this action_id (and value, when given) in a list of blocks. */
export function findButton(
  blocks: unknown,
  actionId: string,
  value?: string,
): BlockActionInput['button'] | undefined {
  return findElement(blocks, 'button', actionId, value);
}
