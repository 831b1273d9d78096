/**
 * The Slack message a task becomes (issue 5): one top-level message per GitHub/GitLab item, whose thread is where
 * people discuss it.
 *
 * Layout: a header (source icon, `repo#number`, title), a section with the linked title and what kind of item
 * it is, fields (repository, number, author, labels), an excerpt of the description, a context line (when it
 * arrived, the task id), then the buttons **Watching** and **To Bedrock Agent**, whose `value` is the task id.
 */
import { itemReference, type Task } from '../domain/git-task.js';
import { Actions } from './ids.js';
import { escapeMrkdwn, mrkdwnLink, mrkdwnText, slackDate, truncate } from './format.js';
import { actions, button, context, fields, header, section, type KnownBlock } from './kit.js';
import { Limits } from './limits.js';

export interface TaskMessage {
  /** Fallback for notifications and clients without Block Kit. */
  text: string;
  blocks: KnownBlock[];
}

export const TaskBlockIds = {
  title: 'task_title',
  facts: 'task_facts',
  body: 'task_body',
  meta: 'task_meta',
  actions: 'task_actions',
} as const;

export const TaskButtonLabels = {
  watching: 'Watching',
  toBedrockAgent: 'To Bedrock Agent',
} as const;

const SOURCE = {
  github: { icon: '🐙', name: 'GitHub' },
  gitlab: { icon: '🦊', name: 'GitLab' },
} as const;

/** The description shown; the item itself is one click away. */
export const BODY_EXCERPT_MAX = 600;

export function kindLabel(task: Pick<Task, 'source' | 'kind'>): string {
  if (task.kind === 'issue') return 'Issue';
  return task.source === 'github' ? 'Pull request' : 'Merge request';
}

/** Only http(s) links become links: anything else is shown as text, never as a clickable `<…>`. */
function linkOrText(url: string, label: string): string {
  return /^https?:\/\//i.test(url) ? mrkdwnLink(url, label) : escapeMrkdwn(label);
}

export function buildTaskMessage(task: Task): TaskMessage {
  const source = SOURCE[task.source];
  const ref = itemReference(task);
  const kind = kindLabel(task);
  const labels = task.labels.length > 0 ? task.labels.map((l) => `\`${mrkdwnText(l, 100)}\``).join(' ') : '—';
  const body = task.body.trim();

  const blocks: KnownBlock[] = [
    header(`${source.icon} ${ref} ${task.title}`),
    section(
      `*${linkOrText(task.url, task.title || ref)}*\n${source.name} ${kind.toLowerCase()} · ${linkOrText(task.url, `Open in ${source.name}`)}`,
      TaskBlockIds.title,
    ),
    fields(
      [
        `*Repository*\n${mrkdwnText(task.repo, 300)}`,
        `*${kind}*\n${escapeMrkdwn(ref.slice(task.repo.length))}`,
        `*Author*\n${mrkdwnText(task.author, 200)}`,
        `*Labels*\n${truncate(labels, Limits.sectionFieldText)}`,
      ],
      TaskBlockIds.facts,
    ),
    section(body === '' ? '_No description._' : quote(mrkdwnText(body, BODY_EXCERPT_MAX)), TaskBlockIds.body),
    context(
      [`Received ${slackDate(task.received_at)} · task \`${mrkdwnText(task.id, 500)}\``],
      TaskBlockIds.meta,
    ),
    actions(
      [
        button(TaskButtonLabels.watching, Actions.taskWatch, task.id),
        button(TaskButtonLabels.toBedrockAgent, Actions.taskAnalyze, task.id),
      ],
      TaskBlockIds.actions,
    ),
  ];
  return {
    text: truncate(
      `${source.icon} New ${source.name} task ${escapeMrkdwn(ref)}: ${escapeMrkdwn(task.title)} ${escapeMrkdwn(task.url)}`,
      3000,
    ),
    blocks,
  };
}

/** The thread reply when Hikeshi could not comment on the item; `reason` is the forge's error message. */
export function commentFailedText(task: Task, reason: string): string {
  return truncate(
    `⚠️ Could not comment on ${escapeMrkdwn(itemReference(task))}: ${escapeMrkdwn(reason)}`,
    3000,
  );
}

function quote(text: string): string {
  return `> ${text.replace(/\n/g, '\n> ')}`;
}

/** Block id of the "Watching: …" line on a task message. */
export const TASK_WATCHERS_BLOCK_ID = 'task_watchers';

const MENTION = /<@([UW][A-Z0-9]+)>/g;

/**
 * Toggles `userId` in the task message's watcher line. A task has no stored state of its own beyond the ledger,
 * so the message is the record: the blocks Slack sent with the click are changed and written back.
 */
export function toggleTaskWatcher(
  blocks: readonly KnownBlock[],
  userId: string,
): { blocks: KnownBlock[]; watching: boolean; watchers: string[] } {
  const existing = blocks.find((b) => b.block_id === TASK_WATCHERS_BLOCK_ID);
  const current =
    existing?.type === 'context'
      ? existing.elements.flatMap((e) =>
          'text' in e ? [...e.text.matchAll(MENTION)].map((m) => m[1] ?? '') : [],
        )
      : [];
  const watching = !current.includes(userId);
  const watchers = watching ? [...current, userId] : current.filter((u) => u !== userId);
  const rest = blocks.filter((b) => b.block_id !== TASK_WATCHERS_BLOCK_ID);
  if (watchers.length === 0) return { blocks: rest, watching, watchers };
  const line = context([`👀 Watching: ${watchers.map((u) => `<@${u}>`).join(' ')}`], TASK_WATCHERS_BLOCK_ID);
  const at = rest.findIndex((b) => b.block_id === TaskBlockIds.actions);
  const next = at < 0 ? [...rest, line] : [...rest.slice(0, at), line, ...rest.slice(at)];
  return { blocks: next, watching, watchers };
}
