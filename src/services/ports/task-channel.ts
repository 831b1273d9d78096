/**
 * Where tasks are shown (issue 5): one Slack message per task, whose thread people use. The task service says
 * what to post; the adapter (src/integrations/slack-task-channel.ts) renders it and talks to Slack.
 */
import type { Task } from '../../domain/git-task.js';
import type { PostedRef } from './task-ledger.js';

export interface TaskChannel {
  /** Posts the task's message; resolves with where it landed (channel id, ts). */
  post(task: Task): Promise<PostedRef>;
  /** A link to the posted message (chat.getPermalink). */
  permalink(message: PostedRef): Promise<string>;
  /** A reply in the message's thread. */
  reply(message: PostedRef, text: string): Promise<void>;
}
