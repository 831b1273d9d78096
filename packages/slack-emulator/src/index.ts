/**
 * The local Slack: a Web API subset, Socket Mode and response_urls on one HTTP server, close enough to the
 * wire format that @slack/bolt, @slack/web-api and @slack/socket-mode cannot tell it from Slack.
 * `startSlackEmulator()` listens on its own port; `createSlackEmulator()` builds one to mount on another
 * server (route `requestListener` and `handleUpgrade` to it, then call `setUrl`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { EmulatorLogger as Logger } from './logger.js';
import type { Clock } from './clock.js';
import { Actions, type TransportConfig } from './actions.js';
import { FaultInjector, RateLimiter } from './faults.js';
import type { HttpTransportOptions } from './http-transport.js';
import { sendJson } from './http-util.js';
import { createResponseUrlHandler } from './response-url.js';
import { SocketModeServer } from './socket-mode.js';
import { createWebApiHandler } from './web-api.js';
import type { WorkspaceSeed } from './seed.js';
import type { MessageShortcut } from './types.js';
import { Workspace } from './workspace.js';

export { Workspace } from './workspace.js';
export { Actions, type ActionResult, type ClickButtonInput, type DeliveryOptions } from './actions.js';
export { AckTimeoutError, SocketModeServer, type EnvelopeType, type SocketAck } from './socket-mode.js';
export { normalizeBlocks, validateBlocks, type Surface } from './block-kit.js';
export { SLACK_RATE_LIMITS, type FaultSpec, type RateLimit } from './faults.js';
export type { HttpTransportOptions } from './http-transport.js';
export type { EnteredValues } from './view-state.js';
export * from './seed.js';
export { persistWorkspace, type WorkspacePersistence } from './persistence.js';
export {
  blockActionsPayload,
  eventCallback,
  messageShortcutPayload,
  slashCommandPayload,
  VERIFICATION_TOKEN,
} from './payloads.js';
export { signature } from './http-transport.js';
export { EVENT_SCOPES, LIST_TYPE_SCOPES, METHOD_SCOPES, type EmulatedMethod } from './method-scopes.js';
export { METHODS } from './web-api.js';
export type { ArgumentsOf, ResponseOf, WebApiMethod } from './web-api-types.js';
export { buildStateValues } from './view-state.js';
export type { Clock } from './clock.js';
export type { EmulatorLogger } from './logger.js';
export type * from './types.js';

export interface SlackEmulatorOptions {
  /** Port for startSlackEmulator; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  logger?: Logger;
  /** Drives message ts, trigger_id expiry and response_url expiry; tests pass a manual clock. */
  clock?: Clock;
  /** Who is in the workspace: team, app and bot user, people, channels, user groups (seed.ts). */
  workspace?: WorkspaceSeed;
  /** Mount point when sharing a server, e.g. `/slack` serves `/slack/api/…`. Defaults to ''. */
  basePath?: string;
  /** The base URL when mounted elsewhere (also settable later with setUrl). */
  url?: string;
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  /** The app's bot scopes (its manifest's); without them every method is allowed. */
  scopes?: readonly string[];
  /** The app's message shortcuts (its manifest's `features.shortcuts` of type `message`). */
  shortcuts?: readonly MessageShortcut[];
  /** How long Socket Mode deliveries wait for an ack; Slack waits 3 s. */
  ackTimeoutMs?: number;
}

export interface SlackEmulator {
  /** `http://127.0.0.1:P` (plus the base path). Empty until listening or setUrl. */
  readonly url: string;
  /** `${url}/api/`, for WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly workspace: Workspace;
  readonly actions: Actions;
  readonly socket: SocketModeServer;
  readonly faults: FaultInjector;
  readonly limits: RateLimiter;
  requestListener(req: IncomingMessage, res: ServerResponse): void;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Whether a request path belongs to the emulator, for servers that mount it beside other routes. */
  owns(path: string): boolean;
  setUrl(url: string): void;
  /** Delivers actions as signed HTTP requests to the app's endpoint instead of Socket Mode. */
  useHttpTransport(options: HttpTransportOptions): void;
  useSocketTransport(): void;
  close(): Promise<void>;
}

function token(prefix: string): string {
  const digits = (): string => String(1e12 + Math.floor(Math.random() * 9e12)).slice(0, 13);
  return `${prefix}-${digits()}-${digits()}-${randomBytes(12).toString('hex')}`;
}

export function createSlackEmulator(options: SlackEmulatorOptions = {}): SlackEmulator {
  const basePath = (options.basePath ?? '').replace(/\/$/, '');
  const logger = options.logger;
  const workspace = new Workspace(options.clock, options.workspace);
  if (options.shortcuts) workspace.shortcuts = options.shortcuts;
  if (options.scopes) workspace.scopes = new Set(options.scopes);
  const socket = new SocketModeServer({
    appId: workspace.bot.appId,
    logger,
    ...(options.ackTimeoutMs ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
  });
  const faults = new FaultInjector();
  const limits = new RateLimiter(workspace.clock);
  const botToken = options.botToken ?? token('xoxb');
  const appToken = options.appToken ?? token('xapp-1');
  const signingSecret = options.signingSecret ?? randomBytes(16).toString('hex');
  let baseUrl = (options.url ?? '').replace(/\/$/, '');
  let transport: TransportConfig = { kind: 'socket' };

  const webApi = createWebApiHandler({
    workspace,
    faults,
    limits,
    botToken,
    appToken,
    basePath,
    logger,
    issueSocketTicket: () => socket.issueTicket(),
  });
  const responseUrl = createResponseUrlHandler(workspace);
  const actions = new Actions({
    workspace,
    socket,
    logger,
    baseUrl: () => (baseUrl === '' ? '' : `${baseUrl}${basePath}`),
    transport: () => transport,
  });

  const routes: [RegExp, (req: IncomingMessage, res: ServerResponse, arg: string) => Promise<void>][] = [
    [/^\/api\/([A-Za-z0-9_.]+)$/, webApi],
    [
      /^\/response\/([0-9a-f]+)$/,
      (req, res, id) => (req.method === 'POST' ? responseUrl(req, res, id) : notFound(res)),
    ],
  ];
  const localPath = (path: string): string | undefined => {
    const pathname = new URL(path, 'http://emulator').pathname;
    if (!pathname.startsWith(`${basePath}/`)) return undefined;
    return pathname.slice(basePath.length);
  };
  const isSocketPath = (path: string): boolean => localPath(path)?.startsWith('/link') ?? false;

  const emulator: SlackEmulator = {
    get url() {
      return baseUrl === '' ? '' : `${baseUrl}${basePath}`;
    },
    get apiUrl() {
      return this.url === '' ? '' : `${this.url}/api/`;
    },
    botToken,
    appToken,
    signingSecret,
    workspace,
    actions,
    socket,
    faults,
    limits,
    requestListener(req, res) {
      const path = localPath(req.url ?? '/');
      for (const [pattern, handle] of path === undefined ? [] : routes) {
        const match = pattern.exec(path ?? '');
        if (!match?.[1]) continue;
        handle(req, res, match[1]).catch((err: unknown) => {
          logger?.error({ err }, 'emulator: request failed');
          if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error' });
          else res.destroy();
        });
        return;
      }
      notFound(res);
    },
    handleUpgrade(req, conn, head) {
      if (isSocketPath(req.url ?? '/')) socket.handleUpgrade(req, conn, head);
      else conn.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    },
    owns(path) {
      const local = localPath(path);
      return local !== undefined && (routes.some(([p]) => p.test(local)) || isSocketPath(path));
    },
    setUrl(url) {
      baseUrl = url.replace(/\/$/, '');
    },
    useHttpTransport(http) {
      transport = { kind: 'http', ...http, signingSecret: http.signingSecret ?? signingSecret };
    },
    useSocketTransport() {
      transport = { kind: 'socket' };
    },
    close: () => socket.close(),
  };
  return emulator;
}

function notFound(res: ServerResponse): Promise<void> {
  sendJson(res, 404, { ok: false, error: 'not_found' });
  return Promise.resolve();
}

/** Starts an emulator on its own HTTP server (127.0.0.1 and a free port unless told otherwise). */
export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const emulator = createSlackEmulator(options);
  const server = createServer((req, res) => emulator.requestListener(req, res));
  server.on('upgrade', (req: IncomingMessage, conn: Duplex, head: Buffer) =>
    emulator.handleUpgrade(req, conn, head),
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('emulator server has no TCP address');
  // A wildcard bind is reachable on loopback; URLs handed to clients must name a connectable host.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  emulator.setUrl(`http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${address.port}`);
  const closeSocket = emulator.close;
  return Object.assign(emulator, {
    async close(): Promise<void> {
      await closeSocket();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  });
}
