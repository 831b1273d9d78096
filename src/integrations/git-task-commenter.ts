/**
 * The TaskCommenter (src/services/ports/task-commenter.ts): a GitHub issue comment or a GitLab note, through
 * the adapters in github.ts / gitlab.ts. A source without a token is skipped rather than failed: commenting is
 * optional (GITHUB_TOKEN / GITLAB_TOKEN).
 */
import type { Task } from '../domain/git-task.js';
import type { TaskCommenter } from '../services/ports/task-commenter.js';
import type { GitHubCommenter } from './github.js';
import type { GitLabCommenter } from './gitlab.js';

export interface GitTaskCommenterOptions {
  github?: GitHubCommenter;
  gitlab?: GitLabCommenter;
}

export function createGitTaskCommenter(options: GitTaskCommenterOptions): TaskCommenter {
  return {
    async comment(task: Task, body: string) {
      if (task.source === 'github') {
        if (options.github === undefined) return 'skipped';
        await options.github.comment(task.repo, task.number, body);
        return 'commented';
      }
      if (options.gitlab === undefined) return 'skipped';
      await options.gitlab.comment(task.repo, task.kind, task.number, body);
      return 'commented';
    },
  };
}
