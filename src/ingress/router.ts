import { AppError, ErrorCode, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { json, type IngressRequest, type IngressResponse, type Route } from './types.js';

export type IngressHandler = (request: Omit<IngressRequest, 'params'>) => Promise<IngressResponse>;

interface CompiledRoute extends Route {
  segments: string[];
}

/** Bodies beyond this are refused with 413 before any route sees them. */
export const MAX_BODY_BYTES = 1024 * 1024;

function matchPath(segments: string[], path: string): Record<string, string> | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i] ?? '';
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}

/**
 * The one place that turns errors into HTTP: an AppError answers its status with `{error, code}`;
 * anything else is logged and answers a generic 500 that reveals nothing.
 */
export function createRouter(routes: Route[], deps: { logger: Logger }): IngressHandler {
  const compiled: CompiledRoute[] = routes.map((r) => ({
    ...r,
    segments: r.path.split('/').filter(Boolean),
  }));
  return async (request) => {
    const log = deps.logger.child({ reqId: request.requestId });
    let pathMatched = false;
    for (const route of compiled) {
      const params = matchPath(route.segments, request.path);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== request.method) continue;
      try {
        if (request.rawBody.length > MAX_BODY_BYTES) {
          throw new AppError(ErrorCode.PayloadTooLarge, 'request body exceeds 1 MB', {
            userMessage: 'request body exceeds 1 MB',
          });
        }
        const response = await route.handler({ ...request, params });
        log.debug({ method: request.method, path: request.path, status: response.status }, 'request handled');
        return response;
      } catch (error) {
        return errorResponse(error, log, request);
      }
    }
    if (pathMatched)
      return json(405, { error: `method ${request.method} not allowed`, code: 'METHOD_NOT_ALLOWED' });
    return json(404, { error: 'not found', code: ErrorCode.NotFound });
  };
}

function errorResponse(
  error: unknown,
  log: Logger,
  request: Omit<IngressRequest, 'params'>,
): IngressResponse {
  if (isAppError(error) && error.status < 500) {
    log.info({ path: request.path, status: error.status, code: error.code }, error.message);
    // `badRequest(message, { field })` names the failing field so a sender can fix its payload.
    const field = error.details?.['field'];
    return json(error.status, {
      error: error.userMessage ?? error.message,
      ...(typeof field === 'string' ? { field } : {}),
      code: error.code,
    });
  }
  if (isAppError(error)) {
    log.error({ err: error, path: request.path, code: error.code }, 'request failed');
    const body = { error: error.userMessage ?? 'internal error', code: error.code };
    return json(error.status, body, error.status === 503 ? { 'retry-after': '5' } : {});
  }
  log.error({ err: error, path: request.path }, 'unexpected error');
  return json(500, { error: 'internal error', code: ErrorCode.Internal });
}
