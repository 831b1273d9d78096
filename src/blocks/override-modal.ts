/**
 * `/oncall override` without arguments: a modal with who, from and until (Block Kit `datetimepicker`s, which the
 * person fills in their own Slack time zone and Slack sends as epoch seconds), and which schedule. The parser
 * turns the submission into an override request or field errors, the shape of `{response_action: 'errors'}`.
 * https://docs.slack.dev/reference/block-kit/block-elements/date-picker-element (datetimepicker)
 */
import type { Schedule } from '../domain/oncall-config.js';
import { Views } from './ids.js';
import { escapeMrkdwn } from './format.js';
import { context, plain, type KnownBlock, type ModalView, type PlainTextOption } from './kit.js';
import { Limits } from './limits.js';
import type { SubmissionErrors, ViewStateValues } from './modals.js';

export const OverrideFields = {
  user: { blockId: 'override_user', actionId: 'user' },
  start: { blockId: 'override_start', actionId: 'start' },
  end: { blockId: 'override_end', actionId: 'end' },
  schedule: { blockId: 'override_schedule', actionId: 'schedule' },
} as const;

/** Schedules offered in the select (Slack allows 100 options). */
export const OVERRIDE_SCHEDULES_MAX = 100;

const option = (schedule: Schedule): PlainTextOption => ({
  text: plain(`${schedule.id} (${schedule.timeZone})`, Limits.optionText),
  value: schedule.id,
});

export function buildOverrideModal(input: {
  schedules: readonly Schedule[];
  /** Who it is for at first (the person who typed the command). */
  user: string;
  /** Preselected schedule. */
  schedule?: string;
  /** Epoch ms the pickers start at: the start, and the end this much later. */
  start: number;
  end: number;
  /** Round-tripped: the channel the command came from, for the confirmation. */
  privateMetadata?: string;
}): ModalView {
  const f = OverrideFields;
  const offered = input.schedules.slice(0, OVERRIDE_SCHEDULES_MAX);
  const initial =
    offered.find((s) => s.id === input.schedule) ?? (offered.length === 1 ? offered[0] : undefined);
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: f.user.blockId,
      label: plain('Who is on call instead'),
      element: { type: 'users_select', action_id: f.user.actionId, initial_user: input.user },
    },
    {
      type: 'input',
      block_id: f.start.blockId,
      label: plain('From'),
      element: {
        type: 'datetimepicker',
        action_id: f.start.actionId,
        initial_date_time: seconds(input.start),
      },
    },
    {
      type: 'input',
      block_id: f.end.blockId,
      label: plain('Until'),
      element: { type: 'datetimepicker', action_id: f.end.actionId, initial_date_time: seconds(input.end) },
    },
    {
      type: 'input',
      block_id: f.schedule.blockId,
      label: plain('Schedule'),
      element: {
        type: 'static_select',
        action_id: f.schedule.actionId,
        placeholder: plain('Choose a schedule', Limits.placeholder),
        options: offered.map(option),
        ...(initial === undefined ? {} : { initial_option: option(initial) }),
      },
    },
    context([
      `Times are in your own Slack time zone. Overlapping another override of the schedule is refused. Schedules: ${escapeMrkdwn(offered.map((s) => `${s.id} (${s.timeZone})`).join(', '))}`,
    ]),
  ];
  return {
    type: 'modal',
    callback_id: Views.oncallOverride,
    title: plain('On-call override', Limits.viewTitle),
    submit: plain('Save', Limits.viewButton),
    close: plain('Cancel', Limits.viewButton),
    blocks,
    ...(input.privateMetadata === undefined ? {} : { private_metadata: input.privateMetadata }),
  };
}

export type OverrideSubmission =
  | { ok: true; user: string; start: number; end: number; schedule: string }
  | { ok: false; errors: SubmissionErrors };

/** The submission's values (epoch ms), or errors next to the fields. */
export function parseOverrideSubmission(values: ViewStateValues): OverrideSubmission {
  const f = OverrideFields;
  const value = (field: { blockId: string; actionId: string }) => values[field.blockId]?.[field.actionId];
  const user = value(f.user)?.selected_user ?? undefined;
  const start = value(f.start)?.selected_date_time ?? undefined;
  const end = value(f.end)?.selected_date_time ?? undefined;
  const schedule = value(f.schedule)?.selected_option?.value;
  const errors: SubmissionErrors = {};
  if (user === undefined || user === '') errors[f.user.blockId] = 'Choose who is on call instead.';
  if (typeof start !== 'number') errors[f.start.blockId] = 'Choose when the override starts.';
  if (typeof end !== 'number') errors[f.end.blockId] = 'Choose when the override ends.';
  else if (typeof start === 'number' && end <= start)
    errors[f.end.blockId] = 'The end must be after the start.';
  if (schedule === undefined) errors[f.schedule.blockId] = 'Choose a schedule.';
  if (Object.keys(errors).length > 0 || user == null || typeof start !== 'number' || typeof end !== 'number')
    return { ok: false, errors };
  return { ok: true, user, start: start * 1000, end: end * 1000, schedule: schedule as string };
}
