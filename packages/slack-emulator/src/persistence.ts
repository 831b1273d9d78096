/**
 * The emulated workspace kept on disk, so a restart shows what Slack would: the channels, every message with its
 * threads, each person's App Home and the user groups' members. Modals, ephemeral messages, triggers and
 * response_urls are not kept: Slack does not keep them either (a reload closes a modal; "only visible to you" is
 * gone). One JSON file, written (to a temporary file, then renamed) a moment after each change, and at close.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EmulatorLogger as Logger } from './logger.js';
import { isObject } from './json.js';
import type { SlackChannel, StoredMessage, StoredView } from './types.js';
import type { Workspace } from './workspace.js';

const FORMAT = 1;

interface WorkspaceFile {
  format: typeof FORMAT;
  channels: SlackChannel[];
  messages: Record<string, readonly StoredMessage[]>;
  homes: StoredView[];
  usergroups: { id: string; users: string[] }[];
}

export interface WorkspacePersistence {
  /** Writes what changed now (also called at close). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

function snapshot(workspace: Workspace): WorkspaceFile {
  return {
    format: FORMAT,
    channels: [...workspace.channels.values()],
    messages: Object.fromEntries(workspace.messageLists()),
    homes: workspace.views.homeViews(),
    usergroups: workspace.usergroups.list().map((g) => ({ id: g.id, users: [...g.users] })),
  };
}

function restore(workspace: Workspace, saved: WorkspaceFile): void {
  for (const channel of saved.channels) workspace.addChannel(channel);
  for (const [channel, messages] of Object.entries(saved.messages))
    workspace.restoreMessages(channel, [...messages]);
  for (const view of saved.homes) workspace.views.restoreHome(view);
  for (const { id, users } of saved.usergroups) {
    const group = workspace.usergroups.get(id);
    if (group) workspace.usergroups.setUsers(group, users, group.updated_by || workspace.bot.userId);
  }
}

/** Loads the workspace saved at `path` (if any), then keeps it saved there. */
export async function persistWorkspace(
  workspace: Workspace,
  path: string,
  options: { logger?: Logger | undefined; delayMs?: number } = {},
): Promise<WorkspacePersistence> {
  const { logger } = options;
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text !== undefined) {
    const saved: unknown = JSON.parse(text);
    if (isObject(saved) && saved['format'] === FORMAT) {
      restore(workspace, saved as unknown as WorkspaceFile);
      logger?.info({ path }, 'emulator: the workspace is as it was before the restart');
    } else logger?.warn({ path }, 'emulator: the saved workspace has another format; starting afresh');
  }
  await mkdir(dirname(path), { recursive: true });

  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const body = JSON.stringify(snapshot(workspace));
    writing = writing
      .then(async () => {
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, body);
        await rename(temporary, path);
      })
      .catch((error: unknown) =>
        logger?.error({ err: error, path }, 'emulator: could not save the workspace'),
      );
    return writing;
  };
  const onChange = () => {
    timer ??= setTimeout(() => void write(), options.delayMs ?? 200);
  };
  workspace.on('change', onChange);
  return {
    flush: write,
    async close() {
      workspace.off('change', onChange);
      await write();
    },
  };
}
