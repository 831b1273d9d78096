/**
 * Views as Slack keeps them: per person, a stack of up to three modals (views.push adds one, a submission
 * pops one) and one App Home. Every view carries a `hash` that changes on each update, so views.update with a
 * stale hash fails with `hash_conflict` as it does on Slack.
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject, StoredView, WorkspaceChange } from './types.js';

/** https://docs.slack.dev/surfaces/modals#lifecycle: "you can only have up to 3 views in the stack". */
export const MAX_MODAL_STACK = 3;

let counter = 0;
function newViewId(): string {
  counter += 1;
  return `V${counter.toString(36).toUpperCase().padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
}

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(6).toString('base64url')}`;
}

export class ViewStore {
  private readonly byId = new Map<string, StoredView>();
  private readonly stacks = new Map<string, string[]>();
  private readonly homes = new Map<string, string>();

  constructor(
    private readonly teamId: string,
    private readonly app: { appId: string; botId: string },
    private readonly onChange: (change: WorkspaceChange) => void,
  ) {}

  get(id: string): StoredView | undefined {
    return this.byId.get(id);
  }

  byExternalId(externalId: string): StoredView | undefined {
    if (externalId === '') return undefined;
    for (const view of this.byId.values()) if (view.external_id === externalId) return view;
    return undefined;
  }

  /** The person's open modals, bottom first; the last one is what they see. */
  stack(user: string): StoredView[] {
    return (this.stacks.get(user) ?? []).flatMap((id) => this.byId.get(id) ?? []);
  }

  top(user: string): StoredView | undefined {
    return this.stack(user).at(-1);
  }

  home(user: string): StoredView | undefined {
    const id = this.homes.get(user);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Every App Home published (persistence.ts saves them; modals are not kept, as Slack does not). */
  homeViews(): StoredView[] {
    return [...this.homes.values()].flatMap((id) => this.byId.get(id) ?? []);
  }

  restoreHome(saved: StoredView): void {
    // A saved Home is this app's, whatever ids the file was written with.
    const view = { ...saved, app_id: this.app.appId, bot_id: this.app.botId };
    this.byId.set(view.id, view);
    this.homes.set(view.user, view.id);
  }

  /** views.open: a new modal replaces whatever the person had open. */
  open(user: string, definition: JsonObject): StoredView {
    for (const view of this.stack(user)) this.byId.delete(view.id);
    const view = this.create(user, 'modal', definition, null, undefined);
    this.stacks.set(user, [view.id]);
    this.onChange({ type: 'view_opened', view });
    return view;
  }

  /** views.push; undefined when the stack is already full. */
  push(user: string, definition: JsonObject): StoredView | undefined {
    const stack = this.stacks.get(user) ?? [];
    if (stack.length >= MAX_MODAL_STACK) return undefined;
    const below = stack.at(-1);
    const view = this.create(user, 'modal', definition, below ?? null, stack[0]);
    this.stacks.set(user, [...stack, view.id]);
    this.onChange({ type: 'view_pushed', view });
    return view;
  }

  update(view: StoredView, definition: JsonObject): StoredView {
    view.definition = definition;
    view.hash = newHash();
    view.external_id =
      typeof definition['external_id'] === 'string' ? definition['external_id'] : view.external_id;
    delete view.errors;
    this.onChange({ type: 'view_updated', view });
    return view;
  }

  setErrors(view: StoredView, errors: Record<string, string>): void {
    view.errors = errors;
    this.onChange({ type: 'view_updated', view });
  }

  /** Closes a modal and everything stacked above it (a submission or a close of the top view). */
  close(view: StoredView): void {
    const stack = this.stacks.get(view.user) ?? [];
    const index = stack.indexOf(view.id);
    if (index < 0) return;
    const closed = stack.splice(index);
    for (const id of closed.reverse()) {
      const gone = this.byId.get(id);
      this.byId.delete(id);
      if (gone) this.onChange({ type: 'view_closed', view: gone });
    }
  }

  /** `response_action: 'clear'`: every modal the person has open. */
  clear(user: string): void {
    const bottom = this.stack(user)[0];
    if (bottom) this.close(bottom);
  }

  publishHome(user: string, definition: JsonObject): StoredView {
    const existing = this.home(user);
    if (existing) {
      this.update(existing, definition);
      this.onChange({ type: 'home_published', view: existing });
      return existing;
    }
    const view = this.create(user, 'home', definition, null, undefined);
    this.homes.set(user, view.id);
    this.onChange({ type: 'home_published', view });
    return view;
  }

  private create(
    user: string,
    type: StoredView['type'],
    definition: JsonObject,
    previous: string | null,
    root: string | undefined,
  ): StoredView {
    const id = newViewId();
    const externalId = definition['external_id'];
    const view: StoredView = {
      id,
      team_id: this.teamId,
      app_id: this.app.appId,
      bot_id: this.app.botId,
      type,
      user,
      definition,
      hash: newHash(),
      root_view_id: root ?? id,
      previous_view_id: previous,
      external_id: typeof externalId === 'string' ? externalId : '',
    };
    this.byId.set(id, view);
    return view;
  }
}

/** The view as Slack sends it back (views.* responses, view_submission payloads, app_home_opened). */
export function toSlackView(view: StoredView, state: JsonObject = { values: {} }): JsonObject {
  const d = view.definition;
  return {
    id: view.id,
    team_id: view.team_id,
    type: view.type,
    ...(d['title'] === undefined ? {} : { title: d['title'] }),
    ...(d['submit'] === undefined ? {} : { submit: d['submit'] }),
    ...(d['close'] === undefined ? {} : { close: d['close'] }),
    blocks: Array.isArray(d['blocks']) ? d['blocks'] : [],
    private_metadata: typeof d['private_metadata'] === 'string' ? d['private_metadata'] : '',
    callback_id: typeof d['callback_id'] === 'string' ? d['callback_id'] : '',
    state,
    hash: view.hash,
    clear_on_close: d['clear_on_close'] === true,
    notify_on_close: d['notify_on_close'] === true,
    root_view_id: view.root_view_id,
    previous_view_id: view.previous_view_id,
    app_id: view.app_id,
    external_id: view.external_id,
    app_installed_team_id: view.team_id,
    bot_id: view.bot_id,
  };
}
