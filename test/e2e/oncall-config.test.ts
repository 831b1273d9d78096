/**
 * Issue 18, ONCALL_CONFIG in the real process (`node --import tsx src/main.ts`): an invalid file stops start-up
 * with the file, line, path and reason; SIGHUP reads the file again, and an invalid file then changes nothing
 * and says why in the log.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERTS_TOKEN, runAppToExit, startAppProcess } from '../helpers/app-process.js';
import { ONCALL_YAML } from '../helpers/oncall.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function workDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hikeshi-oncall-e2e-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function scheduleIds(baseUrl: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/api/oncall`, {
    headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
  });
  return ((await response.json()) as { schedules: { id: string }[] }).schedules.map((s) => s.id);
}

describe('ONCALL_CONFIG in the running process', () => {
  it('an invalid file stops start-up, naming the file, the place and the reason', async () => {
    const dir = await workDir();
    const file = join(dir, 'oncall.yaml');
    await writeFile(file, ONCALL_YAML.replace('time_zone: Europe/Berlin', 'time_zone: Europe/Berlinn'));
    const { code, stderr } = await runAppToExit(join(dir, 'data'), { ONCALL_CONFIG: file });
    expect(code).toBe(1);
    expect(stderr).toContain(`Hikeshi failed to start: Invalid ONCALL_CONFIG ${file}:`);
    expect(stderr).toContain(
      `${file}:3:5: schedules[0].time_zone: expected an IANA time zone name such as Europe/Berlin, got "Europe/Berlinn"`,
    );
  }, 30_000);

  it('SIGHUP reloads the file; an invalid one keeps the previous configuration and is logged', async () => {
    const dir = await workDir();
    const file = join(dir, 'oncall.yaml');
    await writeFile(file, ONCALL_YAML);
    const app = await startAppProcess(join(dir, 'data'), { ONCALL_CONFIG: file });
    cleanups.push(() => app.stop());
    expect(await scheduleIds(app.baseUrl)).toEqual(['payments-primary']);

    await writeFile(file, ONCALL_YAML.replaceAll('payments-primary', 'payments'));
    process.kill(app.pid, 'SIGHUP');
    await expect.poll(() => scheduleIds(app.baseUrl), { timeout: 10_000 }).toEqual(['payments']);

    await writeFile(file, ONCALL_YAML.replace('rotation: weekly', 'rotation: fortnightly'));
    process.kill(app.pid, 'SIGHUP');
    await expect.poll(() => app.output(), { timeout: 10_000 }).toContain('NOT reloaded');
    expect(app.output()).toContain('schedules[0].layers[0].rotation');
    expect(await scheduleIds(app.baseUrl)).toEqual(['payments']);
  }, 60_000);
});
