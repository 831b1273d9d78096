/**
 * Modals: `/incident new` (open an incident by hand) and `/oncall edit` (the whole on-call list in one form),
 * with the pure parsers for their `view_submission` state. A parser's `errors` map block_id → message, the shape
 * Slack wants in `{response_action: 'errors', errors}`.
 * https://docs.slack.dev/surfaces/modals#displaying_errors
 */
import { SEVERITIES, type Severity, isSeverity } from '../domain/alert.js';
import { type OncallEntry, sortOncall } from '../domain/oncall.js';
import { isE164, maskPhone } from '../domain/phone.js';
import { TITLE_MAX } from '../domain/sources/generic.js';
import { Views } from './ids.js';
import { SEVERITY_EMOJI } from './format.js';
import {
  plain,
  section,
  type InputBlock,
  type KnownBlock,
  type ModalView,
  type PlainTextOption,
} from './kit.js';
import { Limits } from './limits.js';

/** One input's state in `view.state.values[blockId][actionId]`, as much of it as these modals read. */
export interface ViewStateValue {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_user?: string | null;
  /** A datetimepicker's value: epoch seconds. */
  selected_date_time?: number | null;
}
export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

export type SubmissionErrors = Record<string, string>;

// ---- /incident new -------------------------------------------------------------------------------------------

export const NewIncidentFields = {
  title: { blockId: 'incident_title', actionId: 'title' },
  message: { blockId: 'incident_message', actionId: 'message' },
  severity: { blockId: 'incident_severity', actionId: 'severity' },
} as const;

function severityOption(severity: Severity): PlainTextOption {
  return { text: plain(`${SEVERITY_EMOJI[severity]} ${severity}`, Limits.optionText), value: severity };
}

export interface ModalOptions {
  /** Round-tripped to the submission, e.g. the channel the command came from. ≤ 3000 characters. */
  privateMetadata?: string;
}

export function buildNewIncidentModal(options: ModalOptions = {}): ModalView {
  const f = NewIncidentFields;
  const blocks: InputBlock[] = [
    {
      type: 'input',
      block_id: f.title.blockId,
      label: plain('Title'),
      element: {
        type: 'plain_text_input',
        action_id: f.title.actionId,
        max_length: TITLE_MAX,
        placeholder: plain('What is broken? e.g. Checkout API returns 500', Limits.placeholder),
      },
    },
    {
      type: 'input',
      block_id: f.message.blockId,
      optional: true,
      label: plain('Message'),
      element: {
        type: 'plain_text_input',
        action_id: f.message.actionId,
        multiline: true,
        max_length: Limits.plainTextInputMax,
        placeholder: plain('What do you see, since when, who is affected', Limits.placeholder),
      },
    },
    {
      type: 'input',
      block_id: f.severity.blockId,
      label: plain('Severity'),
      element: {
        type: 'static_select',
        action_id: f.severity.actionId,
        options: SEVERITIES.map(severityOption),
        initial_option: severityOption('error'),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: Views.newIncident,
    title: plain('New incident', Limits.viewTitle),
    submit: plain('Open incident', Limits.viewButton),
    close: plain('Cancel', Limits.viewButton),
    blocks,
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
  };
}

export type NewIncidentSubmission =
  { ok: true; title: string; message?: string; severity: Severity } | { ok: false; errors: SubmissionErrors };

export function parseNewIncidentSubmission(values: ViewStateValues): NewIncidentSubmission {
  const f = NewIncidentFields;
  const title = values[f.title.blockId]?.[f.title.actionId]?.value?.trim() ?? '';
  const message = values[f.message.blockId]?.[f.message.actionId]?.value?.trim() ?? '';
  const selected = values[f.severity.blockId]?.[f.severity.actionId]?.selected_option?.value;
  if (title === '') return { ok: false, errors: { [f.title.blockId]: 'Give the incident a title.' } };
  if (title.length > TITLE_MAX) {
    return { ok: false, errors: { [f.title.blockId]: `Keep the title under ${TITLE_MAX} characters.` } };
  }
  return {
    ok: true,
    title,
    severity: isSeverity(selected) ? selected : 'error',
    ...(message !== '' ? { message } : {}),
  };
}

// ---- /oncall edit --------------------------------------------------------------------------------------------

/** Rows in the form at most; two input blocks each keeps the modal far below the 100-block limit. */
export const ONCALL_ROWS_MAX = 20;

// Block and action ids per row. Action ids are unique across the whole view too (Slack only requires that within
// a block), so a listener can never confuse one row's input with another's.
export const oncallUserBlockId = (row: number): string => `oncall_user_${row}`;
export const oncallPhoneBlockId = (row: number): string => `oncall_phone_${row}`;
export const oncallUserActionId = (row: number): string => `user_${row}`;
export const oncallPhoneActionId = (row: number): string => `phone_${row}`;

/**
 * One row per person (a user picker and a phone field), in call order, plus `blankRows` empty rows for
 * additions. Phones are pre-filled *masked*: the form never shows a full number, and leaving the masked value
 * as it is keeps the stored number. Clearing a phone removes that person.
 */
export function buildOncallEditModal(
  entries: readonly OncallEntry[],
  options: ModalOptions & { blankRows?: number } = {},
): ModalView {
  const ordered = sortOncall(entries).slice(0, ONCALL_ROWS_MAX);
  const rows = Math.min(ONCALL_ROWS_MAX, ordered.length + (options.blankRows ?? 3));
  const blocks: KnownBlock[] = [
    section(
      'People are called top to bottom. Leave a masked number as it is to keep it; clear the number to take that person off the list.',
    ),
  ];
  for (let row = 0; row < rows; row++) {
    const entry = ordered[row];
    blocks.push(
      {
        type: 'input',
        block_id: oncallUserBlockId(row),
        optional: true,
        label: plain(`${row + 1}. Person`),
        element: {
          type: 'users_select',
          action_id: oncallUserActionId(row),
          placeholder: plain('Choose someone', Limits.placeholder),
          ...(entry !== undefined ? { initial_user: entry.userId } : {}),
        },
      },
      {
        type: 'input',
        block_id: oncallPhoneBlockId(row),
        optional: true,
        label: plain(`${row + 1}. Phone (E.164)`),
        element: {
          type: 'plain_text_input',
          action_id: oncallPhoneActionId(row),
          max_length: 32,
          placeholder: plain('+819012345678', Limits.placeholder),
          ...(entry !== undefined ? { initial_value: maskPhone(entry.phone) } : {}),
        },
      },
    );
  }
  return {
    type: 'modal',
    callback_id: Views.editOncall,
    title: plain('On-call list', Limits.viewTitle),
    submit: plain('Save', Limits.viewButton),
    close: plain('Cancel', Limits.viewButton),
    blocks,
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
  };
}

export type OncallEditSubmission =
  { ok: true; entries: OncallEntry[] } | { ok: false; errors: SubmissionErrors };

/**
 * The new list from the form, in row order (priorities 1..n). `existing` resolves masked numbers left as they
 * were. Spaces, hyphens, dots and parentheses in a typed number are ignored (`+81 90-1234-5678` is fine).
 */
export function parseOncallEditSubmission(
  values: ViewStateValues,
  existing: readonly OncallEntry[],
): OncallEditSubmission {
  const errors: SubmissionErrors = {};
  const entries: OncallEntry[] = [];
  const seen = new Set<string>();
  for (let row = 0; row < ONCALL_ROWS_MAX; row++) {
    const userBlock = values[oncallUserBlockId(row)];
    const phoneBlock = values[oncallPhoneBlockId(row)];
    if (userBlock === undefined && phoneBlock === undefined) continue;
    const userId = userBlock?.[oncallUserActionId(row)]?.selected_user ?? undefined;
    const typed = (phoneBlock?.[oncallPhoneActionId(row)]?.value ?? '').trim();
    if (userId === undefined || userId === '') {
      if (typed !== '') errors[oncallUserBlockId(row)] = 'Choose who this number belongs to.';
      continue;
    }
    if (typed === '') continue; // a cleared number takes the person off the list
    if (seen.has(userId)) {
      errors[oncallUserBlockId(row)] = 'This person is already on the list above.';
      continue;
    }
    seen.add(userId);
    const previous = existing.find((e) => e.userId === userId);
    const phone =
      previous !== undefined && typed === maskPhone(previous.phone)
        ? previous.phone
        : typed.replace(/[\s\-.()]/g, '');
    if (!isE164(phone)) {
      errors[oncallPhoneBlockId(row)] = 'Use E.164: a + and the country code, e.g. +819012345678.';
      continue;
    }
    entries.push({ userId, phone, priority: entries.length + 1 });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, entries };
}
