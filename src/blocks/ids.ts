/**
 * Every id Slack sends back to us: slash commands, button action ids, modal callback ids, shortcuts and events.
 * The Slack contract both sides share: the block builders put these ids on what they build, and the listeners
 * (the Bolt layer) register for them; it lives with the pure builders so that they never import the listeners.
 * manifest.json declares the same commands, shortcuts and events; test/unit/manifest.test.ts keeps them in step.
 */
export const Commands = {
  incident: '/incident',
  oncall: '/oncall',
  jobs: '/jobs',
  /** Maintenance windows: silences made from Slack (issue 20). */
  maintenance: '/maintenance',
} as const;

export const Actions = {
  watching: 'incident_watch',
  toBedrockAgent: 'incident_analyze',
  reporting: 'incident_report',
  acknowledge: 'incident_ack',
  resolve: 'incident_resolve',
  /** The overflow menu (snooze, severity): `selected_option.value` is `<incident id>|<choice>`. */
  menu: 'incident_menu',
  /** Task messages (issue 5): `value` is the task id. */
  taskWatch: 'task_watch',
  taskAnalyze: 'task_analyze',
  /** Storm digests (issue 20): `value` is the digest id; the list's pages; "Open" carries the incident id. */
  digestList: 'digest_list',
  digestPrevious: 'digest_page_previous',
  digestNext: 'digest_page_next',
  /** A prefix: each "Open" in the list is `digest_open:<incident id>` (action_ids are unique in a view). */
  digestOpen: 'digest_open',
  /** On-call swap requests (issue 18), in the asked person's DM: `value` is the request id. */
  swapAccept: 'oncall_swap_accept',
  swapDecline: 'oncall_swap_decline',
} as const;

export const Views = {
  newIncident: 'incident_new',
  editOncall: 'oncall_edit',
  digestList: 'digest_list',
  /** `/oncall override` without arguments: who, from, until, which schedule. */
  oncallOverride: 'oncall_override',
} as const;

/** Message shortcuts (manifest.json `features.shortcuts`): the callback_id of each. */
export const Shortcuts = {
  acknowledge: 'incident_ack_shortcut',
} as const;

/** Each message shortcut's name as manifest.json declares it (the local emulator offers them in ⋮ too). */
export const MESSAGE_SHORTCUTS = [
  { callbackId: Shortcuts.acknowledge, name: 'Acknowledge incident' },
] as const;

export const Events = {
  appHomeOpened: 'app_home_opened',
  appMention: 'app_mention',
} as const;

export type ActionId = (typeof Actions)[keyof typeof Actions];
