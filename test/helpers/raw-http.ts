/**
 * Requests sent with node:http rather than fetch, so a test controls what fetch would tidy up: a header sent
 * twice (an array value is sent as two header lines), a Content-Length that lies, any method, a body streamed
 * in chunks without a length.
 */
import http from 'node:http';

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
    // A server that answers 413 and closes while the body is still being sent resets the socket: that is
    // the answer (the response, when it arrived first, has already settled the promise).
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
