import type { ThreadLine } from '../domain/analysis-input.js';
import type { ThreadMessage } from './ports/slack-thread.js';

/** A Slack thread as the lines an analysis or a report reads: who said what, skipping `skip` and blanks. */
export function threadLines(thread: readonly ThreadMessage[], skip: ReadonlySet<string>): ThreadLine[] {
  return thread
    .filter((m) => !skip.has(m.ts) && m.text.trim() !== '')
    .map((m) => ({ who: m.botId !== undefined ? 'Hikeshi' : (m.user ?? 'someone'), text: m.text }));
}
