/**
 * A hop between the emulator and Hikeshi's `/slack/events`: it decodes each signed delivery the way Slack
 * encodes it (a command's form fields, an interaction's `payload=<json>` field, an event's JSON), lets a test
 * change the payload (drop a field, say), then encodes it the same way, signs it again and forwards it. The
 * payloads are the emulator's real ones — a live response_url, trigger_id and message — minus what the test
 * took out, and they reach the real receiver, signature check included.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSlackRequest } from './slack-signing.js';

export type SlackDeliveryKind = 'command' | 'interaction' | 'event';
export type Payload = Record<string, unknown>;

export interface SlackRewriter {
  url: string;
  /** Applied to the next deliveries until replaced; undefined forwards them unchanged. */
  rewrite: ((payload: Payload, kind: SlackDeliveryKind) => Payload) | undefined;
  close(): Promise<void>;
}

export async function startSlackRewriter(options: {
  target: string;
  signingSecret: string;
}): Promise<SlackRewriter> {
  const rewriter: SlackRewriter = { url: '', rewrite: undefined, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = req.headers['content-type'] ?? '';
        const form = contentType.startsWith('application/x-www-form-urlencoded')
          ? new URLSearchParams(text)
          : undefined;
        const kind: SlackDeliveryKind =
          form === undefined ? 'event' : form.has('payload') ? 'interaction' : 'command';
        const payload: Payload =
          kind === 'event'
            ? (JSON.parse(text) as Payload)
            : kind === 'interaction'
              ? (JSON.parse(form!.get('payload')!) as Payload)
              : Object.fromEntries(form!);
        const changed = rewriter.rewrite?.(structuredClone(payload), kind) ?? payload;
        const body =
          kind === 'event'
            ? JSON.stringify(changed)
            : kind === 'interaction'
              ? new URLSearchParams({ payload: JSON.stringify(changed) }).toString()
              : new URLSearchParams(
                  Object.entries(changed).map(([k, v]): [string, string] => [k, String(v)]),
                ).toString();
        const retry = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => name.startsWith('x-slack-retry')),
        ) as Record<string, string>;
        const response = await fetch(options.target, {
          method: 'POST',
          headers: {
            'content-type': contentType,
            ...retry,
            ...signSlackRequest({ signingSecret: options.signingSecret, body }),
          },
          body,
        });
        const answer = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, {
          'content-type': response.headers.get('content-type') ?? 'text/plain',
        });
        res.end(answer);
      })().catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rewriter.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  rewriter.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return rewriter;
}

/** A copy without the field at `path` (`a.b.0.c`). */
export function without(payload: Payload, path: string): Payload {
  const copy = structuredClone(payload);
  const parts = path.split('.');
  let at: unknown = copy;
  for (const part of parts.slice(0, -1)) {
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  }
  if (at !== null && typeof at === 'object') Reflect.deleteProperty(at, parts.at(-1)!);
  return copy;
}
