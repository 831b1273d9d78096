/**
 * The server side of the emulator's web page, mounted on any HTTP server (the host app's own, or one of its own):
 * - `GET /` the page, `GET /emulator/app.js` and `/emulator/styles.css` its assets;
 * - `GET /emulator/api/state?user=U…` a snapshot of what that person sees (protocol.ts);
 * - `GET /emulator/api/events` Server-Sent Events: a `change` whenever the workspace or the host's phone changes;
 * - `POST /emulator/api/<action>` what the person does, turned into the emulator's `actions` (real Slack payloads
 *   into the Bolt app), or handed to the host app (its menu's items, its phone's answers).
 *
 * The page is a local development tool: the POST routes take only `application/json` from the same origin (a
 * cross-site form cannot send that without a CORS preflight, which is never granted), so a web page elsewhere
 * cannot drive the emulator through the visitor's browser.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorLogger as Logger } from '../logger.js';
import type { UiApp, UiMenu } from './protocol.js';
import { readBody, sendJson } from '../http-util.js';
import type { SlackEmulator } from '../index.js';
import type { WorkspaceChange } from '../types.js';
import { UI_API, type UiAction, type UiCall, type UiResponse } from './protocol.js';
import { buildUiState } from './ui-state.js';
import { performUiAction, UiActionError } from './ui-actions.js';

/** A phone the host app provides (calls it places, answered on the page), as the page sees it. */
export interface PhonePanel {
  calls(): UiCall[];
  /** Calls `listener` whenever a call is placed or answered; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  answer(callId: string, answer: 'accept' | 'decline' | 'no_answer'): Promise<string>;
}

/** The host app's menu in the top bar: each item runs `run(id)`, whose line the page shows. */
export interface PageMenu extends UiMenu {
  run(itemId: string): Promise<string>;
}

/** A phone panel in the sidebar; without `panel` it shows `unavailable` instead of calls. */
export interface PagePhone {
  title: string;
  idleNote: string;
  panel?: PhonePanel | undefined;
  unavailable?: string;
}

export interface EmulatorWebUiOptions {
  emulator: SlackEmulator;
  /** The channel the page opens first (name or id); default: the first one. */
  defaultChannel?: string;
  /** How the page presents the app; the name defaults to the bot user's. */
  app?: Partial<UiApp>;
  menu?: PageMenu | undefined;
  phone?: PagePhone | undefined;
  logger?: Logger | undefined;
}

export interface EmulatorWebUi {
  owns(path: string): boolean;
  listener(req: IncomingMessage, res: ServerResponse): void;
  /** Ends the open event streams (the server closes their sockets too). */
  close(): void;
}

const ASSETS: Record<string, { file: URL; type: string }> = {
  '/': { file: new URL('./index.html', import.meta.url), type: 'text/html; charset=utf-8' },
  '/emulator/app.js': {
    file: new URL('./dist/app.js', import.meta.url),
    type: 'text/javascript; charset=utf-8',
  },
  '/emulator/styles.css': { file: new URL('./styles.css', import.meta.url), type: 'text/css; charset=utf-8' },
};

const PAGE_HEADERS = {
  // Everything the page shows came from the app's messages: no inline script, nothing from elsewhere.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/** Workspace changes the page does not show (every Web API call is logged as one). */
const quiet = (change: WorkspaceChange): boolean => change.type === 'api_call';

export function createEmulatorWebUi(options: EmulatorWebUiOptions): EmulatorWebUi {
  const { emulator, logger } = options;
  const streams = new Set<ServerResponse>();
  const cache = new Map<string, Buffer>();

  const asset = async (path: string, res: ServerResponse): Promise<void> => {
    const spec = ASSETS[path];
    if (!spec) return sendJson(res, 404, { ok: false, error: 'not found' });
    let body = cache.get(path);
    if (!body) {
      body = await readFile(spec.file);
      cache.set(path, body);
    }
    res.writeHead(200, { 'content-type': spec.type, 'content-length': String(body.length), ...PAGE_HEADERS });
    res.end(body);
  };

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Tells EventSource how soon to reconnect after the server restarts.
    res.write('retry: 1000\n\n');
    const send = (type: string) => res.write(`event: change\ndata: ${JSON.stringify({ type })}\n\n`);
    const onChange = (change: WorkspaceChange) => {
      if (!quiet(change)) send(change.type);
    };
    emulator.workspace.on('change', onChange);
    const unsubscribePhone = options.phone?.panel?.subscribe(() => send('phone'));
    // A comment line every 15 s keeps idle proxies and the browser from dropping the stream.
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    streams.add(res);
    req.on('close', () => {
      clearInterval(heartbeat);
      emulator.workspace.off('change', onChange);
      unsubscribePhone?.();
      streams.delete(res);
    });
  };

  const state = (url: URL, res: ServerResponse): void => {
    const build = () =>
      buildUiState({
        workspace: emulator.workspace,
        user: url.searchParams.get('user') ?? '',
        defaultChannel: options.defaultChannel,
        app: options.app,
        menu: options.menu,
        phone: options.phone,
      });
    let snapshot = build();
    // A reload closes the person's modals, as in Slack (the app is not told: Slack sends no view_closed then).
    if (url.searchParams.get('fresh') === '1' && snapshot.modal !== undefined) {
      emulator.workspace.views.clear(snapshot.user);
      snapshot = build();
    }
    sendJson(res, 200, snapshot, { 'cache-control': 'no-store' });
  };

  const post = async (action: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    const origin = req.headers['origin'];
    if (type !== 'application/json' || (origin !== undefined && !sameOrigin(origin, req.headers['host']))) {
      return sendJson(res, 403, { ok: false, error: 'the emulator API takes same-origin JSON only' });
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, { ok: false, error: 'the body is not JSON' });
    }
    try {
      const detail = await performUiAction(action as UiAction, body, {
        emulator,
        menu: options.menu,
        phone: options.phone?.panel,
      });
      const ok: UiResponse = detail === undefined ? { ok: true } : { ok: true, detail };
      sendJson(res, 200, ok);
    } catch (error) {
      const known = error instanceof UiActionError;
      if (!known) logger?.warn({ err: error, action }, 'emulator page: action failed');
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, known ? error.status : 502, { ok: false, error: message } satisfies UiResponse);
    }
  };

  return {
    owns(path) {
      const pathname = path.split('?')[0] ?? '/';
      return pathname === '/' || pathname === '/index.html' || pathname.startsWith('/emulator/');
    },
    listener(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname === '/index.html' ? '/' : url.pathname;
      const run = async (): Promise<void> => {
        if (req.method === 'GET' && path === `${UI_API}/state`) return state(url, res);
        if (req.method === 'GET' && path === `${UI_API}/events`) return events(req, res);
        if (req.method === 'POST' && path.startsWith(`${UI_API}/`)) {
          return post(path.slice(UI_API.length + 1), req, res);
        }
        if (req.method === 'GET' || req.method === 'HEAD') return asset(path, res);
        sendJson(res, 405, { ok: false, error: 'method not allowed' });
      };
      run().catch((error: unknown) => {
        logger?.error({ err: error, path }, 'emulator page: request failed');
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal error' });
        else res.destroy();
      });
    },
    close() {
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
