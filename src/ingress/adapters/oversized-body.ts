/**
 * The 413 for a body over the limit, answered so that the client can read it.
 *
 * Answering and closing at once is not enough: the client is still sending, and a socket closed with unread
 * bytes in its receive buffer (or that receives more after closing) answers with a TCP reset. A client that
 * writes its whole body before reading, as Python's urllib and requests do (the job-monitor snippet), then
 * fails with ECONNRESET or EPIPE and never sees the 413; one that reads while writing (node:http, curl) loses
 * the race now and then (seen once in about 600 fuzz requests, issue 17).
 *
 * So the answer goes out at once, complete (`Content-Length`, `Connection: close`), and the rest of the body
 * is read and thrown away — nothing is buffered — until the request ends; only then is the response ended,
 * which closes the connection cleanly. This is the "lingering close" of nginx and Apache. A client that keeps
 * sending is cut off after `maxBytes` more bytes or `maxMs`, whichever comes first: a reset, but only after
 * it had its answer for as long as an honest upload of that size takes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface DiscardBounds {
  /** Bytes read and discarded after the limit was reached, at most. */
  maxBytes: number;
  /** Milliseconds spent reading and discarding, at most. */
  maxMs: number;
}

/**
 * 16 MB or 10 s: a client that sent ten times the limit by mistake still gets its 413, and a hostile one
 * holds a socket for no longer than the 10 s GitLab waits for a webhook (server.requestTimeout is 30 s).
 */
export const OVERSIZED_BODY_DISCARD: DiscardBounds = { maxBytes: 16 * 1024 * 1024, maxMs: 10_000 };

const PAYLOAD = JSON.stringify({ error: 'request body exceeds 1 MB', code: 'PAYLOAD_TOO_LARGE' });

/**
 * Answers 413 and drains the request within `bounds`. The caller must have stopped buffering the body
 * (removed its own `data` listener); this takes over reading from wherever the caller stopped.
 */
export function answerOversizedBody(
  req: IncomingMessage,
  res: ServerResponse,
  bounds: DiscardBounds = OVERSIZED_BODY_DISCARD,
): void {
  res.writeHead(413, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(PAYLOAD),
    connection: 'close',
  });
  // Written now, ended later: `end()` makes node:http close the socket, which must wait for the body.
  res.write(PAYLOAD);
  let discarded = 0;
  const close = () => {
    clearTimeout(timer);
    req.off('data', discard);
    // With `Connection: close`, ending the response ends the socket; if the client is still sending, closing
    // it resets the connection, which is what a client over the bounds gets.
    if (!res.writableEnded) res.end();
  };
  const discard = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > bounds.maxBytes) close();
  };
  const timer = setTimeout(close, bounds.maxMs);
  if (req.readableEnded) {
    close();
    return;
  }
  req.on('data', discard);
  req.once('end', close);
  req.once('close', close);
  // A client that resets is an ordinary end here, not an error to report.
  req.on('error', () => undefined);
  req.resume();
}
