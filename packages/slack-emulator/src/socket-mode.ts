/**
 * Socket Mode's server side (https://docs.slack.dev/apis/events-api/using-socket-mode). The app calls
 * apps.connections.open, connects to the returned `ws://…/link/?ticket=…` URL, gets `hello`, then receives
 * envelopes `{envelope_id, type, accepts_response_payload, payload}` and acks each with
 * `{envelope_id, payload}`. @slack/socket-mode 3.x (undici's WebSocket) reads exactly these fields;
 * `retry_attempt`/`retry_reason` only matter on events_api envelopes.
 */
import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EmulatorLogger as Logger } from './logger.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { isObject, parseJsonObject } from './json.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAck {
  envelope_id: string;
  /** What the listener passed to ack(); absent when it acked with nothing. */
  payload?: unknown;
}

export interface DeliverOptions {
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the ack. Slack waits 3 s before showing the person an error. */
  timeoutMs?: number;
}

/** The app did not ack in time: what a person sees as `operation_timeout`. */
export class AckTimeoutError extends Error {
  readonly code = 'operation_timeout';
  constructor(readonly envelopeId: string) {
    super(`Socket Mode envelope ${envelopeId} was not acknowledged in time`);
    this.name = 'AckTimeoutError';
  }
}

interface Pending {
  socket: WebSocket;
  resolve(ack: SocketAck): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface SocketModeServerOptions {
  /** The app's id, in each connection's `hello`. */
  appId: string;
  logger?: Logger | undefined;
  ackTimeoutMs?: number;
  /** Slack pings every few seconds; the client drops a connection whose pings stop for 30 s. */
  pingIntervalMs?: number;
}

export class SocketModeServer extends EventEmitter<{
  connected: [count: number];
  disconnected: [count: number];
  envelope: [envelope: Record<string, unknown>];
}> {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets: WebSocket[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly pinger: NodeJS.Timeout;
  private readonly ackTimeoutMs: number;

  constructor(private readonly options: SocketModeServerOptions) {
    super();
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
    this.pinger = setInterval(() => {
      for (const socket of this.sockets) socket.ping();
    }, options.pingIntervalMs ?? 10_000);
    this.pinger.unref();
  }

  get connectionCount(): number {
    return this.sockets.length;
  }

  /** A single-use ticket for the URL apps.connections.open hands out. */
  issueTicket(): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    return ticket;
  }

  /** Accepts an upgrade for `…/link/?ticket=…`; anything else is refused with 401 as Slack does. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(req.url ?? '/', 'http://emulator').searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.sockets.push(ws);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(data.toString());
    });
    ws.on('close', () => this.drop(ws));
    ws.on('error', (err) => this.options.logger?.warn({ err }, 'emulator: Socket Mode connection error'));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: {
          host: 'applink-slack-emulator',
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: this.options.appId },
      }),
    );
    this.options.logger?.debug({ connections: this.sockets.length }, 'emulator: Socket Mode app connected');
    this.emit('connected', this.sockets.length);
  }

  private drop(ws: WebSocket): void {
    const index = this.sockets.indexOf(ws);
    if (index >= 0) this.sockets.splice(index, 1);
    for (const [id, pending] of this.pending) {
      if (pending.socket !== ws) continue;
      this.settle(id)?.reject(
        new Error(`Socket Mode connection closed before envelope ${id} was acknowledged`),
      );
    }
    this.emit('disconnected', this.sockets.length);
  }

  private onMessage(text: string): void {
    const message = parseJsonObject(text);
    const id = message?.['envelope_id'];
    if (typeof id !== 'string') return;
    const payload = message?.['payload'];
    const empty = payload === undefined || (isObject(payload) && Object.keys(payload).length === 0);
    this.settle(id)?.resolve(empty ? { envelope_id: id } : { envelope_id: id, payload });
  }

  private settle(id: string): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.pending.delete(id);
    return pending;
  }

  /** Resolves once an app is connected (now, or within `timeoutMs`). */
  waitForConnection(timeoutMs = 5000): Promise<void> {
    if (this.sockets.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConnected = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('connected', onConnected);
        reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.once('connected', onConnected);
    });
  }

  /** Sends an envelope to the newest connection and resolves with the app's ack. */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliverOptions = {},
  ): Promise<SocketAck> {
    const socket = this.sockets.at(-1);
    if (!socket) return Promise.reject(new Error('no Socket Mode app is connected'));
    const envelopeId = randomUUID();
    // Slack expects a response payload only where it can show one: commands, submissions, option loads.
    const accepts =
      type === 'slash_commands' ||
      (type === 'interactive' && ['view_submission', 'block_suggestion'].includes(String(payload['type'])));
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      type,
      accepts_response_payload: accepts,
      payload,
    };
    if (type === 'events_api') {
      envelope['retry_attempt'] = options.retryAttempt ?? 0;
      envelope['retry_reason'] = options.retryReason ?? '';
    }
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(envelopeId);
        reject(new AckTimeoutError(envelopeId));
      }, options.timeoutMs ?? this.ackTimeoutMs);
      this.pending.set(envelopeId, { socket, resolve, reject, timer });
      this.emit('envelope', envelope);
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks every connected app to reconnect, as Slack does before recycling a server. */
  requestReconnect(reason: 'warning' | 'refresh_requested' | 'link_disabled' = 'refresh_requested'): void {
    const message = JSON.stringify({
      type: 'disconnect',
      reason,
      debug_info: { host: 'applink-slack-emulator' },
    });
    for (const socket of this.sockets) socket.send(message);
  }

  /**
   * Closes every connection with a close handshake (Bolt's app.stop() does not wait for its own, so a
   * terminated socket would surface as a client-side WebSocket error), then rejects what still waits for an ack.
   */
  async close(graceMs = 1000): Promise<void> {
    clearInterval(this.pinger);
    await Promise.all(
      [...this.sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              socket.terminate();
              resolve();
            }, graceMs);
            socket.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            socket.close(1001, 'emulator closing');
          }),
      ),
    );
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new Error('emulator closed'));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
