/**
 * The local HTTP server: the ingress router on PORT in every mode, plus Bolt's HTTP receiver at
 * POST /slack/events when Slack talks to us over HTTP, plus (in emulator mode) the emulator's web page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener } from './ingress/adapters/node-http.js';
import type { IngressHandler } from './ingress/router.js';
import type { Logger } from './logger.js';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
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
      options.slackListener(req, res);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
