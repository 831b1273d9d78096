/**
 * `node --import tsx bench/profile.ts <alerts|alerts-same|job-report|job-report-one-key|github> [seconds]
 * [connections]`: runs one load against Hikeshi with the CPU profiler on, and prints the top frames by self
 * time (and writes the .cpuprofile).
 * A tool for finding why a figure is slow; not part of `npm run bench`.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALERTS_TOKEN,
  GITHUB_SECRET,
  JOB_SECRET,
  TASK_LABEL,
  startEmulator,
  startHikeshi,
} from './lib/hikeshi.js';
import { deleteTopology } from './b5-webhook-queue.js';
import { runLoad } from './lib/load.js';
import type { LoadSpec } from './lib/load-spec.js';
import { ROOT } from './lib/process.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [kind = 'alerts', secondsArg = '10', connectionsArg = '50'] = process.argv.slice(2);
const logDir = mkdtempSync(join(tmpdir(), 'hikeshi-profile-'));
const specs: Record<string, Omit<LoadSpec, 'url' | 'connections' | 'duration'> & { path: string }> = {
  alerts: {
    path: '/api/alerts',
    headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
    body: { kind: 'alert-distinct', prefix: 'p' },
  },
  'alerts-same': {
    path: '/api/alerts',
    headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
    body: { kind: 'alert-rotate', prefix: 'p', fingerprints: 1 },
  },
  'job-report': {
    path: '/api/monitor/job-report',
    headers: { 'x-tc-portal-webhook-secret': JOB_SECRET },
    body: { kind: 'job-report', prefix: 'p', jobs: 200 },
  },
  'job-report-one-key': {
    path: '/api/monitor/job-report',
    headers: { 'x-tc-portal-webhook-secret': JOB_SECRET },
    body: { kind: 'job-report', prefix: 'p', jobs: 1 },
  },
  github: {
    path: '/webhook/github',
    headers: {},
    body: { kind: 'github-issue', secret: GITHUB_SECRET, label: TASK_LABEL, prefix: 'p' },
  },
};
const spec = specs[kind];
if (!spec) throw new Error(`unknown kind ${kind}`);
const queue = `hikeshi.bench.profile.${Date.now()}`;
const emulator = await startEmulator(logDir);
const app = await startHikeshi({
  logDir,
  emulator: emulator.info,
  nodeArgs: ['--import', join(ROOT, 'bench/lib/cpu-profile.ts')],
  // As in B5: the ingress alone, without the task consumer `npm start` runs in the same process.
  ...(kind === 'github' ? { entry: 'bench/servers/ingress-only.ts' } : {}),
  env: {
    BENCH_PROFILE_DIR: logDir,
    // One process, so the profile holds every frame (HTTP, service and the store's thread).
    WEB_CONCURRENCY: '1',
    ...(kind === 'github' ? { QUEUE: 'rabbitmq', TASK_QUEUE: queue } : {}),
  },
});
const { path, ...rest } = spec;
const result = await runLoad(logDir, {
  ...rest,
  url: `${app.url}${path}`,
  connections: Number(connectionsArg),
  duration: Number(secondsArg),
});
console.log(JSON.stringify(result));
process.kill(app.child.pid, 'SIGUSR2');
await new Promise((resolve) => setTimeout(resolve, 2000));
await app.child.kill();
await emulator.child.stop();
if (kind === 'github') await deleteTopology(queue);
const file = readdirSync(logDir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');
const profile = JSON.parse(readFileSync(join(logDir, file), 'utf8')) as {
  nodes: ProfileNode[];
  samples: number[];
};
const total = profile.samples.length;
const byFrame = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(`file://${ROOT}/`, '')}:${lineNumber}`;
  byFrame.set(key, (byFrame.get(key) ?? 0) + (node.hitCount ?? 0));
  const pkg =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    (url.includes(`${ROOT}/src`) ? 'src' : url === '' ? functionName || '(native)' : 'node:internal');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + (node.hitCount ?? 0));
}
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log(
  `profile: ${join(logDir, file)} (${total} samples)\n\nby package:\n${top(byPackage, 25).join('\n')}\n\ntop frames (self):\n${top(byFrame, 40).join('\n')}`,
);
