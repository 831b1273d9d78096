/**
 * Requests sent with node:http rather than fetch, so a test controls what fetch would tidy up: a header sent
 * twice (an array value is sent as two header lines), a Content-Length that lies, any method, a body streamed
 * in chunks without a length.
 */
import http from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Send the body chunked (no Content-Length), as a streaming client would. */
  chunked?: boolean;
}

export interface RawResponse {
  /** 0 when the connection closed without a response. */
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (response: RawResponse) => {
      if (settled) return;
      settled = true;
      resolve(response);
    };
    const headers: Record<string, string | string[]> = { ...request.headers };
    if (request.chunked !== true && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(request.body.length);
    }
    // node:http chunks by default only for methods that usually carry a body; without framing, the bytes of a
    // DELETE's body would be read as a second (malformed) request.
    if (request.chunked === true) headers['transfer-encoding'] = 'chunked';
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
        res.on('error', () => done({ status: res.statusCode ?? 0, body: '', headers: res.headers }));
      },
    );
    // A reset before a complete response is status 0 (the response, when it arrived first, has already
    // settled the promise).
    req.on('error', () => done({ status: 0, body: '', headers: {} }));
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    if (request.chunked === true) {
      const size = 64 * 1024;
      for (let offset = 0; offset < request.body.length; offset += size) {
        req.write(request.body.subarray(offset, offset + size));
      }
      req.end();
    } else {
      req.end(request.body);
    }
  });
}

export interface UploadRequest {
  method?: string;
  path: string;
  headers: Record<string, string>;
  /** The body, sent in `chunkSize` writes with `pauseMs` between them. */
  body: Buffer;
  /** Chunked transfer encoding; otherwise a Content-Length of `body.length` (or `declaredLength`). */
  chunked: boolean;
  declaredLength?: number;
  chunkSize?: number;
  pauseMs?: number;
  /**
   * `after-writing`: read nothing until the whole body is written, as blocking clients do (Python's
   * http.client, urllib and requests send the body with `sendall` before reading the status line); a reset
   * while writing loses the answer. `while-writing`: read as bytes arrive, as node:http and curl do.
   */
  read: 'after-writing' | 'while-writing';
}

export interface UploadResult {
  /** The status line's code, or 0 when no complete response was read. */
  status: number;
  /** The bytes read, as text (head and body). */
  response: string;
  /** The socket error that ended it (ECONNRESET, EPIPE…), if any. */
  error?: string;
  /** Body bytes the server let the client write before it closed or reset. */
  written: number;
  /** Body bytes written when the first byte of the answer arrived (with `while-writing`). */
  writtenWhenAnswered?: number;
  /** Milliseconds from the first byte sent until the socket closed. */
  closedAfterMs: number;
}

/**
 * Sends a large body over a raw socket, slowly and continuously, the way a real client uploads, then reads the
 * answer. What node:http's client hides is visible here: whether the server let the client finish writing, and
 * whether the response survived a reset.
 */
export function uploadSlowly(baseUrl: string, request: UploadRequest): Promise<UploadResult> {
  const url = new URL(baseUrl);
  const chunkSize = request.chunkSize ?? 64 * 1024;
  const pauseMs = request.pauseMs ?? 1;
  return new Promise((resolve) => {
    const started = Date.now();
    const received: Buffer[] = [];
    let written = 0;
    let writtenWhenAnswered: number | undefined;
    let error: string | undefined;
    let closed = false;
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    if (request.read === 'after-writing') socket.pause();
    socket.on('data', (chunk: Buffer) => {
      writtenWhenAnswered ??= written;
      received.push(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error ??= err.code ?? err.message;
    });
    socket.on('close', () => {
      closed = true;
      const response = Buffer.concat(received).toString('latin1');
      const head = /^HTTP\/1\.1 (\d{3}) /.exec(response);
      const length = /\r\ncontent-length: (\d+)\r\n/i.exec(response);
      const bodyStart = response.indexOf('\r\n\r\n');
      const complete =
        head !== null &&
        bodyStart >= 0 &&
        (length === null || response.length - bodyStart - 4 >= Number(length[1]));
      resolve({
        status: complete ? Number(head[1]) : 0,
        response,
        ...(error === undefined ? {} : { error }),
        written,
        ...(writtenWhenAnswered === undefined ? {} : { writtenWhenAnswered }),
        closedAfterMs: Date.now() - started,
      });
    });
    socket.setTimeout(30_000, () => socket.destroy(new Error('client timeout')));
    const framing = request.chunked
      ? { 'transfer-encoding': 'chunked' }
      : { 'content-length': String(request.declaredLength ?? request.body.length) };
    const head = [
      `${request.method ?? 'POST'} ${request.path} HTTP/1.1`,
      `host: ${url.host}`,
      ...Object.entries({ ...request.headers, ...framing }).map(([name, value]) => `${name}: ${value}`),
      '',
      '',
    ].join('\r\n');
    const write = (bytes: Buffer | string) =>
      new Promise<boolean>((done) => {
        if (closed || socket.destroyed) return done(false);
        socket.write(bytes, (err) => done(err == null));
      });
    void (async () => {
      if (!(await write(head))) return;
      for (let offset = 0; offset < request.body.length; offset += chunkSize) {
        const piece = request.body.subarray(offset, offset + chunkSize);
        const framed = request.chunked
          ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
          : piece;
        if (!(await write(framed))) return;
        written += piece.length;
        if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
      }
      if (request.chunked && !(await write('0\r\n\r\n'))) return;
      socket.resume();
    })();
  });
}
