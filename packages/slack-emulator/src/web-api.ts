/**
 * `POST /api/<method>`: Slack's Web API over HTTP. Bodies arrive form-urlencoded (what @slack/web-api sends,
 * with blocks/view/attachments as JSON strings) or as JSON with `Authorization: Bearer`. Errors answer HTTP
 * 200 `{ok:false,error}` as Slack does; only rate limits (429 + Retry-After) and injected faults (5xx) use
 * other statuses, which is what WebClient's retry logic keys on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorLogger as Logger } from './logger.js';
import { SlackApiError } from './api-error.js';
import type { FaultInjector, RateLimiter } from './faults.js';
import { mediaType, parseForm, readBody, sendJson } from './http-util.js';
import { parseJsonObject, str } from './json.js';
import { missingScope } from './method-scopes.js';
import { chatMethods } from './methods-chat.js';
import { conversationMethods } from './methods-conversations.js';
import { viewMethods } from './methods-views.js';
import { usergroupMethods } from './methods-usergroups.js';
import type { MethodContext, MethodSpec, MethodTable } from './method-types.js';
import type { WebApiMethod } from './web-api-types.js';
import type { JsonObject } from './types.js';
import type { Workspace } from './workspace.js';

export const METHODS: MethodTable = {
  ...chatMethods,
  ...conversationMethods,
  ...viewMethods,
  ...usergroupMethods,
};

export interface WebApiOptions {
  workspace: Workspace;
  faults: FaultInjector;
  limits: RateLimiter;
  botToken: string;
  appToken: string;
  basePath: string;
  issueSocketTicket(): string;
  logger?: Logger | undefined;
}

interface Outcome {
  status: number;
  body: JsonObject | string;
  headers?: Record<string, string>;
}

async function readArgs(req: IncomingMessage, query: URLSearchParams): Promise<JsonObject | undefined> {
  const text = await readBody(req);
  const fromQuery: JsonObject = Object.fromEntries(query);
  if (text === '') return fromQuery;
  const type = mediaType(req);
  if (type === 'application/json') {
    const body = parseJsonObject(text);
    return body === undefined ? undefined : { ...fromQuery, ...body };
  }
  // Slack reads any other body as a form, which is also what curl sends by default.
  return { ...fromQuery, ...parseForm(text) };
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function createWebApiHandler(options: WebApiOptions) {
  const { workspace, faults, limits, logger } = options;

  function decide(
    method: string,
    args: JsonObject,
    token: string | undefined,
    req: IncomingMessage,
  ): Outcome {
    const spec = METHODS[method as WebApiMethod] as MethodSpec<WebApiMethod> | undefined;
    if (!spec) throw new SlackApiError('unknown_method', { req_method: method });
    if (token === undefined || token === '') throw new SlackApiError('not_authed');
    const kind = token === options.botToken ? 'bot' : token === options.appToken ? 'app' : undefined;
    if (kind === undefined) throw new SlackApiError('invalid_auth');
    if (kind !== spec.token) throw new SlackApiError('not_allowed_token_type');

    const granted = workspace.scopes;
    const target = workspace.channel(str(args, 'channel') ?? '');
    const lacking = granted && missingScope(method, args, target, granted);
    if (lacking) {
      throw new SlackApiError('missing_scope', { needed: lacking, provided: [...granted].join(',') });
    }

    const fault = faults.take(method);
    if (fault?.status === 429) return rateLimited(fault.retryAfterSeconds ?? 1);
    if (fault)
      return {
        status: fault.status,
        body: fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error',
      };

    const channelRef = str(args, 'channel');
    const channel = channelRef === undefined ? undefined : (workspace.channel(channelRef)?.id ?? channelRef);
    const wait = limits.check(method, channel);
    if (wait !== undefined) return rateLimited(wait);

    const ctx: MethodContext = {
      args,
      workspace,
      host: req.headers.host ?? '127.0.0.1',
      basePath: options.basePath,
      issueSocketTicket: options.issueSocketTicket,
    };
    return { status: 200, body: { ok: true, ...spec.handler(ctx) } };
  }

  return async function handleWebApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const args = await readArgs(req, url.searchParams);
    if (args === undefined) {
      sendJson(res, 200, { ok: false, error: 'invalid_json' });
      return;
    }
    const token = bearer(req) ?? str(args, 'token');
    delete args['token'];
    let outcome: Outcome;
    try {
      outcome = decide(method, args, token, req);
    } catch (error) {
      if (!(error instanceof SlackApiError)) {
        logger?.error({ err: error, method }, 'emulator: Web API method failed');
        outcome = { status: 200, body: { ok: false, error: 'internal_error' } };
      } else outcome = { status: 200, body: { ok: false, error: error.code, ...error.extra } };
    }
    const body = outcome.body;
    const ok = typeof body !== 'string' && body['ok'] === true;
    const error =
      typeof body === 'string' ? `http_${outcome.status}` : ok ? undefined : String(body['error']);
    workspace.recordCall({
      method,
      args,
      ok,
      ...(error === undefined ? {} : { error }),
      at: workspace.clock.now(),
    });
    logger?.debug({ method, ok, error }, 'emulator: Web API call');
    if (typeof body === 'string') {
      res.writeHead(outcome.status, { 'content-type': 'text/plain', ...outcome.headers });
      res.end(body);
    } else sendJson(res, outcome.status, body, outcome.headers);
  };
}

function rateLimited(retryAfterSeconds: number): Outcome {
  return {
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}
