/**
 * The local Slack emulator on its own HTTP server in the test process, telling the test the moment it has
 * answered a Web API call (the response written out): the tests that kill an app process right after Slack
 * answered it, before the app could record the answer.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSlackEmulator, type SlackEmulator } from '@hikeshi/slack-emulator';
import { localSlackWorkspace } from '../../src/local-slack.js';

export type Answered = (method: string) => void;

export async function startObservedEmulator(): Promise<{
  emulator: SlackEmulator;
  /** Called after each Web API answer has been written; replace it at will. */
  onAnswered: { current: Answered };
  close(): Promise<void>;
}> {
  const emulator = createSlackEmulator({ workspace: localSlackWorkspace() });
  const onAnswered: { current: Answered } = { current: () => undefined };
  const server = createServer((req, res) => {
    const method = /\/api\/([A-Za-z0-9_.]+)/.exec(req.url ?? '')?.[1];
    if (method !== undefined) res.once('finish', () => onAnswered.current(method));
    emulator.requestListener(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    emulator.handleUpgrade(req, socket, head),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  emulator.setUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    emulator,
    onAnswered,
    async close() {
      await emulator.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
