/**
 * Pure mapping from GitHub / GitLab webhook payloads to queue tasks (issue 5). No I/O: the ingress route
 * verifies the signature or token, parses JSON, records the delivery key, then calls these functions and
 * publishes the task.
 *
 * A task is made when an issue / pull (merge) request gets the task label (default `coding agent`, compared
 * case-insensitively), or is opened already carrying it. Everything else is `{ ignored: reason }`; a payload
 * that does not have the fields we use is `{ ignored: reason, malformed: true }` so the route can log it and
 * decide between 200 and 400 (GitLab disables a hook after 4 consecutive failures, so 200 is the safer answer).
 *
 * Task ids are stable per item *and* delivery, so a redelivery of the same webhook maps to the same id and the
 * consumer's idempotency check (by task id) processes it once:
 *   - GitHub:  `github:<owner>/<repo>#<number>:<X-GitHub-Delivery>`
 *   - GitLab:  `gitlab:<group>/<project>#<iid>:<uuid>` for issues, `gitlab:<group>/<project>!<iid>:<uuid>` for
 *              merge requests (GitLab's own reference syntax: issues and MRs have separate iid sequences), where
 *              `<uuid>` is `Idempotency-Key` (stable across GitLab's retries) or `X-Gitlab-Event-UUID`.
 */
import * as z from './zod.js';

/** The message on the queue, exactly the shape the issue defines. Validated again when read back. */
export const TaskSchema = z.object({
  id: z.string().check(z.minLength(1)),
  source: z.enum(['github', 'gitlab']),
  kind: z.enum(['issue', 'merge_request']),
  repo: z.string().check(z.minLength(1)),
  number: z.int().check(z.positive()),
  title: z.string(),
  body: z.string(),
  url: z.string(),
  labels: z.array(z.string()),
  author: z.string(),
  received_at: z.iso.datetime(),
});
export type Task = z.infer<typeof TaskSchema>;

export const DEFAULT_TASK_LABEL = 'coding agent';

export interface TaskMappingOptions {
  /** The label that turns an item into a task (`TASK_LABEL`). */
  label: string;
  /** Epoch milliseconds (`clock.now()`), becomes `received_at`. */
  now: number;
  /** `X-GitHub-Delivery`, or GitLab's `Idempotency-Key` / `X-Gitlab-Event-UUID`. */
  deliveryId: string;
}

export type GitTaskResult =
  | { task: Task }
  | { ping: true }
  | {
      ignored: string;
      /** Set when the payload lacks fields we need (as opposed to a well-formed event we do not act on). */
      malformed?: true;
    };

function sameLabel(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function hasLabel(labels: readonly string[], label: string): boolean {
  return labels.some((l) => sameLabel(l, label));
}

/** `issue.number: Invalid input: expected number, received string` — the first problem is enough for a log. */
function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function malformed(what: string, error: z.core.$ZodError): GitTaskResult {
  return { ignored: `malformed ${what} payload: ${describeIssues(error)}`, malformed: true };
}

// ---------------------------------------------------------------------------------------------- GitHub

const GitHubLabel = z.object({ name: z.string() });

// Only the fields we read. `body` is null for an empty description; `user` is null for deleted ("ghost") users.
const GitHubItem = z.object({
  number: z.int().check(z.positive()),
  title: z.string(),
  body: z.nullish(z.string()),
  html_url: z.string(),
  user: z.nullish(z.object({ login: z.string() })),
  labels: z.nullish(z.array(GitHubLabel)),
});

const GitHubAction = z.object({ action: z.string() });

const GitHubCommon = {
  action: z.string(),
  label: z.nullish(GitHubLabel),
  repository: z.object({ full_name: z.string().check(z.minLength(1)) }),
};
const GitHubIssuesEvent = z.object({ ...GitHubCommon, issue: GitHubItem });
const GitHubPullRequestEvent = z.object({ ...GitHubCommon, pull_request: GitHubItem });

const GITHUB_ACTIONS = new Set(['labeled', 'opened']);

/**
 * Maps a GitHub webhook (`X-GitHub-Event` name and parsed body) to a task.
 * See https://docs.github.com/en/webhooks/webhook-events-and-payloads#issues and #pull_request.
 */
export function taskFromGitHub(
  eventName: string,
  payload: unknown,
  options: TaskMappingOptions,
): GitTaskResult {
  if (eventName === 'ping') return { ping: true };
  if (eventName !== 'issues' && eventName !== 'pull_request') {
    return { ignored: `event ${eventName || '(none)'} is not handled` };
  }
  const head = GitHubAction.safeParse(payload);
  if (!head.success) return malformed(eventName, head.error);
  const action = head.data.action;
  if (!GITHUB_ACTIONS.has(action)) return { ignored: `action ${eventName}.${action} is not handled` };

  let parsed: {
    action: string;
    label?: { name: string } | null | undefined;
    repository: { full_name: string };
  };
  let item: z.infer<typeof GitHubItem>;
  if (eventName === 'issues') {
    const result = GitHubIssuesEvent.safeParse(payload);
    if (!result.success) return malformed(eventName, result.error);
    parsed = result.data;
    item = result.data.issue;
  } else {
    const result = GitHubPullRequestEvent.safeParse(payload);
    if (!result.success) return malformed(eventName, result.error);
    parsed = result.data;
    item = result.data.pull_request;
  }

  const labels = (item.labels ?? []).map((l) => l.name);
  if (action === 'labeled') {
    const added = parsed.label?.name;
    if (added === undefined) return { ignored: `${eventName}.labeled without a label`, malformed: true };
    if (!sameLabel(added, options.label)) return { ignored: `label ${added} is not ${options.label}` };
  } else if (!hasLabel(labels, options.label)) {
    return { ignored: `opened without label ${options.label}` };
  }

  const repo = parsed.repository.full_name;
  return {
    task: {
      id: `github:${repo}#${item.number}:${options.deliveryId}`,
      source: 'github',
      kind: eventName === 'issues' ? 'issue' : 'merge_request',
      repo,
      number: item.number,
      title: item.title,
      body: item.body ?? '',
      url: item.html_url,
      labels,
      // The item's author (not the sender who added the label).
      author: item.user?.login ?? 'ghost',
      received_at: new Date(options.now).toISOString(),
    },
  };
}

// ---------------------------------------------------------------------------------------------- GitLab

const GitLabLabel = z.object({ title: z.string() });

const GitLabEvent = z.object({
  object_kind: z.string(),
  user: z.nullish(z.object({ username: z.string() })),
  project: z.object({ path_with_namespace: z.string().check(z.minLength(1)) }),
  object_attributes: z.object({
    iid: z.int().check(z.positive()),
    title: z.string(),
    description: z.nullish(z.string()),
    url: z.string(),
    action: z.nullish(z.string()),
    labels: z.nullish(z.array(GitLabLabel)),
  }),
  labels: z.nullish(z.array(GitLabLabel)),
  changes: z.nullish(
    z.object({
      labels: z.nullish(
        z.object({ previous: z.nullish(z.array(GitLabLabel)), current: z.nullish(z.array(GitLabLabel)) }),
      ),
    }),
  ),
});

const GitLabKind = z.object({ object_kind: z.string() });

/** `X-Gitlab-Event` values we accept, and the `object_kind` each may carry. */
const GITLAB_HOOKS: Record<string, readonly string[]> = {
  'Issue Hook': ['issue'],
  'Merge Request Hook': ['merge_request'],
  // System hooks send project-hook-shaped issue / MR payloads with this header.
  // https://docs.gitlab.com/administration/system_hooks/
  'System Hook': ['issue', 'merge_request'],
};

/**
 * Maps a GitLab project or system hook (`X-Gitlab-Event` header and parsed body) to a task.
 * See https://docs.gitlab.com/user/project/integrations/webhook_events/ (issue and merge request events).
 * Confidential issue hooks (`Confidential Issue Hook`) are deliberately ignored: their text must not reach a
 * shared Slack channel.
 */
export function taskFromGitLab(
  eventHeader: string,
  payload: unknown,
  options: TaskMappingOptions,
): GitTaskResult {
  const kinds = GITLAB_HOOKS[eventHeader];
  if (kinds === undefined) return { ignored: `event ${eventHeader || '(none)'} is not handled` };
  const head = GitLabKind.safeParse(payload);
  if (!head.success) return malformed(eventHeader, head.error);
  const objectKind = head.data.object_kind;
  if (!kinds.includes(objectKind)) return { ignored: `object_kind ${objectKind} is not handled` };

  const result = GitLabEvent.safeParse(payload);
  if (!result.success) return malformed(objectKind, result.error);
  const event = result.data;
  const attrs = event.object_attributes;

  const labels = (event.labels ?? attrs.labels ?? []).map((l) => l.title);
  const previous = (event.changes?.labels?.previous ?? []).map((l) => l.title);
  const current = (event.changes?.labels?.current ?? []).map((l) => l.title);
  const added = hasLabel(current, options.label) && !hasLabel(previous, options.label);
  const openedWithLabel = attrs.action === 'open' && hasLabel(labels, options.label);
  if (!added && !openedWithLabel) {
    return { ignored: `${objectKind} ${attrs.action ?? 'event'} did not add label ${options.label}` };
  }

  const repo = event.project.path_with_namespace;
  const kind = objectKind === 'issue' ? 'issue' : 'merge_request';
  const sep = kind === 'issue' ? '#' : '!';
  return {
    task: {
      id: `gitlab:${repo}${sep}${attrs.iid}:${options.deliveryId}`,
      source: 'gitlab',
      kind,
      repo,
      number: attrs.iid,
      title: attrs.title,
      body: attrs.description ?? '',
      url: attrs.url,
      // Prefer the labels after the change: that is what the item carries now.
      labels: current.length > 0 ? current : labels,
      // GitLab hooks carry only the author's id; `user` is the person whose action fired the hook.
      author: event.user?.username ?? 'unknown',
      received_at: new Date(options.now).toISOString(),
    },
  };
}

// ---------------------------------------------------------------------------------------------- references

/**
 * How the item is written on its own site: `owner/repo#12` for GitHub issues and pull requests (one number
 * sequence) and GitLab issues, `group/project!7` for GitLab merge requests (their own iid sequence).
 */
export function itemReference(task: Pick<Task, 'source' | 'kind' | 'repo' | 'number'>): string {
  const sep = task.source === 'gitlab' && task.kind === 'merge_request' ? '!' : '#';
  return `${task.repo}${sep}${task.number}`;
}
