/**
 * The phone panel's history kept under DATA_DIR, so a restart of `npm start` shows the calls made before it (as
 * the Amazon Connect console would). A call still ringing when the process stopped cannot be answered any more:
 * the responder never picked up, so it shows as not answered.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PhonePanel, UiCall } from '@hikeshi/slack-emulator/web';
import type { Logger } from './logger.js';

/** Enough for an afternoon of trying things; the panel shows the latest twenty. */
const KEPT = 200;

function load(path: string, logger: Logger): UiCall[] {
  try {
    const saved: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!Array.isArray(saved)) return [];
    return (saved as (UiCall & { incidentId?: string })[]).map(({ incidentId, ...call }) => ({
      ...call,
      // Files written before the panel's label was called `subject`.
      ...(incidentId !== undefined && call.subject === undefined ? { subject: incidentId } : {}),
      ...(call.status === 'ringing' ? { status: 'no_answer' as const } : {}),
    }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger.warn({ err: error, path }, 'phone panel: could not read the saved calls; starting afresh');
    }
    return [];
  }
}

export function withCallHistory<P extends PhonePanel & { close(): void }>(
  panel: P,
  path: string,
  logger: Logger,
): PhonePanel & { close(): void } {
  const earlier = load(path, logger);
  const all = () => [...earlier, ...panel.calls()].slice(-KEPT);
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    const body = JSON.stringify(all());
    writing = writing
      .then(async () => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.tmp`, body);
        await rename(`${path}.tmp`, path);
      })
      .catch((error: unknown) => logger.warn({ err: error, path }, 'phone panel: could not save the calls'));
  };
  const unsubscribe = panel.subscribe(save);
  return {
    calls: all,
    subscribe: (listener) => panel.subscribe(listener),
    answer(callId, answer) {
      if (earlier.some((call) => call.id === callId)) {
        return Promise.reject(new Error('this call is over (it rang before a restart)'));
      }
      return panel.answer(callId, answer);
    },
    close() {
      unsubscribe();
      save();
      panel.close();
    },
  };
}
