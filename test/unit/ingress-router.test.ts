import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode, badRequest } from '../../src/errors.js';
import { handleApiGatewayEvent } from '../../src/ingress/adapters/api-gateway.js';
import { createRouter, MAX_BODY_BYTES } from '../../src/ingress/router.js';
import { json, type IngressRequest } from '../../src/ingress/types.js';
import { createLogger } from '../../src/logger.js';

const logger = createLogger({ level: 'silent' });

function request(overrides: Partial<Omit<IngressRequest, 'params'>> = {}): Omit<IngressRequest, 'params'> {
  return {
    method: 'GET',
    path: '/',
    query: new URLSearchParams(),
    headers: {},
    rawBody: Buffer.alloc(0),
    requestId: 'req-1',
    ...overrides,
  };
}

const router = createRouter(
  [
    { method: 'GET', path: '/health', handler: async () => json(200, { status: 'healthy' }) },
    {
      method: 'PUT',
      path: '/jobs/:jobKey',
      handler: async (req) => json(200, { jobKey: req.params['jobKey'] }),
    },
    {
      method: 'POST',
      path: '/bad',
      handler: async () => {
        throw badRequest('title is required', { field: 'title' });
      },
    },
    {
      method: 'POST',
      path: '/boom',
      handler: async () => {
        throw new Error('secret-bearing internal detail');
      },
    },
    {
      method: 'POST',
      path: '/down',
      handler: async () => {
        throw new AppError(ErrorCode.QueueUnavailable, 'broker unreachable');
      },
    },
  ],
  { logger },
);

describe('ingress router', () => {
  it('routes by method and path, with parameters', async () => {
    expect(await router(request({ path: '/health' }))).toMatchObject({
      status: 200,
      body: { status: 'healthy' },
    });
    expect(await router(request({ method: 'PUT', path: '/jobs/daily%20sync' }))).toMatchObject({
      body: { jobKey: 'daily sync' },
    });
  });

  it('keeps the first matching route, and routes slashes the same, whether a path has parameters or not', async () => {
    const hit = (name: string) => async () => json(200, { name });
    const ordered = createRouter(
      [
        { method: 'GET', path: '/jobs/:jobKey', handler: hit('any job') },
        { method: 'GET', path: '/jobs/nightly', handler: hit('nightly') },
        { method: 'GET', path: '/api/alerts', handler: hit('alerts') },
        { method: 'POST', path: '/api/alerts', handler: hit('alerts post') },
      ],
      { logger },
    );
    const name = async (method: string, path: string) => (await ordered(request({ method, path }))).body;
    // Declared first, the parameter route wins over the literal one, as it always did.
    expect(await name('GET', '/jobs/nightly')).toEqual({ name: 'any job' });
    expect(await name('GET', '/api/alerts')).toEqual({ name: 'alerts' });
    expect(await name('POST', '/api/alerts')).toEqual({ name: 'alerts post' });
    for (const path of ['/api/alerts/', '//api//alerts', 'api/alerts']) {
      expect(await name('GET', path)).toEqual({ name: 'alerts' });
    }
    expect((await ordered(request({ method: 'DELETE', path: '/api/alerts' }))).status).toBe(405);
    expect((await ordered(request({ path: '/api/alerts/extra' }))).status).toBe(404);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    expect((await router(request({ path: '/nope' }))).status).toBe(404);
    expect((await router(request({ method: 'POST', path: '/health' }))).status).toBe(405);
  });

  it('turns AppErrors into their status with the reason, and hides unknown errors', async () => {
    expect(await router(request({ method: 'POST', path: '/bad' }))).toMatchObject({
      status: 400,
      body: { error: 'title is required', code: 'BAD_REQUEST' },
    });
    const boom = await router(request({ method: 'POST', path: '/boom' }));
    expect(boom).toMatchObject({ status: 500, body: { error: 'internal error' } });
    expect(JSON.stringify(boom.body)).not.toContain('secret-bearing');
    const down = await router(request({ method: 'POST', path: '/down' }));
    expect(down.status).toBe(503);
    expect(down.headers?.['retry-after']).toBe('5');
  });

  it('refuses bodies over 1 MB with 413', async () => {
    const res = await router(
      request({ method: 'POST', path: '/bad', rawBody: Buffer.alloc(MAX_BODY_BYTES + 1) }),
    );
    expect(res.status).toBe(413);
  });

  it('serves API Gateway HTTP API v2 events', async () => {
    const result = await handleApiGatewayEvent(router, {
      version: '2.0',
      rawPath: '/health',
      rawQueryString: '',
      headers: { 'X-Request-Id': 'abc-123' },
      requestContext: { http: { method: 'GET' }, requestId: 'gw-1' },
      isBase64Encoded: false,
    });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ status: 'healthy' });
    expect(result.headers['x-request-id']).toBe('abc-123');
  });
});
