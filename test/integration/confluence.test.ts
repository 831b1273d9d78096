/**
 * The Confluence publisher through the real confluence.js 2.1 client (axios, Basic auth) against the fake,
 * and the local HTML fallback on a temporary directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import {
  createConfluencePublisher,
  normaliseConfluenceHost,
  reportLabel,
} from '../../src/integrations/confluence.js';
import { createLocalReportPublisher, readLocalReport } from '../../src/integrations/local-report.js';
import { startFakeConfluence, type FakeConfluence } from '../fakes/confluence.js';

const EMAIL = 'oncall@example.com';
const TOKEN = 'ATATT3xFfGF0-fake-confluence-token';
let fake: FakeConfluence;

beforeAll(async () => {
  fake = await startFakeConfluence({ email: EMAIL, apiToken: TOKEN, spaces: ['OPS'] });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.pages.clear();
  fake.requests.length = 0;
});

const publisher = (
  overrides: { apiToken?: string; spaceKey?: string; parentId?: string; host?: string } = {},
) =>
  createConfluencePublisher({
    host: overrides.host ?? `${fake.url}/wiki`,
    email: EMAIL,
    apiToken: overrides.apiToken ?? TOKEN,
    spaceKey: overrides.spaceKey ?? 'OPS',
    ...(overrides.parentId === undefined ? {} : { parentId: overrides.parentId }),
  });

const report = {
  key: 'INC-42',
  title: '[INC-42] Checkout returns 502 (2026-01-05)',
  storageBody: '<h2>Summary</h2><p>Checkout failed for 12 minutes.</p>',
};

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

describe('createConfluencePublisher', () => {
  it('normalises WIKI_URL with or without /wiki', () => {
    expect(normaliseConfluenceHost('https://x.atlassian.net/wiki/')).toBe('https://x.atlassian.net');
    expect(normaliseConfluenceHost('https://x.atlassian.net')).toBe('https://x.atlassian.net');
  });

  it('creates the page, then updates it as version 2 instead of duplicating it', async () => {
    const first = await publisher().publish(report);
    expect(first).toMatchObject({ version: 1, created: true });
    expect(first.url).toBe(`${fake.url}/wiki/spaces/OPS/pages/${first.id}`);
    const create = fake.requests.find((r) => r.method === 'POST' && r.path === '/wiki/rest/api/content');
    expect(create?.body).toMatchObject({
      type: 'page',
      title: report.title,
      space: { key: 'OPS' },
      body: { storage: { value: report.storageBody, representation: 'storage' } },
    });
    expect(fake.pages.get(first.id)?.labels).toEqual([reportLabel('INC-42')]);

    const second = await publisher().publish({
      ...report,
      storageBody: '<p>Root cause: pool exhausted.</p>',
    });
    expect(second).toEqual({ id: first.id, url: first.url, version: 2, created: false });
    expect(fake.pages.size).toBe(1);
    expect(fake.pages.get(first.id)?.versions).toEqual([
      report.storageBody,
      '<p>Root cause: pool exhausted.</p>',
    ]);
  });

  it('finds the page by its label after the incident was renamed', async () => {
    const first = await publisher().publish(report);
    const renamed = { ...report, title: '[INC-42] Checkout outage: DB pool (2026-01-05)' };
    const second = await publisher().publish(renamed);
    expect(second).toMatchObject({ id: first.id, version: 2, created: false });
    expect(fake.pages.get(first.id)?.title).toBe(renamed.title);
    expect(fake.pages.size).toBe(1);
  });

  it('two concurrent runs end with one page (the loser of the create race updates)', async () => {
    const results = await Promise.all([publisher().publish(report), publisher().publish(report)]);
    expect(fake.pages.size).toBe(1);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(Math.max(...results.map((r) => r.version))).toBe(2);
  });

  it('creates under the parent page when CONFLUENCE_PARENT_ID is set', async () => {
    const parent = await publisher().publish({
      key: 'parent',
      title: 'Incident reports',
      storageBody: '<p/>',
    });
    const child = await publisher({ parentId: parent.id }).publish(report);
    expect(fake.pages.get(child.id)?.ancestors).toEqual([parent.id]);
  });

  it('a 401 is a coded auth error that does not echo the token', async () => {
    const error = await rejection(publisher({ apiToken: 'wrong-token-123456' }).publish(report));
    expect(error.code).toBe('REPORT_FAILED');
    expect(error.details).toMatchObject({ reason: 'auth', status: 401 });
    expect(error.userMessage).toMatch(/WIKI_USER/);
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
      'wrong-token-123456',
    );
  });

  it('an unknown space is a coded space_not_found error', async () => {
    const error = await rejection(publisher({ spaceKey: 'NOPE' }).publish(report));
    expect(error.details).toMatchObject({ reason: 'space_not_found', status: 404 });
  });

  it('a refused connection is a coded network error', async () => {
    const closed = await startFakeConfluence({ email: EMAIL, apiToken: TOKEN });
    const url = closed.url;
    await closed.close();
    const error = await rejection(publisher({ host: url }).publish(report));
    expect(error.code).toBe('REPORT_FAILED');
    expect(error.details).toMatchObject({ reason: 'network' });
  });

  it('what confluence.js would refuse is a config error at construction, before the client is loaded', () => {
    const settings = { host: fake.url, email: 'ops@example.com', apiToken: TOKEN, spaceKey: 'OPS' };
    for (const [wrong, message] of [
      [{ email: 'not-an-email' }, /WIKI_USER must be the Atlassian account email/],
      [{ apiToken: '' }, /WIKI_API_KEY is empty/],
      [{ host: 'example.atlassian.net/wiki' }, /WIKI_URL must be a URL/],
    ] as const) {
      expect(() => createConfluencePublisher({ ...settings, ...wrong })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }),
      );
    }
    expect(() => createConfluencePublisher(settings)).not.toThrow();
  });
});

describe('createLocalReportPublisher', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hikeshi-reports-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes <key>.html, then rewrites it as version 2 with a new token', async () => {
    const local = createLocalReportPublisher({ dir, baseUrl: 'http://localhost:3000/' });
    const first = await local.publish(report);
    expect(first).toEqual({
      id: 'INC-42',
      url: expect.stringMatching(/^http:\/\/localhost:3000\/reports\/[A-Za-z0-9_-]{32}\/INC-42\.html$/),
      version: 1,
      created: true,
    });
    const html = await readFile(join(dir, 'INC-42.html'), 'utf8');
    const token = /\/reports\/([^/]+)\//.exec(first.url)?.[1] ?? '';
    expect(await readLocalReport(dir, 'INC-42.html')).toEqual({ html, token });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>[INC-42] Checkout returns 502 (2026-01-05)</title>');
    expect(html).toContain(report.storageBody);

    const second = await local.publish({ ...report, storageBody: '<p>v2</p>' });
    expect(second).toMatchObject({ version: 2, created: false });
    expect(second.url).not.toBe(first.url);
    expect(await readFile(join(dir, 'INC-42.html'), 'utf8')).toContain('<p>v2</p>');
    expect((await readLocalReport(dir, 'INC-42.html'))?.token).not.toBe(token);
  });

  it('keeps a hostile key inside the directory', async () => {
    const local = createLocalReportPublisher({ dir, baseUrl: 'http://localhost:3000' });
    const published = await local.publish({ ...report, key: '../../etc/passwd' });
    expect(published.url).toMatch(/^http:\/\/localhost:3000\/reports\/[A-Za-z0-9_-]{32}\/etc-passwd\.html$/);
  });
});
