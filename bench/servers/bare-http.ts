/**
 * The HTTP ceiling: a bare `node:http` server that reads the body, parses it as JSON and answers 200 with a
 * small JSON body, with nothing else in the process. No application can answer faster on this machine.
 */
import { createServer } from 'node:http';
import { announce } from '../lib/process.js';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let ok = true;
    if (text !== '') {
      try {
        JSON.parse(text);
      } catch {
        ok = false;
      }
    }
    const body = JSON.stringify({ ok });
    res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  announce({ port: typeof address === 'object' && address !== null ? address.port : 0 });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
