/**
 * `view.state.values` as Slack builds it on submission: `{[block_id]: {[action_id]: {type, …value}}}` for
 * every input element, with what the person entered or else the element's initial value (null when empty).
 * The value field depends on the element type: https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload
 */
import { isObject } from './json.js';
import type { JsonObject } from './types.js';

/** What a person entered, keyed by action_id: a string, several strings (multi-selects), or null (cleared). */
export type EnteredValues = Record<string, string | string[] | null>;

const TEXT = ['plain_text_input', 'number_input', 'email_text_input', 'url_text_input'];
const SINGLE: Record<string, string> = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};
const MULTI: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};
const OPTION = ['static_select', 'external_select', 'radio_buttons'];
const OPTIONS = ['multi_static_select', 'multi_external_select', 'checkboxes'];

function allOptions(element: JsonObject): JsonObject[] {
  const direct = Array.isArray(element['options']) ? element['options'].filter(isObject) : [];
  const groups = Array.isArray(element['option_groups']) ? element['option_groups'].filter(isObject) : [];
  return [
    ...direct,
    ...groups.flatMap((g) => (Array.isArray(g['options']) ? g['options'].filter(isObject) : [])),
  ];
}

function option(element: JsonObject, value: string): JsonObject {
  return (
    allOptions(element).find((o) => o['value'] === value) ?? {
      text: { type: 'plain_text', text: value },
      value,
    }
  );
}

function asList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function asOne(value: string | string[]): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** One element's state entry; `entered` undefined means untouched (the initial value stands). */
function entry(element: JsonObject, entered: string | string[] | null | undefined): JsonObject {
  const type = String(element['type']);
  const touched = entered !== undefined;
  const given = entered ?? null;
  if (TEXT.includes(type)) {
    const value = touched ? (given === null ? null : asOne(given)) : (element['initial_value'] ?? null);
    return { type, value };
  }
  const single = SINGLE[type];
  if (single) {
    const initial = element[single.replace('selected_', 'initial_')] ?? null;
    return { type, [single]: touched ? (given === null ? null : asOne(given)) : initial };
  }
  const multi = MULTI[type];
  if (multi) {
    const initial = element[multi.replace('selected_', 'initial_')] ?? [];
    return { type, [multi]: touched ? (given === null ? [] : asList(given)) : initial };
  }
  if (OPTION.includes(type)) {
    const one = given === null ? undefined : asOne(given);
    const chosen = touched
      ? one === undefined
        ? null
        : option(element, one)
      : (element['initial_option'] ?? null);
    return { type, selected_option: chosen };
  }
  if (OPTIONS.includes(type)) {
    const chosen = touched
      ? asList(given ?? []).map((v) => option(element, v))
      : (element['initial_options'] ?? []);
    return { type, selected_options: chosen };
  }
  if (type === 'datetimepicker') {
    const one = given === null ? undefined : asOne(given);
    return {
      type,
      selected_date_time: touched
        ? one === undefined
          ? null
          : Number(one)
        : (element['initial_date_time'] ?? null),
    };
  }
  if (type === 'rich_text_input') {
    const text = given === null ? undefined : asOne(given);
    const richValue = (t: string): JsonObject => ({
      type: 'rich_text',
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: t }] }],
    });
    return {
      type,
      rich_value: touched
        ? text === undefined
          ? null
          : richValue(text)
        : (element['initial_value'] ?? null),
    };
  }
  return { type, value: given === null ? null : (asOne(given ?? '') ?? null) };
}

function isEmpty(state: JsonObject): boolean {
  return Object.entries(state).every(
    ([key, v]) => key === 'type' || v === null || (Array.isArray(v) && v.length === 0),
  );
}

/**
 * Builds state.values for the input blocks of a view. Throws when `entered` names an action_id the view has
 * no input for, or when a required input is left empty (Slack's client would not let the person submit).
 */
export function buildStateValues(
  blocks: unknown,
  entered: EnteredValues,
): Record<string, Record<string, JsonObject>> {
  const values: Record<string, Record<string, JsonObject>> = {};
  const known = new Set<string>();
  const missing: string[] = [];
  for (const block of Array.isArray(blocks) ? blocks.filter(isObject) : []) {
    const element = block['element'];
    if (block['type'] !== 'input' || !isObject(element)) continue;
    const blockId = String(block['block_id']);
    const actionId = String(element['action_id']);
    known.add(actionId);
    const state = entry(element, entered[actionId]);
    values[blockId] = { [actionId]: state };
    if (block['optional'] !== true && isEmpty(state)) missing.push(actionId);
  }
  const unknown = Object.keys(entered).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Error(`view has no input with action_id ${unknown.join(', ')}`);
  if (missing.length > 0) throw new Error(`required input left empty: ${missing.join(', ')}`);
  return values;
}
