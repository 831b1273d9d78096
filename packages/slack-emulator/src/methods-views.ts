/**
 * views.* methods (https://docs.slack.dev/reference/methods/views.open and siblings). A view Slack rejects is
 * answered as Slack answers it: `invalid_arguments` with `[ERROR] … [json-pointer:/view/…]` lines in
 * `response_metadata.messages` (views do not use `invalid_blocks`).
 */
import { SlackApiError } from './api-error.js';
import { createChecker, normalizeBlocks, validateBlocks, type Surface } from './block-kit.js';
import { textObject } from './block-elements.js';
import { isObject, jsonField, str } from './json.js';
import { toSlackView } from './view-store.js';
import type { MethodContext, MethodTable } from './method-types.js';
import type { JsonObject, StoredView } from './types.js';

function readView(ctx: MethodContext, surface: Exclude<Surface, 'message'>): JsonObject {
  const field = jsonField(ctx.args, 'view');
  return parseViewDefinition(field.kind === 'value' ? field.value : undefined, surface);
}

/**
 * Validates a view payload for a modal or a home tab (from views.* or a `response_action` ack) and returns it
 * with normalized blocks; throws SlackApiError('invalid_arguments') with Slack's detail lines.
 */
export function parseViewDefinition(view: unknown, surface: Exclude<Surface, 'message'>): JsonObject {
  if (!isObject(view)) throw new SlackApiError('invalid_arguments');
  const errors: string[] = [];
  const c = createChecker(errors);
  if (view['type'] !== surface) c.error(`must be '${surface}'`, '/view/type');
  if (surface === 'modal') {
    textObject(view['title'], '/view/title', c, { max: 24, plainOnly: true });
    for (const key of ['submit', 'close']) {
      if (view[key] !== undefined) textObject(view[key], `/view/${key}`, c, { max: 24, plainOnly: true });
    }
    const hasInput =
      Array.isArray(view['blocks']) && view['blocks'].some((b) => isObject(b) && b['type'] === 'input');
    if (hasInput && view['submit'] === undefined)
      c.error('submit is required when a view has input blocks', '/view');
  }
  const limits: [string, number][] = [
    ['callback_id', 255],
    ['private_metadata', 3000],
    ['external_id', 255],
  ];
  for (const [key, max] of limits)
    if (view[key] !== undefined) c.string(view[key], `/view/${key}`, { max, min: 0 });
  errors.push(...validateBlocks(view['blocks'], surface, '/view/blocks'));
  if (errors.length > 0) throw SlackApiError.withMessages('invalid_arguments', errors);
  return {
    ...view,
    blocks: normalizeBlocks(Array.isArray(view['blocks']) ? view['blocks'].filter(isObject) : []),
  };
}

/** Spends the trigger_id and returns whose it was, with views.open's error codes. */
function useTrigger(ctx: MethodContext): string {
  const id = str(ctx.args, 'trigger_id') ?? str(ctx.args, 'interactivity_pointer');
  if (id === undefined || id === '') throw new SlackApiError('invalid_arguments');
  const { check, user } = ctx.workspace.useTrigger(id);
  if (check !== 'ok' || user === undefined)
    throw new SlackApiError(`${check === 'ok' ? 'invalid' : check}_trigger_id`);
  return user;
}

function checkHash(ctx: MethodContext, view: StoredView): void {
  const hash = str(ctx.args, 'hash');
  if (hash !== undefined && hash !== '' && hash !== view.hash) throw new SlackApiError('hash_conflict');
}

export const viewMethods: MethodTable = {
  'views.open': {
    token: 'bot',
    handler(ctx) {
      const definition = readView(ctx, 'modal');
      const user = useTrigger(ctx);
      return { view: toSlackView(ctx.workspace.views.open(user, definition)) };
    },
  },
  'views.push': {
    token: 'bot',
    handler(ctx) {
      const definition = readView(ctx, 'modal');
      const user = useTrigger(ctx);
      // Slack only pushes onto a modal that is open; without one there is nothing to push onto.
      if (!ctx.workspace.views.top(user)) throw new SlackApiError('not_found');
      const view = ctx.workspace.views.push(user, definition);
      if (!view) throw new SlackApiError('push_limit_reached');
      return { view: toSlackView(view) };
    },
  },
  'views.update': {
    token: 'bot',
    handler(ctx) {
      const viewId = str(ctx.args, 'view_id');
      const externalId = str(ctx.args, 'external_id');
      if (!viewId && !externalId) throw new SlackApiError('invalid_arguments');
      const view = viewId
        ? ctx.workspace.views.get(viewId)
        : ctx.workspace.views.byExternalId(externalId ?? '');
      if (!view) throw new SlackApiError('not_found');
      const definition = readView(ctx, view.type);
      checkHash(ctx, view);
      return { view: toSlackView(ctx.workspace.views.update(view, definition)) };
    },
  },
  'views.publish': {
    token: 'bot',
    handler(ctx) {
      const userId = str(ctx.args, 'user_id');
      if (userId === undefined || !ctx.workspace.user(userId)) throw new SlackApiError('user_not_found');
      const definition = readView(ctx, 'home');
      const existing = ctx.workspace.views.home(userId);
      if (existing) checkHash(ctx, existing);
      return { view: toSlackView(ctx.workspace.views.publishHome(userId, definition)) };
    },
  },
};
