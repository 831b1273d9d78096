/**
 * A modal submitted (`view_submission`, then what the ack's `response_action` asks: errors, update, push, clear,
 * or close) and a modal closed with Cancel (`view_closed`, only when the view asked with notify_on_close).
 */
import type { ActionContext } from './action-context.js';
import type { ActionResult } from './action-types.js';
import { isObject, str } from './json.js';
import { parseViewDefinition } from './methods-views.js';
import { viewClosedPayload, viewSubmissionPayload } from './payloads.js';
import type { JsonObject, SlackUser, StoredView } from './types.js';
import { buildStateValues, type EnteredValues } from './view-state.js';

function openModal(
  ctx: ActionContext,
  userId: string,
  viewId: string,
): { user: SlackUser; view: StoredView } {
  const user = ctx.user(userId);
  const view = ctx.workspace.views.get(viewId);
  if (!view || view.type !== 'modal' || view.user !== user.id)
    throw new Error(`modal ${viewId} is not open for ${user.id}`);
  return { user, view };
}

export async function submitView(
  ctx: ActionContext,
  input: { userId: string; viewId: string; values?: EnteredValues },
): Promise<ActionResult> {
  const { user, view } = openModal(ctx, input.userId, input.viewId);
  const values = buildStateValues(view.definition['blocks'], input.values ?? {});
  const trigger = ctx.workspace.issueTrigger(user.id);
  const result = await ctx.send(
    'interactive',
    viewSubmissionPayload(ctx.workspace, user, view, values, trigger),
  );
  if (result.transport === 'http' && result.status !== 200) return result;
  const ack = isObject(result.ack.payload) ? result.ack.payload : {};
  const views = ctx.workspace.views;
  ctx.apply(() => {
    const action = str(ack, 'response_action');
    if (action === 'errors')
      views.setErrors(view, isObject(ack['errors']) ? stringRecord(ack['errors']) : {});
    else if (action === 'update') views.update(view, parseViewDefinition(ack['view'], 'modal'));
    else if (action === 'push') views.push(user.id, parseViewDefinition(ack['view'], 'modal'));
    else if (action === 'clear') views.clear(user.id);
    else views.close(view);
  });
  return result;
}

export async function closeView(
  ctx: ActionContext,
  input: { userId: string; viewId: string },
): Promise<ActionResult | undefined> {
  const { user, view } = openModal(ctx, input.userId, input.viewId);
  const isCleared = view.definition['clear_on_close'] === true;
  if (isCleared) ctx.workspace.views.clear(user.id);
  else ctx.workspace.views.close(view);
  if (view.definition['notify_on_close'] !== true) return undefined;
  return ctx.send('interactive', viewClosedPayload(ctx.workspace, user, view, isCleared));
}

function stringRecord(value: JsonObject): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
