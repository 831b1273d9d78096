/**
 * Telling the sender a task was received (issue 5): a comment on the GitHub issue / pull request or a note on
 * the GitLab issue / merge request. Implemented in src/integrations/git-task-commenter.ts.
 */
import type { Task } from '../../domain/git-task.js';

export interface TaskCommenter {
  /**
   * Comments on the task's item. `skipped` when no token is configured for its source. Failures throw an
   * `AppError` whose `details.status` is the HTTP status when there was one.
   */
  comment(task: Task, body: string): Promise<'commented' | 'skipped'>;
}
