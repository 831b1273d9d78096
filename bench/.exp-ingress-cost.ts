import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startSlackEmulator } from '../src/emulator/index.js';
import { createLogger } from '../src/logger.js';
import { mkdtempSync } from 'node:fs';
const emulator = await startSlackEmulator();
const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: mkdtempSync('/tmp/exp/d-'), ALERTS_API_TOKEN: 'tok', SLACK_BOT_TOKEN: emulator.botToken, SLACK_SIGNING_SECRET: emulator.signingSecret, SLACK_API_URL: emulator.apiUrl, QUEUE: 'memory' });
const app = await buildApp(config, { logger: createLogger({ level: 'info', format: 'json' }) });
const kind = process.argv[2] ?? 'same';
let n = 0;
const req = () => ({ method: 'POST', path: '/api/alerts', query: new URLSearchParams(), headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, rawBody: Buffer.from(JSON.stringify({ title: 'x', severity: 'warning', dedup_key: kind === 'same' ? 'k' : `k${n++}` })), requestId: 'r' });
for (let round = 0; round < 3; round++) {
  const total = kind === 'same' ? 30000 : 1000;
  const t = performance.now();
  for (let i = 0; i < total / 50; i++) {
    const rs = await Promise.all(Array.from({ length: 50 }, () => app.ingress(req())));
    if (rs.some((r) => r.status !== 202)) throw new Error(JSON.stringify(rs[0]));
  }
  const ms = performance.now() - t;
  console.log(kind, `${(total / (ms / 1000)).toFixed(0)} req/s in-process, ${((ms * 1000) / total).toFixed(0)} µs/req`);
}
await app.services.incidents.flush();
process.exit(0);
