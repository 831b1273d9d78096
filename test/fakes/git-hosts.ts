/**
 * Fakes of the two REST endpoints the task service comments through:
 *   - GitHub: `POST /repos/{owner}/{repo}/issues/{number}/comments` (issues and pull requests share it), token in
 *     `Authorization: token …` (Octokit) or `Bearer …`; answers 201 with the comment. Point GITHUB_API_URL at it.
 *   - GitLab: `POST /api/v4/projects/{id}/issues/{iid}/notes` and `/merge_requests/{iid}/notes`, token in
 *     `PRIVATE-TOKEN`; `{id}` is the URL-encoded `group/project`. Point GITLAB_URL at it.
 * A wrong token gets 401. `failNext(count, status)` makes the next requests fail with that status.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedComment {
  /** `owner/repo` or `group/project`. */
  repo: string;
  kind: 'issue' | 'merge_request';
  number: number;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface FakeGitHost {
  url: string;
  comments: RecordedComment[];
  /** Every request, including rejected ones. */
  attempts: number;
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

type Route = (method: string, path: string) => Omit<RecordedComment, 'body' | 'headers'> | undefined;

async function startFake(
  token: (headers: IncomingHttpHeaders) => string | undefined,
  expected: string,
  route: Route,
) {
  let failing = { count: 0, status: 500 };
  let nextId = 1000;
  const fake: FakeGitHost = {
    url: '',
    comments: [],
    attempts: 0,
    failNext: (count, status) => {
      failing = { count, status };
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      fake.attempts++;
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const target = route(req.method ?? '', (req.url ?? '').split('?')[0] ?? '');
      if (target === undefined) return send(404, { message: 'Not Found' });
      if (token(req.headers) !== expected) return send(401, { message: 'Bad credentials' });
      if (failing.count > 0) {
        failing.count--;
        return send(failing.status, { message: `failing with ${failing.status}` });
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      const body = type.includes('json')
        ? (JSON.parse(text) as { body?: unknown }).body
        : new URLSearchParams(text).get('body');
      if (typeof body !== 'string' || body === '') return send(400, { message: 'body is missing' });
      fake.comments.push({ ...target, body, headers: req.headers });
      send(201, { id: nextId++, body });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

export function startFakeGitHub(options: { token: string }): Promise<FakeGitHost> {
  return startFake(
    (h) => /^(?:token|bearer)\s+(.+)$/i.exec(h.authorization ?? '')?.[1],
    options.token,
    (method, path) => {
      const m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
      if (method !== 'POST' || m?.[1] === undefined || m[2] === undefined) return undefined;
      return { repo: `${m[1]}/${m[2]}`, kind: 'issue', number: Number(m[3]) };
    },
  );
}

export function startFakeGitLab(options: { token: string }): Promise<FakeGitHost> {
  return startFake(
    (h) => (typeof h['private-token'] === 'string' ? h['private-token'] : undefined),
    options.token,
    (method, path) => {
      const m = /^\/api\/v4\/projects\/([^/]+)\/(issues|merge_requests)\/(\d+)\/notes$/.exec(path);
      if (method !== 'POST' || m?.[1] === undefined) return undefined;
      return {
        repo: decodeURIComponent(m[1]),
        kind: m[2] === 'issues' ? 'issue' : 'merge_request',
        number: Number(m[3]),
      };
    },
  );
}
