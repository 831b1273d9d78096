/**
 * Hikeshi over signed HTTP with its log captured, and the emulator's deliveries passing through a
 * rewriter (slack-rewriter.ts) so a test can take fields out of real payloads. Shared by the tests of issue 17's
 * "payloads with missing fields are answered, not thrown" and its fuzz case.
 */
import { expect } from 'vitest';
import { startHikeshi, type TestHikeshi } from './hikeshi.js';
import { captureLogs, type LogCapture } from './log-capture.js';
import { startSlackRewriter, type SlackRewriter } from './slack-rewriter.js';

export interface PayloadHarness {
  h: TestHikeshi;
  logs: LogCapture;
  rewriter: SlackRewriter;
  /** Log entries since the last call. */
  newLogs(): Record<string, unknown>[];
  /** Waits for the work after the ack, then checks nothing was thrown: no error, no stack, no `err`. */
  expectNothingThrown(what: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function startPayloadHarness(): Promise<PayloadHarness> {
  const logs = captureLogs();
  const h = await startHikeshi({ transport: 'http', logger: logs.logger });
  const rewriter = await startSlackRewriter({
    target: `${h.baseUrl}/slack/events`,
    signingSecret: h.emulator.signingSecret,
  });
  h.emulator.useHttpTransport({ url: rewriter.url, signingSecret: h.emulator.signingSecret });
  let mark = 0;
  const newLogs = () => {
    const entries = logs.entries();
    const since = entries.slice(mark);
    mark = entries.length;
    return since;
  };
  return {
    h,
    logs,
    rewriter,
    newLogs,
    async expectNothingThrown(what) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await h.app.settle();
      const entries = newLogs();
      const thrown = entries.filter(
        (e) =>
          (e['level'] as number) >= 50 || e['err'] !== undefined || JSON.stringify(e).includes('    at '),
      );
      expect(thrown, `${what}: ${JSON.stringify(thrown).slice(0, 600)}`).toEqual([]);
      return entries;
    },
    async close() {
      await rewriter.close();
      await h.close();
    },
  };
}

/** Whether a warning named this field among those a payload lacked. */
export function warnedAbout(entries: Record<string, unknown>[], field: string): boolean {
  return entries.some(
    (e) => e['level'] === 40 && Array.isArray(e['fields']) && (e['fields'] as string[]).includes(field),
  );
}
