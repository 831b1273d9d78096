/**
 * GitLab adapter (issue 5): "task received" notes. The webhook's `X-Gitlab-Token` is checked where it arrives
 * (ingress/routes/webhooks.ts, a constant-time shared secret).
 */
import type { Gitlab } from '@gitbeaker/rest';
import { AppError, ErrorCode } from '../errors.js';

export interface GitLabCommenter {
  /** Adds a note to an issue or merge request; `repo` is the project's `path_with_namespace`. */
  comment(repo: string, kind: 'issue' | 'merge_request', iid: number, body: string): Promise<void>;
}

export interface GitLabCommenterOptions {
  token: string;
  /** `GITLAB_URL`, e.g. `https://gitlab.com`. */
  url: string;
}

export function createGitLabCommenter(options: GitLabCommenterOptions): GitLabCommenter {
  // gitbeaker (with all ~200 resources it binds) is loaded at the first note, not when the app starts: only the
  // tasks function writes notes, once per task (docs/BENCHMARKS.md, B6).
  let client: Promise<InstanceType<typeof Gitlab>> | undefined;
  const gitlab = () =>
    (client ??= import('@gitbeaker/rest').then(
      ({ Gitlab: GitlabClient }) => new GitlabClient({ host: options.url, token: options.token }),
    ));
  return {
    async comment(repo, kind, iid, body) {
      try {
        const api = await gitlab();
        // gitbeaker URL-encodes a `group/project` path, which the API accepts in place of the numeric id.
        if (kind === 'issue') await api.IssueNotes.create(repo, iid, body);
        else await api.MergeRequestNotes.create(repo, iid, body);
      } catch (err) {
        const status = gitbeakerStatus(err);
        throw new AppError(
          ErrorCode.Internal,
          `GitLab note on ${repo}${kind === 'issue' ? '#' : '!'}${iid} failed`,
          {
            cause: err,
            details: { service: 'gitlab', repo, kind, iid, status },
          },
        );
      }
    },
  };
}

function gitbeakerStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('cause' in err)) return undefined;
  const cause = err.cause;
  if (typeof cause !== 'object' || cause === null || !('response' in cause)) return undefined;
  const response = cause.response;
  return response instanceof Response ? response.status : undefined;
}
