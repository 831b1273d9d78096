/**
 * A fake Chatwork API v2: `POST /v2/rooms/{room_id}/messages` with header `X-ChatWorkToken` and a form body
 * `body=…` (application/x-www-form-urlencoded), answering `{"message_id":"…"}` like Chatwork. A wrong token gets
 * 401 `{"errors":["Invalid API token"]}`. Tests can inject 429s carrying Chatwork's rate-limit headers.
 * Point the notifier at `${fake.url}/v2`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedChatworkMessage {
  roomId: string;
  body: string;
  contentType: string;
  at: number;
}

export interface ChatworkRateLimit {
  /** `Retry-After` in seconds, if set. */
  retryAfter?: number;
  /** `x-ratelimit-reset`, epoch seconds, if set. */
  reset?: number;
}

export interface FakeChatwork {
  url: string;
  messages: RecordedChatworkMessage[];
  /** Every request, including rejected ones. */
  attempts: number;
  /** The next `count` requests answer 429 with these headers. */
  rateLimitNext(count: number, headers: ChatworkRateLimit): void;
  close(): Promise<void>;
}

/**
 * The message-notation tags Chatwork would read in a body (https://developer.chatwork.com/docs/message-notation):
 * `[toall]`, `[To:{account_id}]`, `[rp aid=… to=…]` (also written `[返信 …]`), `[qt]`, `[qtmeta aid=…]`, `[info]`,
 * `[title]`, `[hr]`, `[picon:…]`, `[pname:…]`, `[piconname:…]`, `[code]` and their closing tags. Read broadly, in
 * any case and with any arguments: a test asking "is there a tag here?" must not miss one because its name was new.
 */
export function chatworkTags(body: string): string[] {
  return [...body.matchAll(/\[\/?[A-Za-z\u8fd4\u4fe1]+(?:[:\s][^[\]\n]*)?\]/g)].map((match) => match[0]);
}

export async function startFakeChatwork(options: { apiToken: string }): Promise<FakeChatwork> {
  let limited: { count: number; headers: ChatworkRateLimit } = { count: 0, headers: {} };
  let nextId = 1_000_000;
  const fake: FakeChatwork = {
    url: '',
    messages: [],
    attempts: 0,
    rateLimitNext: (count, headers) => {
      limited = { count, headers };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      fake.attempts++;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      const match = /^\/v2\/rooms\/([^/]+)\/messages$/.exec(req.url ?? '');
      if (req.method !== 'POST' || match?.[1] === undefined)
        return send(404, { errors: ['Resource not found'] });
      if (req.headers['x-chatworktoken'] !== options.apiToken)
        return send(401, { errors: ['Invalid API token'] });
      if (limited.count > 0) {
        limited.count--;
        const headers: Record<string, string> = { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0' };
        if (limited.headers.retryAfter !== undefined)
          headers['retry-after'] = String(limited.headers.retryAfter);
        if (limited.headers.reset !== undefined) headers['x-ratelimit-reset'] = String(limited.headers.reset);
        return send(429, { errors: ['Too Many Requests'] }, headers);
      }
      const contentType = req.headers['content-type'] ?? '';
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const body = form.get('body');
      if (!contentType.startsWith('application/x-www-form-urlencoded') || body === null || body === '') {
        return send(400, { errors: ['Parameter body is required'] });
      }
      fake.messages.push({ roomId: decodeURIComponent(match[1]), body, contentType, at: Date.now() });
      send(200, { message_id: String(nextId++) });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
