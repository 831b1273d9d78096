/**
 * Checks between the sections of `ONCALL_CONFIG`: ids are unique, `responders` stays the flat list's, every
 * `{schedule: …}` target names a schedule and every route and `default_policy` a policy. They run on the raw
 * file, beside the schema, so one run reports these together with the schema's problems; anything of the wrong
 * type is left to the schema.
 */
import { RESPONDERS_POLICY_ID } from '../../domain/oncall-config.js';

export interface RawProblem {
  readonly path: readonly (string | number)[];
  readonly reason: string;
}

type Path = (string | number)[];

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const quoted = (ids: Iterable<string>): string => {
  const list = [...ids];
  return list.length === 0 ? 'none' : list.join(', ');
};

/** Ids of `section`'s entries, each reported when it repeats an earlier one. */
function uniqueIds(root: Record<string, unknown>, section: string, problems: RawProblem[]): Set<string> {
  const seen = new Map<string, number>();
  items(root[section]).forEach((entry, index) => {
    const entryId = isMap(entry) ? entry['id'] : undefined;
    if (typeof entryId !== 'string') return;
    const first = seen.get(entryId);
    if (first === undefined) seen.set(entryId, index);
    else
      problems.push({
        path: [section, index, 'id'],
        reason: `duplicate id "${entryId}" (also ${section}[${first}])`,
      });
  });
  return new Set(seen.keys());
}

export function referenceProblems(root: unknown): RawProblem[] {
  if (!isMap(root)) return [];
  const problems: RawProblem[] = [];
  const schedules = uniqueIds(root, 'schedules', problems);
  const policies = uniqueIds(root, 'escalation_policies', problems);

  items(root['escalation_policies']).forEach((policy, p) => {
    if (!isMap(policy)) return;
    if (policy['id'] === RESPONDERS_POLICY_ID) {
      problems.push({
        path: ['escalation_policies', p, 'id'],
        reason: `"${RESPONDERS_POLICY_ID}" is the built-in policy of the flat responders list; choose another id`,
      });
    }
    items(policy['steps']).forEach((step, s) => {
      if (!isMap(step)) return;
      items(step['targets']).forEach((target, t) => {
        // A target with more than one key is the schema's problem, not a reference.
        const scheduleId = isMap(target) && Object.keys(target).length === 1 ? target['schedule'] : undefined;
        if (typeof scheduleId === 'string' && !schedules.has(scheduleId)) {
          const path: Path = ['escalation_policies', p, 'steps', s, 'targets', t, 'schedule'];
          problems.push({
            path,
            reason: `unknown schedule "${scheduleId}" (schedules: ${quoted(schedules)})`,
          });
        }
      });
    });
  });

  const knownPolicy = (policyId: unknown, path: Path): void => {
    if (typeof policyId !== 'string' || policyId === RESPONDERS_POLICY_ID || policies.has(policyId)) return;
    problems.push({
      path,
      reason: `unknown policy "${policyId}" (policies: ${quoted(new Set([RESPONDERS_POLICY_ID, ...policies]))})`,
    });
  };
  items(root['routes']).forEach((route, r) => {
    if (isMap(route)) knownPolicy(route['policy'], ['routes', r, 'policy']);
  });
  knownPolicy(root['default_policy'], ['default_policy']);
  return problems;
}
