/**
 * The input elements of a modal's input blocks, as form controls with their initial values: plain_text_input (and
 * its multiline form), number/email/url inputs, static/users/conversations/channels selects and their multi forms,
 * checkboxes, radio buttons, date and time pickers. `read()` gives the value as the emulator's `submitView` takes
 * it: a string, several strings, or null when empty.
 */
import type { JsonObject } from '../../types.js';
import { textOf, type RenderContext } from './blocks.js';
import { h } from './dom.js';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: JsonObject, key: string): string => (typeof o[key] === 'string' ? o[key] : '');
const options = (element: JsonObject): { value: string; text: string; group?: string }[] => {
  const direct = Array.isArray(element['options']) ? element['options'].filter(isObject) : [];
  const groups = Array.isArray(element['option_groups']) ? element['option_groups'].filter(isObject) : [];
  return [
    ...direct.map((o) => ({ value: str(o, 'value'), text: textOf(o['text']) })),
    ...groups.flatMap((g) =>
      (Array.isArray(g['options']) ? g['options'].filter(isObject) : []).map((o) => ({
        value: str(o, 'value'),
        text: textOf(o['text']),
        group: textOf(g['label']),
      })),
    ),
  ];
};
const initialOptionValues = (element: JsonObject): string[] => {
  const one = element['initial_option'];
  const many = element['initial_options'];
  if (isObject(one)) return [str(one, 'value')];
  return Array.isArray(many) ? many.filter(isObject).map((o) => str(o, 'value')) : [];
};

export interface Field {
  actionId: string;
  blockId: string;
  optional: boolean;
  read(): string | string[] | null;
  error: HTMLElement;
  control: HTMLElement;
}

function selectFrom(
  id: string,
  choices: { value: string; text: string; group?: string }[],
  selected: string[],
  multiple: boolean,
  placeholder: string,
): HTMLSelectElement {
  const select = h('select', { id, multiple });
  if (!multiple) select.appendChild(h('option', { value: '' }, placeholder || 'Choose…'));
  const groups = new Map<string, HTMLElement>();
  for (const choice of choices) {
    const option = h(
      'option',
      { value: choice.value, selected: selected.includes(choice.value) },
      choice.text,
    );
    if (choice.group === undefined) select.appendChild(option);
    else {
      let group = groups.get(choice.group);
      if (!group) {
        group = h('optgroup', { label: choice.group });
        groups.set(choice.group, group);
        select.appendChild(group);
      }
      group.appendChild(option);
    }
  }
  return select;
}

export function inputField(block: JsonObject, element: JsonObject, ctx: RenderContext): Field {
  const blockId = str(block, 'block_id');
  const actionId = str(element, 'action_id');
  const id = `in-${blockId}-${actionId}`;
  const type = str(element, 'type');
  const placeholder = textOf(element['placeholder']);
  const people = [...ctx.users.values()]
    .filter((u) => !u.isBot)
    .map((u) => ({ value: u.id, text: `${u.realName} (@${u.name})` }));
  const rooms = [...ctx.channels.values()].map((c) => ({ value: c.id, text: `#${c.name}` }));
  let control: HTMLElement;
  let read: () => string | string[] | null;
  const single = (s: HTMLSelectElement) => () => (s.value === '' ? null : s.value);
  const multi = (s: HTMLSelectElement) => () => Array.from(s.selectedOptions).map((o) => o.value);
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'datepicker':
    case 'timepicker': {
      const initial = str(
        element,
        type === 'datepicker' ? 'initial_date' : type === 'timepicker' ? 'initial_time' : 'initial_value',
      );
      const inputTypes: Record<string, string> = {
        number_input: 'number',
        email_text_input: 'email',
        url_text_input: 'url',
        datepicker: 'date',
        timepicker: 'time',
      };
      const inputType = inputTypes[type] ?? 'text';
      const attrs = {
        id,
        placeholder,
        maxlength: typeof element['max_length'] === 'number' ? element['max_length'] : undefined,
      };
      const field =
        element['multiline'] === true
          ? h('textarea', { ...attrs, rows: 4 }, initial)
          : h('input', { ...attrs, type: inputType, value: initial });
      control = field;
      read = () => (field.value.trim() === '' ? null : field.value);
      break;
    }
    case 'datetimepicker': {
      // Slack shows the picker in the viewer's time zone and sends epoch seconds (selected_date_time).
      const initial = element['initial_date_time'];
      const local = (seconds: number) => {
        const d = new Date(seconds * 1000);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      };
      const field = h('input', {
        id,
        type: 'datetime-local',
        value: typeof initial === 'number' ? local(initial) : '',
      });
      control = field;
      read = () => {
        const ms = field.value === '' ? NaN : new Date(field.value).getTime();
        return Number.isNaN(ms) ? null : String(Math.floor(ms / 1000));
      };
      break;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const choices =
        type === 'users_select'
          ? people
          : type.endsWith('_select') && type !== 'static_select' && type !== 'external_select'
            ? rooms
            : options(element);
      const initial =
        type === 'users_select'
          ? [str(element, 'initial_user')]
          : type === 'static_select' || type === 'external_select'
            ? initialOptionValues(element)
            : [str(element, 'initial_conversation') || str(element, 'initial_channel')];
      const select = selectFrom(id, choices, initial, false, placeholder);
      control = select;
      read = single(select);
      break;
    }
    case 'multi_static_select':
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const choices =
        type === 'multi_users_select' ? people : type === 'multi_static_select' ? options(element) : rooms;
      const initial =
        type === 'multi_static_select'
          ? initialOptionValues(element)
          : ((element[type === 'multi_users_select' ? 'initial_users' : 'initial_conversations'] as
              string[] | undefined) ?? []);
      const select = selectFrom(id, choices, initial, true, placeholder);
      control = select;
      read = multi(select);
      break;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const initial = initialOptionValues(element);
      const inputs = options(element).map((o, i) =>
        h('input', {
          type: type === 'checkboxes' ? 'checkbox' : 'radio',
          name: id,
          value: o.value,
          id: `${id}-${i}`,
          checked: initial.includes(o.value),
        }),
      );
      control = h(
        'div',
        { class: 'choices', id, role: type === 'checkboxes' ? 'group' : 'radiogroup' },
        options(element).map((o, i) =>
          h('label', { class: 'choice', for: `${id}-${i}` }, inputs[i], ` ${o.text}`),
        ),
      );
      read = () => {
        const checked = inputs.filter((i) => i.checked).map((i) => i.value);
        return type === 'checkboxes' ? checked : (checked[0] ?? null);
      };
      break;
    }
    default:
      control = h(
        'p',
        { id, class: 'element-unsupported' },
        `[${type} input: not supported by the emulator page]`,
      );
      read = () => null;
  }
  return {
    actionId,
    blockId,
    optional: block['optional'] === true,
    read,
    control,
    error: h('p', { class: 'field-error', id: `${id}-error` }),
  };
}
