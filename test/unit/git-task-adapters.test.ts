/**
 * The GitHub / GitLab adapters used around the task mapping: webhook verification (signed with the real
 * `sign()`), and the "task received" comments against local stand-ins for the two REST APIs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from '@octokit/webhooks-methods';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../src/errors.js';
import { createGitHubCommenter } from '../../src/integrations/github.js';
import { verifyGitHubSignature } from '../../src/ingress/github-signature.js';
import { createGitLabCommenter } from '../../src/integrations/gitlab.js';

const secret = "It's a Secret to Everybody";
const body = JSON.stringify({ action: 'labeled', number: 1 });

describe('verifyGitHubSignature', () => {
  it('accepts the signature sign() makes and rejects anything else', async () => {
    const signature = await sign(secret, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verifyGitHubSignature(secret, body, signature)).toBe(true);
    expect(await verifyGitHubSignature('another secret', body, signature)).toBe(false);
    expect(await verifyGitHubSignature(secret, `${body} `, signature)).toBe(false);
    expect(await verifyGitHubSignature(secret, body, signature.slice(0, -1))).toBe(false);
    expect(await verifyGitHubSignature(secret, body, 'sha1=abc')).toBe(false);
    expect(await verifyGitHubSignature(secret, body, undefined)).toBe(false);
    expect(await verifyGitHubSignature(secret, body, '')).toBe(false);
    expect(await verifyGitHubSignature(secret, '', signature)).toBe(false);
  });

  it('refuses to run without a secret', async () => {
    await expect(verifyGitHubSignature('', body, 'sha256=00')).rejects.toMatchObject({
      code: ErrorCode.ConfigInvalid,
    });
  });
});

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
});

async function serve(status: number, reply: unknown): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}

describe('createGitHubCommenter', () => {
  it('posts an issue comment (issues and pull requests share the endpoint)', async () => {
    const api = await serve(201, { id: 1 });
    const commenter = createGitHubCommenter({ token: 'ghp_testtoken', baseUrl: api.url });
    await commenter.comment('Codertocat/Hello-World', 2, 'Task received: <https://slack/x>');
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]).toMatchObject({
      method: 'POST',
      url: '/repos/Codertocat/Hello-World/issues/2/comments',
    });
    expect(api.seen[0]?.headers.authorization).toBe('token ghp_testtoken');
    expect(JSON.parse(api.seen[0]?.body ?? '')).toEqual({ body: 'Task received: <https://slack/x>' });
  });

  it('wraps API failures in a coded AppError', async () => {
    const api = await serve(404, { message: 'Not Found' });
    const commenter = createGitHubCommenter({ token: 't', baseUrl: api.url });
    await expect(commenter.comment('o/r', 1, 'x')).rejects.toMatchObject({
      code: ErrorCode.Internal,
      details: { service: 'github', status: 404 },
    });
    await expect(commenter.comment('not-a-repo', 1, 'x')).rejects.toBeInstanceOf(AppError);
  });
});

describe('createGitLabCommenter', () => {
  it('adds issue and merge request notes by project path', async () => {
    const api = await serve(201, { id: 1 });
    const commenter = createGitLabCommenter({ token: 'glpat-test', url: api.url });
    await commenter.comment('gitlabhq/gitlab-test', 'issue', 23, 'Task received');
    await commenter.comment('gitlabhq/gitlab-test', 'merge_request', 1, 'Task received');
    expect(api.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/v4/projects/gitlabhq%2Fgitlab-test/issues/23/notes',
      'POST /api/v4/projects/gitlabhq%2Fgitlab-test/merge_requests/1/notes',
    ]);
    expect(api.seen[0]?.headers['private-token']).toBe('glpat-test');
    expect(JSON.parse(api.seen[0]?.body ?? '')).toMatchObject({ body: 'Task received' });
  });

  it('wraps API failures in a coded AppError', async () => {
    const api = await serve(403, { message: '403 Forbidden' });
    const commenter = createGitLabCommenter({ token: 't', url: api.url });
    await expect(commenter.comment('g/p', 'issue', 1, 'x')).rejects.toMatchObject({
      code: ErrorCode.Internal,
      details: { service: 'gitlab', status: 403 },
    });
  });
});
