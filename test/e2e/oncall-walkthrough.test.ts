/**
 * On-call schedules in the browser (issue 18): `npm start` with examples/oncall-local.yaml, driven through the
 * emulator's web page in Chromium with playwright-core, as the README's "On-call schedules" section describes it:
 * `/oncall` shows now and next, `/oncall override` opens a form with date-time pickers that adds an override,
 * and the App Home says who is on call until when.
 *
 * `UPDATE_SCREENSHOTS=1 npx vitest run test/e2e/oncall-walkthrough.test.ts` also writes the README's screenshots
 * (docs/screenshots/7-oncall-home.png and 8-oncall-override.png; install `fonts-noto-color-emoji` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(ROOT, 'docs', 'screenshots');
const UPDATE_SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';
const STEP_MS = 15_000;

describe.skipIf(!existsSync(CHROMIUM))('on-call schedules in your browser (e2e, Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let child: ChildProcess;
  let output = '';
  let dataDir: string;

  const shot = async (name: string) => {
    if (UPDATE_SCREENSHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  const send = async (text: string) => {
    await page.locator('#composer-input').fill(text);
    await page.locator('#composer-input').press('Enter');
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-oncall-e2e-'));
    if (UPDATE_SCREENSHOTS) await mkdir(SHOTS, { recursive: true });
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (
        value !== undefined &&
        !/^(SLACK_|CONNECT_|WIKI_|BEDROCK_|CHATWORK_|GITHUB_|GITLAB_|SECRETS_ID|AWS_)/.test(key)
      )
        env[key] = value;
    }
    Object.assign(env, {
      PORT: '0',
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      QUEUE: 'memory',
      ONCALL_CONFIG: 'examples/oncall-local.yaml',
    });
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: 'pipe' });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const running = /Hikeshi is running at http:\/\/localhost:(\d+)/;
    for (const deadline = Date.now() + 20_000; !running.test(output);) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const port = running.exec(output)?.[1] ?? '';
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 }, timezoneId: 'Europe/Berlin' });
    page.setDefaultTimeout(STEP_MS);
    await page.goto(`http://localhost:${port}/`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 20_000);

  it('/oncall shows now and next for each schedule, then the flat list', async () => {
    await send('/oncall');
    const reply = page.locator('#messages article.ephemeral', { hasText: 'payments-primary' }).last();
    await reply.waitFor();
    const text = (await reply.textContent()) ?? '';
    expect(text).toMatch(/Now: @\w+ until/);
    expect(text).toContain('database · Asia/Tokyo');
    expect(text).toContain('Responders');
  });

  it('/oncall override opens a form with date-time pickers and adds the override', async () => {
    await send('/oncall override');
    const dialog = page.locator('dialog.modal[open]');
    await dialog.waitFor();
    expect(await dialog.locator('input[type="datetime-local"]').count()).toBe(2);
    await dialog.locator('select').last().selectOption('database');
    await shot('8-oncall-override');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#messages article.ephemeral', { hasText: 'is on call for database from' }).waitFor();
  });

  it('the App Home says who is on call until when, with the calendar feeds', async () => {
    await page.locator('#home-button').click();
    const home = page.locator('#home-view');
    await expect
      .poll(() => home.textContent().then((t) => t ?? ''), { timeout: STEP_MS })
      .toMatch(/You are on call for database until \w{3} \d\d:\d\d \(Asia\/Tokyo\)/);
    expect(await home.textContent()).toContain('Calendar feed of payments-primary');
    await shot('7-oncall-home');
  });
});
