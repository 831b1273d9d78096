/**
 * User groups (`@payments-oncall`), as Slack keeps them: an id (S…), a handle and name, and the member list,
 * which `usergroups.users.update` replaces. User groups exist only on paid plans, so a workspace can be put on
 * the free plan (`paid = false`), where the methods answer `paid_teams_only` as Slack does.
 * https://docs.slack.dev/reference/methods/usergroups.users.update
 */
import type { Clock } from './clock.js';
import type { JsonObject } from './types.js';

export interface SlackUsergroup {
  id: string;
  team_id: string;
  is_usergroup: true;
  name: string;
  description: string;
  handle: string;
  is_external: false;
  date_create: number;
  date_update: number;
  date_delete: number;
  auto_type: null;
  created_by: string;
  updated_by: string;
  deleted_by: null;
  prefs: { channels: string[]; groups: string[] };
  users: string[];
  user_count: number;
}

export class UsergroupStore {
  private readonly groups = new Map<string, SlackUsergroup>();
  /** False: the free plan, where user groups do not exist. */
  paid = true;

  constructor(
    private readonly teamId: string,
    private readonly clock: Clock,
  ) {}

  /** Creates a group (what an admin does in Slack's settings); tests and the seed use it. */
  create(input: { id: string; handle: string; name?: string; users?: string[] }): SlackUsergroup {
    const now = Math.floor(this.clock.now() / 1000);
    const group: SlackUsergroup = {
      id: input.id,
      team_id: this.teamId,
      is_usergroup: true,
      name: input.name ?? input.handle,
      description: '',
      handle: input.handle,
      is_external: false,
      date_create: now,
      date_update: now,
      date_delete: 0,
      auto_type: null,
      created_by: 'USLACKBOT',
      updated_by: 'USLACKBOT',
      deleted_by: null,
      prefs: { channels: [], groups: [] },
      users: [...(input.users ?? [])],
      user_count: input.users?.length ?? 0,
    };
    this.groups.set(group.id, group);
    return group;
  }

  get(id: string): SlackUsergroup | undefined {
    return this.groups.get(id);
  }

  list(): SlackUsergroup[] {
    return [...this.groups.values()];
  }

  setUsers(group: SlackUsergroup, users: readonly string[], by: string): SlackUsergroup {
    group.users = [...users];
    group.user_count = users.length;
    group.updated_by = by;
    group.date_update = Math.floor(this.clock.now() / 1000);
    return group;
  }

  /** A copy for the wire. */
  static toJson(group: SlackUsergroup): JsonObject {
    return { ...group, users: [...group.users], prefs: { ...group.prefs } };
  }
}
