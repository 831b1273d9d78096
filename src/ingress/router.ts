import { AppError, ErrorCode, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { noMetrics, type Metrics } from '../services/ports/metrics.js';
import { json, type IngressRequest, type IngressResponse, type Route } from './types.js';

export type IngressHandler = (request: Omit<IngressRequest, 'params'>) => Promise<IngressResponse>;

interface CompiledRoute extends Route {
  segments: string[];
}

/** Bodies beyond this are refused with 413 before any route sees them. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** `parts`: the request path split once per request (not once per route tried). */
function matchPath(segments: string[], parts: string[]): Record<string, string> | undefined {
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
export function createRouter(routes: Route[], deps: { logger: Logger; metrics?: Metrics }): IngressHandler {
  const compiled: CompiledRoute[] = routes.map((r) => ({
    ...r,
    segments: r.path.split('/').filter(Boolean),
  }));
  const requests = (deps.metrics ?? noMetrics).counter(
    'hikeshi_http_requests_total',
    'Ingress requests by route pattern, method and status (503 from a webhook: the task queue was unavailable).',
  );
  const handle = dispatcher(compiled, deps.logger);
  return async (request) => {
    const { response, path } = await handle(request);
    const method = KNOWN_METHODS.has(request.method) ? request.method : 'other';
    requests.inc({ route: path, method, status: String(response.status) });
    return response;
  };
}

/** The path as route segments joined by `/`: `/api/alerts/` and `//api/alerts` are `api/alerts`, as in matchPath. */
function normalisedPath(path: string): string {
  const relative = path.startsWith('/') ? path.slice(1) : path;
  return relative.startsWith('/') || relative.endsWith('/') || relative.includes('//')
    ? relative.split('/').filter(Boolean).join('/')
    : relative;
}

/** What the dispatcher answers: the response, and the route pattern it counts under. */
const answer = (response: IngressResponse, path = 'unmatched') => ({ response, path });

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function dispatcher(
  compiled: CompiledRoute[],
  logger: Logger,
): (request: Omit<IngressRequest, 'params'>) => Promise<{ response: IngressResponse; path: string }> {
  // The routes of each parameterless path, in their order; a path some route with parameters could also match
  // is left out, so that the first matching route still wins as in the full scan.
  const hasParams = (route: CompiledRoute) => route.segments.some((segment) => segment.startsWith(':'));
  const exactRoutes = new Map<string, CompiledRoute[]>();
  for (const route of compiled) {
    if (hasParams(route)) continue;
    const key = route.segments.join('/');
    const shadowed = compiled.some(
      (other) => hasParams(other) && matchPath(other.segments, route.segments) !== undefined,
    );
    if (!shadowed) exactRoutes.set(key, [...(exactRoutes.get(key) ?? []), route]);
  }
  // A child logger costs more than the rest of a fast request (issue 10, B2): made only to log something.
  const log = (request: Omit<IngressRequest, 'params'>) => logger.child({ reqId: request.requestId });
  return async (request) => {
    let matchedPath: string | undefined;
    // A path without parameters is looked up; only the others are matched segment by segment.
    const exact = exactRoutes.get(normalisedPath(request.path));
    const parts = exact === undefined ? request.path.split('/').filter(Boolean) : [];
    for (const route of exact ?? compiled) {
      const params = exact === undefined ? matchPath(route.segments, parts) : {};
      if (!params) continue;
      matchedPath ??= route.path;
      if (route.method !== request.method) continue;
      try {
        if (request.rawBody.length > MAX_BODY_BYTES) {
          throw new AppError(ErrorCode.PayloadTooLarge, 'request body exceeds 1 MB', {
            userMessage: 'request body exceeds 1 MB',
          });
        }
        const response = await route.handler({ ...request, params });
        if (logger.isLevelEnabled('debug')) {
          log(request).debug(
            { method: request.method, path: request.path, status: response.status },
            'request handled',
          );
        }
        return answer(response, route.path);
      } catch (error) {
        return answer(errorResponse(error, log(request), request), route.path);
      }
    }
    if (matchedPath !== undefined) {
      return answer(
        json(405, { error: `method ${request.method} not allowed`, code: 'METHOD_NOT_ALLOWED' }),
        matchedPath,
      );
    }
    return answer(json(404, { error: 'not found', code: ErrorCode.NotFound }));
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
