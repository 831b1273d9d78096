/**
 * GitHub adapter (issue 5): "task received" comments. The webhook's signature is checked where it arrives
 * (ingress/github-signature.ts).
 */
import type { Octokit } from '@octokit/core';
import { AppError, ErrorCode } from '../errors.js';

export interface GitHubCommenter {
  /** Comments on an issue or pull request (`repo` is `owner/name`). */
  comment(repo: string, number: number, body: string): Promise<void>;
}

export interface GitHubCommenterOptions {
  token: string;
  /** GitHub Enterprise Server: `https://HOST/api/v3`. Default `https://api.github.com`. */
  baseUrl?: string;
  /** Injected in tests. */
  fetch?: typeof fetch;
}

export function createGitHubCommenter(options: GitHubCommenterOptions): GitHubCommenter {
  // Octokit is loaded at the first comment, not when the app starts: only the tasks function comments, once per
  // task (docs/BENCHMARKS.md, B6).
  let client: Promise<Octokit> | undefined;
  const github = () =>
    (client ??= import('@octokit/core').then(
      ({ Octokit: OctokitClient }) =>
        new OctokitClient({
          auth: options.token,
          ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
          ...(options.fetch === undefined ? {} : { request: { fetch: options.fetch } }),
        }),
    ));
  return {
    async comment(repo, number, body) {
      const [owner, name, ...rest] = repo.split('/');
      if (owner === undefined || owner === '' || name === undefined || name === '' || rest.length > 0) {
        throw new AppError(ErrorCode.Internal, `Not a GitHub owner/name: ${repo}`);
      }
      try {
        // Issues and pull requests share this endpoint.
        // https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
        const octokit = await github();
        await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo: name,
          issue_number: number,
          body,
        });
      } catch (err) {
        const status = typeof err === 'object' && err !== null && 'status' in err ? err.status : undefined;
        throw new AppError(ErrorCode.Internal, `GitHub comment on ${repo}#${number} failed`, {
          cause: err,
          details: { service: 'github', repo, number, status },
        });
      }
    },
  };
}
