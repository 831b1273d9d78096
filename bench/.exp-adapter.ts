import { startHttpServer } from '../src/server.js';
import { createLogger } from '../src/logger.js';
import { json } from '../src/ingress/types.js';
import { announce } from './lib/process.js';
const mode = process.argv[2] ?? 'adapter';
const logger = createLogger({ level: 'info', format: 'json' });
if (mode === 'adapter') {
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', ingress: async (req) => { JSON.parse(req.rawBody.toString('utf8')); return json(202, { incident_id: 'INC-1', status: 'triggered', deduplicated: true }); }, logger });
  announce({ port: server.port });
}
if (mode === 'app') {
  const { buildApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { startSlackEmulator } = await import('../src/emulator/index.js');
  const { mkdtempSync } = await import('node:fs');
  const emulator = await startSlackEmulator();
  const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: mkdtempSync('/tmp/exp/d-'), ALERTS_API_TOKEN: 'tok', SLACK_BOT_TOKEN: emulator.botToken, SLACK_SIGNING_SECRET: emulator.signingSecret, SLACK_API_URL: emulator.apiUrl, QUEUE: 'memory' });
  const app = await buildApp(config, { logger });
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', ingress: async (req) => app.ingress({ ...req, headers: { ...req.headers, authorization: 'Bearer tok' } }), logger });
  announce({ port: server.port });
}
if (mode === 'ingest') {
  const { buildApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { startSlackEmulator } = await import('../src/emulator/index.js');
  const { mkdtempSync } = await import('node:fs');
  const emulator = await startSlackEmulator();
  const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: mkdtempSync('/tmp/exp/d-'), ALERTS_API_TOKEN: 'tok', SLACK_BOT_TOKEN: emulator.botToken, SLACK_SIGNING_SECRET: emulator.signingSecret, SLACK_API_URL: emulator.apiUrl, QUEUE: 'memory' });
  const app = await buildApp(config, { logger });
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', ingress: async (req) => { const b = JSON.parse(req.rawBody.toString('utf8')) as { title: string; dedup_key: string }; const o = await app.services.incidents.ingest({ action: 'trigger', title: b.title, severity: 'warning', dedupKey: b.dedup_key, links: [] }); return json(202, { incident_id: o.action === 'ignored' ? null : o.incident.id, status: 'x', deduplicated: o.deduplicated }); }, logger });
  announce({ port: server.port });
}
