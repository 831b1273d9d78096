/**
 * The Block Kit checker's part for block elements, options and text objects (limits.ts walks the blocks).
 */
import { Limits } from './limit-values.js';

/** What a check collects: the problems, and the ids seen so far (unique across the surface). */
export interface Walk {
  problems: string[];
  blockIds: Set<string>;
  actionIds: Set<string>;
}

export function checkElement(element: unknown, at: string, walk: Walk): void {
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

export function checkOption(option: unknown, at: string, walk: Walk): void {
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

export function checkText(
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

export function maxLength(value: unknown, max: number, at: string, walk: Walk): void {
  if (value === undefined) return;
  if (typeof value !== 'string') walk.problems.push(`${at}: not a string`);
  else if (value.length > max) walk.problems.push(`${at}: ${value.length} > ${max} characters`);
}

export function asArray(value: unknown, at: string, walk: Walk): unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  walk.problems.push(`${at}: not an array`);
  return [];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
