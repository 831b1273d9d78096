import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from './lib/load.js';
import { spawnTs } from './lib/process.js';
const logDir = mkdtempSync(join(tmpdir(), 'exp-'));
const server = spawnTs('bare', 'bench/servers/bare-http.ts', [], { logDir });
const { port } = await server.announcement<{ port: number }>();
const cpu = () => { const f = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
for (let i = 0; i < 3; i++) {
  const c0 = cpu();
  const r = await runLoad(logDir, { url: `http://127.0.0.1:${port}/`, body: { kind: 'static', text: JSON.stringify({ title: 'x', severity: 'warning', dedup_key: 'same' }) }, connections: 50, duration: 5 });
  const c1 = cpu();
  console.log(`${r.rps.toFixed(0)} req/s p99 ${r.p99}; ${((c1 - c0) * 1e6 / r.requests).toFixed(0)} µs cpu/req`);
}
await server.stop();
