/**
 * usergroups.* methods: the members of a user group (an app may keep `@oncall` equal to who is on call).
 * https://docs.slack.dev/reference/methods/usergroups.users.update · …/usergroups.users.list · …/usergroups.list
 * Errors as Slack's: `paid_teams_only` on the free plan, `no_users_provided` for an empty list (Slack cannot
 * empty a group: disable it instead), `invalid_users` for a value that is not user ids, `failed_for_some_users`
 * for ids not in the workspace, `invalid_user` for a bot.
 */
import { SlackApiError } from './api-error.js';
import { bool, str } from './json.js';
import type { MethodContext, MethodTable } from './method-types.js';
import { UsergroupStore, type SlackUsergroup } from './usergroups.js';

function requireGroup(ctx: MethodContext): SlackUsergroup {
  const store = ctx.workspace.usergroups;
  if (!store.paid) throw new SlackApiError('paid_teams_only');
  const id = str(ctx.args, 'usergroup');
  if (id === undefined || id === '') throw new SlackApiError('missing_argument');
  const group = store.get(id);
  if (group === undefined) throw new SlackApiError('no_such_subteam');
  return group;
}

/** `users` as Slack reads it: a comma-separated string (form bodies) or, in JSON, an array of ids. */
function userList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return undefined;
  return value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

export const usergroupMethods: MethodTable = {
  'usergroups.users.update': {
    token: 'bot',
    handler(ctx) {
      const group = requireGroup(ctx);
      const users = userList(ctx.args['users']);
      if (users === undefined || users.length === 0) throw new SlackApiError('no_users_provided');
      if (users.some((id) => !/^[UW][A-Z0-9]{2,}$/.test(id))) throw new SlackApiError('invalid_users');
      const unknown = users.filter((id) => ctx.workspace.user(id) === undefined);
      if (unknown.length > 0) throw new SlackApiError('failed_for_some_users');
      if (users.some((id) => id === ctx.workspace.bot.userId || ctx.workspace.user(id)?.is_bot === true)) {
        throw new SlackApiError('invalid_user');
      }
      const updated = ctx.workspace.usergroups.setUsers(group, [...new Set(users)], ctx.workspace.bot.userId);
      return { usergroup: UsergroupStore.toJson(updated) };
    },
  },
  'usergroups.users.list': {
    token: 'bot',
    handler(ctx) {
      return { users: [...requireGroup(ctx).users] };
    },
  },
  'usergroups.list': {
    token: 'bot',
    handler(ctx) {
      if (!ctx.workspace.usergroups.paid) throw new SlackApiError('paid_teams_only');
      const withUsers = bool(ctx.args, 'include_users');
      return {
        usergroups: ctx.workspace.usergroups.list().map((g) => {
          const json = UsergroupStore.toJson(g);
          if (!withUsers) delete json['users'];
          return json;
        }),
      };
    },
  },
};
