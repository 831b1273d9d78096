/**
 * The local Slack for benchmarks, in its own process (so its cost is not charged to the app), with a small
 * control API the harness uses on a second port:
 * - `POST /limits` `[{method, limit}]`: Slack's rate limits, enforced (`limit` as in the emulator's faults.ts;
 *   SLACK_RATE_LIMITS there has every documented one);
 * - `GET /state?channel=C…`: the channel's messages (top level and replies) and every Web API call made;
 * - `POST /block-actions` `{channel, count, actionIds}`: `count` block_actions payloads exactly as Slack would
 *   send them for clicks by distinct people on the channel's incident buttons (response_urls included).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { startSlackEmulator, seedUser, type RateLimit, blockActionsPayload } from '@hikeshi/slack-emulator';
import type { JsonObject, StoredMessage } from '@hikeshi/slack-emulator';
import { localSlackWorkspace } from '../../src/local-slack.js';
import { announce } from '../lib/process.js';

const emulator = await startSlackEmulator({ workspace: localSlackWorkspace() });
const { workspace } = emulator;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

const summary = (m: StoredMessage) => ({
  ts: m.ts,
  thread_ts: m.thread_ts,
  text: m.text,
  rendered: JSON.stringify([m.text, m.blocks, m.attachments]),
  metadata: m.metadata,
});

/** The button with `actionId` in a message's blocks, and the id of the block holding it. */
function findButton(
  message: StoredMessage,
  actionId: string,
): { element: JsonObject; blockId: string } | undefined {
  for (const block of message.blocks) {
    const elements = block['elements'];
    if (!Array.isArray(elements)) continue;
    for (const element of elements as JsonObject[]) {
      if (element['action_id'] === actionId) return { element, blockId: String(block['block_id'] ?? '') };
    }
  }
  return undefined;
}

function blockActions(input: { channel: string; count: number; actionIds: string[] }): JsonObject[] {
  const channel = workspace.channel(input.channel);
  if (!channel) throw new Error(`no channel ${input.channel}`);
  const messages = workspace.messages(channel.id).filter((m) => m.blocks.length > 0);
  const payloads: JsonObject[] = [];
  for (let i = 0; i < input.count; i += 1) {
    const message = messages[i % messages.length];
    const actionId = input.actionIds[i % input.actionIds.length] ?? '';
    if (!message) throw new Error('no message with buttons to click');
    const button = findButton(message, actionId);
    if (!button) throw new Error(`no ${actionId} button on ${message.ts}`);
    const userId = `U0BENCH${String(i).padStart(4, '0')}`;
    if (!workspace.user(userId)) workspace.addUser(seedUser(userId, `bench${i}`, `Bench Person ${i}`));
    const user = workspace.user(userId)!;
    const responseId = workspace.issueResponseUrl({
      channel: channel.id,
      user: user.id,
      messageTs: message.ts,
      fromEphemeral: false,
    });
    payloads.push(
      blockActionsPayload(emulator.workspace, {
        user,
        triggerId: workspace.issueTrigger(user.id),
        button,
        actionTs: workspace.nextTs(),
        source: { kind: 'message', channel, message, responseUrl: `${emulator.url}/response/${responseId}` },
      }),
    );
  }
  return payloads;
}

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://control');
  void (async () => {
    if (req.method === 'POST' && url.pathname === '/limits') {
      const limits = (await readJson(req)) as { method: string; limit: RateLimit }[];
      for (const { method, limit } of limits) emulator.limits.set(method, limit);
      return send(res, 200, { ok: true });
    }
    if (req.method === 'GET' && url.pathname === '/state') {
      const channel = workspace.channel(url.searchParams.get('channel') ?? '');
      const messages = channel ? workspace.allMessages(channel.id).map(summary) : [];
      const calls = workspace.calls.map((c) => ({
        method: c.method,
        ok: c.ok,
        error: c.error,
        at: c.at,
        channel: c.args['channel'],
        ts: c.args['ts'],
        thread_ts: c.args['thread_ts'],
      }));
      return send(res, 200, { messages, calls });
    }
    if (req.method === 'POST' && url.pathname === '/block-actions') {
      const input = (await readJson(req)) as { channel: string; count: number; actionIds: string[] };
      return send(res, 200, { payloads: blockActions(input) });
    }
    send(res, 404, { error: 'not found' });
  })().catch((error: unknown) => send(res, 500, { error: String(error) }));
});
control.listen(0, '127.0.0.1', () => {
  const address = control.address();
  announce({
    url: emulator.url,
    apiUrl: emulator.apiUrl,
    botToken: emulator.botToken,
    appToken: emulator.appToken,
    signingSecret: emulator.signingSecret,
    control: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
  });
});
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
