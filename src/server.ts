/**
 * The local HTTP server: the ingress router on PORT in every mode, plus Bolt's HTTP receiver at
 * POST /slack/events when Slack talks to us over HTTP, plus (in emulator mode) the emulator's web page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendResponse, toNodeListener } from './ingress/adapters/node-http.js';
import type { IngressHandler } from './ingress/router.js';
import type { Logger } from './logger.js';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /**
   * Stops accepting connections. With `deadline` (epoch ms), requests under way may finish until then (their
   * answers are what the senders count on); without, every connection is closed at once.
   */
  close(deadline?: number): Promise<void>;
}

export async function startHttpServer(options: {
  port: number;
  host?: string;
  ingress: IngressHandler;
  slackListener?: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** Extra pages served before the ingress (the emulator's web page in local runs). */
  pages?:
    { owns(path: string): boolean; listener(req: IncomingMessage, res: ServerResponse): void } | undefined;
  logger: Logger;
}): Promise<RunningServer> {
  const ingressListener = toNodeListener(options.ingress, { logger: options.logger });
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (options.slackListener && path === '/slack/events') {
      slackEvents(options.slackListener, req, res, options.logger);
      return;
    }
    if (options.pages?.owns(path ?? '/')) {
      options.pages.listener(req, res);
      return;
    }
    ingressListener(req, res);
  });
  // Slack and GitHub time out at 3 s and 10 s; a slow client must not hold a socket for minutes.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://localhost:${port}`,
    close: (deadline) =>
      new Promise<void>((resolve) => {
        const wait = deadline === undefined ? 0 : deadline - Date.now();
        const cut = wait > 0 ? setTimeout(() => server.closeAllConnections(), wait) : undefined;
        // Closes idle keep-alive connections now, the others once their response is sent (or at the deadline).
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        if (cut === undefined) server.closeAllConnections();
      }),
  };
}

/**
 * Bolt's HTTP receiver answers only POST to its endpoint and *throws* for anything else (it expects its own
 * server to catch that); thrown from a `request` listener, that would take the whole process down. Found by the
 * HTTP fuzz tests (issue 11): a `GET /slack/events` crashed the app.
 */
function slackEvents(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
): void {
  if (req.method !== 'POST') {
    req.resume();
    sendResponse(res, {
      status: 405,
      headers: { allow: 'POST' },
      body: { error: `method ${req.method ?? ''} not allowed`, code: 'METHOD_NOT_ALLOWED' },
    });
    return;
  }
  try {
    listener(req, res);
  } catch (error) {
    logger.error({ err: error }, 'Slack receiver failed to take the request');
    if (!res.headersSent)
      sendResponse(res, { status: 500, body: { error: 'internal error', code: 'INTERNAL' } });
  }
}
