/**
 * Prometheus Alertmanager, the peer for B2: the Debian package's binary (`apt-get install -y
 * prometheus-alertmanager`, 0.25 here) on a loopback port, clustering off, a receiver that sends nothing and
 * a fresh storage directory. Alertmanager keeps alerts in memory and deduplicates by label set.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { subDir, type BenchContext } from './context.js';
import { freePort, spawnCommand, waitForHttp, type Child } from './process.js';

export const ALERTMANAGER_BIN = process.env['ALERTMANAGER_BIN'] ?? '/usr/bin/prometheus-alertmanager';

export const alertmanagerInstalled = (): boolean => existsSync(ALERTMANAGER_BIN);

/** The alert Alertmanager receives in the storm: one label set, so every repeat is the same alert. */
export const ALERTMANAGER_STORM = JSON.stringify([
  {
    labels: { alertname: 'QueueDepthHigh', severity: 'warning', instance: 'worker-1' },
    annotations: { summary: 'Queue depth above 10k' },
  },
]);

export async function startAlertmanager(ctx: BenchContext): Promise<{ child: Child; url: string }> {
  const dir = subDir(ctx, 'alertmanager');
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
  const port = await freePort();
  const child = spawnCommand(
    'alertmanager',
    ALERTMANAGER_BIN,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { logDir: dir },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/-/ready`, child);
  return { child, url };
}
