import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ALERTS_TOKEN, startEmulator, startHikeshi } from './lib/hikeshi.js';
import { runLoad } from './lib/load.js';
const logDir = mkdtempSync(join(tmpdir(), 'exp-'));
const emulator = await startEmulator(logDir);
const app = await startHikeshi({ logDir, emulator: emulator.info });
const cpu = () => { const f = readFileSync(`/proc/${app.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
for (let i = 0; i < 3; i++) {
  const c0 = cpu(); const t0 = Date.now();
  const r = await runLoad(logDir, { url: `${app.url}/api/alerts`, headers: { authorization: `Bearer ${ALERTS_TOKEN}` }, body: { kind: 'static', text: JSON.stringify({ title: 'x', severity: 'warning', dedup_key: 'same' }) }, connections: 50, duration: 5 });
  const c1 = cpu(); const wall = (Date.now() - t0) / 1000;
  console.log(`${r.rps.toFixed(0)} req/s p50 ${r.p50} p99 ${r.p99}; server cpu ${(c1 - c0).toFixed(2)} s over ${wall.toFixed(1)} s wall (incl. load start); ${((c1 - c0) * 1e6 / r.requests).toFixed(0)} µs cpu/req`);
}
await app.child.kill(); await emulator.child.stop();
