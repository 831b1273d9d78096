/**
 * A fake Confluence Cloud REST v1, serving the endpoints confluence.js 2.1 calls for publishing
 * (paths from node_modules/confluence.js/src/api/content.ts and contentLabels.ts, prefix `/wiki/rest`):
 *   GET  /wiki/rest/api/content?spaceKey&title&type     content.getContent
 *   GET  /wiki/rest/api/content/search?cql              content.searchContentByCQL
 *   GET  /wiki/rest/api/content/{id}                    content.getContentById
 *   POST /wiki/rest/api/content                         content.createContent
 *   PUT  /wiki/rest/api/content/{id}                    content.updateContent (version must be current+1)
 *   POST /wiki/rest/api/content/{id}/label              contentLabels.addLabelsToContent
 * Basic auth is checked on every request (401 with Confluence's JSON error shape otherwise); titles are unique
 * per space, as in Confluence; pages keep every version's body.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePage {
  id: string;
  spaceKey: string;
  title: string;
  ancestors: string[];
  labels: string[];
  /** Storage bodies, index 0 = version 1. */
  versions: string[];
}

export interface RecordedConfluenceRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface FakeConfluence {
  /** Base host, without `/wiki` (what WIKI_URL minus `/wiki` is). */
  url: string;
  pages: Map<string, FakePage>;
  spaces: Set<string>;
  requests: RecordedConfluenceRequest[];
  close(): Promise<void>;
}

function error(res: ServerResponse, statusCode: number, message: string): void {
  res.writeHead(statusCode, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      statusCode,
      data: { authorized: statusCode !== 401, valid: true, errors: [], successful: false },
      message,
    }),
  );
}

function json(res: ServerResponse, statusCode: number, body: unknown): void {
  res.writeHead(statusCode, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw === '' ? undefined : (JSON.parse(raw) as unknown);
}

interface ContentBody {
  type?: string;
  title?: string;
  space?: { key?: string };
  ancestors?: { id: string }[];
  body?: { storage?: { value?: string; representation?: string } };
  version?: { number?: number };
}

export async function startFakeConfluence(options: {
  email: string;
  apiToken: string;
  spaces?: string[];
}): Promise<FakeConfluence> {
  const expectedAuth = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  let nextId = 10001;
  const fake: FakeConfluence = {
    url: '',
    pages: new Map(),
    spaces: new Set(options.spaces ?? ['OPS']),
    requests: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const view = (page: FakePage) => ({
    id: page.id,
    type: 'page',
    status: 'current',
    title: page.title,
    space: { key: page.spaceKey },
    version: { number: page.versions.length },
    ancestors: page.ancestors.map((id) => ({ id })),
    body: { storage: { value: page.versions.at(-1), representation: 'storage' } },
    _links: {
      webui: `/spaces/${page.spaceKey}/pages/${page.id}`,
      base: `${fake.url}/wiki`,
      self: `${fake.url}/wiki/rest/api/content/${page.id}`,
    },
  });
  const list = (pages: FakePage[]) => ({
    results: pages.map(view),
    start: 0,
    limit: 25,
    size: pages.length,
    _links: { base: `${fake.url}/wiki` },
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => error(res, 500, String(e)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    fake.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
    });
    if (req.headers.authorization !== expectedAuth)
      return error(res, 401, 'Client must be authenticated to access this resource.');
    const path = url.pathname.replace(/^\/wiki\/rest\/api/, '');
    const q = url.searchParams;

    if (req.method === 'GET' && path === '/content') {
      const pages = [...fake.pages.values()].filter(
        (p) =>
          (!q.has('spaceKey') || p.spaceKey === q.get('spaceKey')) &&
          (!q.has('title') || p.title === q.get('title')),
      );
      return json(res, 200, list(pages));
    }
    if (req.method === 'GET' && path === '/content/search') {
      // The CQL subset Hikeshi sends: type = page AND space = "X" AND label = "y".
      const cql = q.get('cql') ?? '';
      const space = /space\s*=\s*"([^"]*)"/.exec(cql)?.[1];
      const label = /label\s*=\s*"([^"]*)"/.exec(cql)?.[1];
      if (space === undefined && label === undefined) return error(res, 400, `Could not parse cql : ${cql}`);
      const pages = [...fake.pages.values()].filter(
        (p) =>
          (space === undefined || p.spaceKey === space) && (label === undefined || p.labels.includes(label)),
      );
      return json(res, 200, list(pages));
    }
    if (req.method === 'POST' && path === '/content') {
      const input = (body ?? {}) as ContentBody;
      const spaceKey = input.space?.key ?? '';
      if (!fake.spaces.has(spaceKey)) return error(res, 404, `No space with key : ${spaceKey}`);
      if (!input.title) return error(res, 400, 'A title is required');
      if (input.body?.storage?.representation !== 'storage')
        return error(res, 400, 'Unsupported body representation');
      if ([...fake.pages.values()].some((p) => p.spaceKey === spaceKey && p.title === input.title)) {
        return error(
          res,
          400,
          'A page with this title already exists: A page already exists with the same TITLE in this space',
        );
      }
      const parent = input.ancestors?.[0]?.id;
      if (parent !== undefined && !fake.pages.has(parent))
        return error(res, 404, `No content with id : ${parent}`);
      const page: FakePage = {
        id: String(nextId++),
        spaceKey,
        title: input.title,
        ancestors: parent === undefined ? [] : [parent],
        labels: [],
        versions: [input.body.storage.value ?? ''],
      };
      fake.pages.set(page.id, page);
      return json(res, 200, view(page));
    }
    const byId = /^\/content\/(\d+)(\/label)?$/.exec(path);
    const page = byId?.[1] === undefined ? undefined : fake.pages.get(byId[1]);
    if (byId !== null && page === undefined) return error(res, 404, `No content with id : ${byId[1]}`);
    if (page !== undefined && byId?.[2] === '/label' && req.method === 'POST') {
      const labels = (body ?? []) as { name: string }[];
      for (const { name } of labels) if (!page.labels.includes(name)) page.labels.push(name);
      return json(res, 200, {
        results: page.labels.map((name) => ({ prefix: 'global', name })),
        size: page.labels.length,
      });
    }
    if (page !== undefined && req.method === 'GET') return json(res, 200, view(page));
    if (page !== undefined && req.method === 'PUT') {
      const input = (body ?? {}) as ContentBody;
      const number = input.version?.number;
      if (number !== page.versions.length + 1) {
        return error(
          res,
          409,
          `Version must be incremented on update. Current version is: ${page.versions.length}`,
        );
      }
      if (input.title) page.title = input.title;
      page.versions.push(input.body?.storage?.value ?? page.versions.at(-1) ?? '');
      return json(res, 200, view(page));
    }
    return error(res, 404, `No route for ${req.method} ${url.pathname}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
