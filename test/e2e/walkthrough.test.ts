/**
 * The README's "Try it in your browser" walkthrough, end to end: the real app started as `npm start` starts it
 * (`node --import tsx src/main.ts`, no Slack tokens, so the emulator runs in-process), driven through the
 * emulator's web page in Debian's Chromium with playwright-core. Nothing is called behind the page's back: every
 * step is a click or a typed command, and every check is what the page shows.
 *
 * `UPDATE_SCREENSHOTS=1 npx vitest run test/e2e/walkthrough.test.ts` also writes the README's screenshots to
 * docs/screenshots/ (install `fonts-noto-color-emoji` first, or the emoji show as boxes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(ROOT, 'docs', 'screenshots');
const UPDATE_SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';
const STEP_MS = 15_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `npm start`, with a fresh data directory and fast escalation (and no Slack or AWS settings inherited). */
async function startHikeshi(
  port: number,
  dataDir: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value !== undefined &&
      !/^(SLACK_|CONNECT_|WIKI_|BEDROCK_|CHATWORK_|GITHUB_|GITLAB_|SECRETS_ID)/.test(key)
    ) {
      env[key] = value;
    }
  }
  Object.assign(env, {
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    // In-process task queue: the test must not share RabbitMQ's queue with other tests or a running app.
    QUEUE: 'memory',
    // A critical incident nobody acknowledges rings the phone after a second.
    ESCALATE_AFTER_SECONDS: '1',
    ESCALATION_TICK_SECONDS: '1',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (healthy) return { child, output: () => output };
    if (Date.now() > deadline) throw new Error(`npm start did not answer /health within 20 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!existsSync(CHROMIUM))('try it in your browser (e2e, Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let app: { child: ChildProcess; output: () => string };
  let dataDir: string;
  let baseUrl: string;
  let port: number;

  const shot = async (name: string, target: Page = page) => {
    if (!UPDATE_SCREENSHOTS) return;
    await target.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  const incident = (title: string): Locator => page.locator('#messages article.msg', { hasText: title });
  const textOf = (locator: Locator) => () => locator.textContent({ timeout: STEP_MS }).then((t) => t ?? '');
  const send = async (input: string, text: string) => {
    await page.locator(input).fill(text);
    await page.locator(input).press('Enter');
  };
  const testAlert = async (label: RegExp) => {
    await page.locator('#test-alerts summary').click();
    await page.getByRole('button', { name: label }).click();
  };

  beforeAll(async () => {
    port = await freePort();
    baseUrl = `http://localhost:${port}`;
    dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-e2e-'));
    if (UPDATE_SCREENSHOTS) await mkdir(SHOTS, { recursive: true });
    [app, browser] = await Promise.all([
      startHikeshi(port, dataDir),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      }),
    ]);
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(STEP_MS);
    await page.goto(`${baseUrl}/`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
  }, 40_000);

  // A failed step says what the app logged and what the page showed, so a failure on a loaded CI machine can be read.
  beforeEach((context) => {
    context.onTestFailed(async () => {
      const shown = await page
        ?.locator('#messages, #thread-messages')
        .allTextContents()
        .catch(() => []);
      console.error(
        `--- app output (last 4,000 characters):\n${app?.output().slice(-4000)}\n--- page:\n${(shown ?? []).join('\n').slice(-3000)}`,
      );
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (app?.child.exitCode === null) {
      const exited = new Promise((resolve) => app.child.once('exit', resolve));
      app.child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 20_000);

  it('1. a test alert appears with its five buttons', async () => {
    await testAlert(/Generic alert/);
    const message = incident('Checkout API error rate above 5%');
    await message.waitFor();
    for (const label of ['Watching', 'To Bedrock Agent', 'Reporting', 'Acknowledge', 'Resolve']) {
      expect(await message.getByRole('button', { name: label, exact: true }).count()).toBe(1);
    }
    await expect.poll(textOf(message), { timeout: STEP_MS }).toContain('Triggered');
    await shot('1-alert');
  });

  it('2. Watching shows the watcher', async () => {
    const message = incident('Checkout API error rate above 5%');
    await message.getByRole('button', { name: 'Watching', exact: true }).click();
    await expect.poll(textOf(message), { timeout: STEP_MS }).toContain('Watching: @alice');
  });

  it('3. To Bedrock Agent posts the local analysis in the thread', async () => {
    const message = incident('Checkout API error rate above 5%');
    await message.getByRole('button', { name: 'To Bedrock Agent', exact: true }).click();
    await message.locator('.thread-summary').click();
    const thread = page.locator('#thread-messages');
    await expect.poll(textOf(thread), { timeout: STEP_MS }).toContain('Analysis of INC-1');
    expect(await thread.textContent()).toContain('local rule-based analyser');
    await shot('2-analysis');
  });

  it('4. @hikeshi ack in the thread changes the status and answers in the thread', async () => {
    await send('#thread-input', '@hikeshi ack');
    await page.locator('#thread-messages article.ephemeral', { hasText: 'You acknowledged' }).waitFor();
    await expect
      .poll(textOf(incident('Checkout API error rate above 5%')), { timeout: STEP_MS })
      .toContain('Acknowledged by @alice');
  });

  it('5. an unacknowledged critical incident rings the phone; Accept acknowledges it', async () => {
    await page.locator('#thread-close').click();
    await send('#composer-input', '/oncall add @bob +819012345678');
    await page.locator('#messages article.ephemeral', { hasText: 'bob' }).waitFor();
    await testAlert(/Alertmanager group/);
    const message = incident('Disk 96% full on db-1:9100');
    await message.waitFor();
    const call = page.locator('#phone li.call.ringing');
    await call.waitFor();
    expect(await call.textContent()).toContain('+81');
    expect(await call.textContent()).not.toContain('9012345678');
    await expect.poll(textOf(call), { timeout: STEP_MS }).toContain('Press 1');
    // While it rings, nothing covers the panel's buttons (a trial click checks that they would get the click).
    for (const name of ['Accept (1)', 'Decline (2)', 'No answer']) {
      await call.getByRole('button', { name }).click({ trial: true, timeout: STEP_MS });
    }
    // Framing for the screenshot only: the message may be redrawn (an edit) while it scrolls.
    await message.scrollIntoViewIfNeeded().catch(() => message.scrollIntoViewIfNeeded());
    await shot('3-phone');
    await call.getByRole('button', { name: 'Accept (1)' }).click();
    await expect.poll(textOf(message), { timeout: STEP_MS }).toContain('Acknowledged by @bob');
    await page.locator('#phone li.call.accepted').waitFor();
  });

  it('6. Reporting links to the report, which opens', async () => {
    const message = incident('Checkout API error rate above 5%');
    await message.getByRole('button', { name: 'Reporting', exact: true }).click();
    await message.locator('.thread-summary').click();
    const link = page.locator('#thread-messages a[href*="/reports/"]');
    await link.waitFor();
    const [report] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await report.waitForLoadState();
    expect(await report.title()).toContain('INC-1');
    expect(await report.locator('body').textContent()).toContain('Checkout API error rate above 5%');
    // Its Slack link opens the thread on this page (locally, the workspace one can see), not on slack.com.
    const slackLink = report.locator('a[href*="#channel="]').first();
    expect(await slackLink.getAttribute('href')).toMatch(
      /^http:\/\/(localhost|127\.0\.0\.1):\d+\/#channel=C/,
    );
    await report.setViewportSize({ width: 1000, height: 800 });
    await shot('4-report', report);
    await report.close();
  });

  it('a modal: /incident new, a required field, then a new incident', async () => {
    await page.locator('#thread-close').click();
    await send('#composer-input', '/incident new');
    const dialog = page.locator('dialog.modal[open]');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: /Open|Create|Submit/ }).click();
    await dialog.getByText('Please complete this required field.').first().waitFor();
    await dialog.getByLabel('Title').fill('Login page is slow for Safari users');
    await shot('5-modal');
    // A reload closes it, as in Slack; the command opens it again.
    await page.reload();
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await expect.poll(() => page.locator('dialog.modal[open]').count(), { timeout: STEP_MS }).toBe(0);
    await send('#composer-input', '/incident new');
    await dialog.waitFor();
    await dialog.getByLabel('Title').fill('Login page is slow for Safari users');
    await dialog.getByRole('button', { name: /Open|Create|Submit/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await incident('Login page is slow for Safari users').waitFor();
  });

  it('the ⋮ menu snoozes an incident and changes its severity', async () => {
    const message = incident('Login page is slow for Safari users');
    await message.getByRole('button', { name: 'More actions' }).click();
    await message.getByRole('menuitem', { name: 'Snooze 30 minutes' }).click();
    await expect.poll(textOf(message), { timeout: STEP_MS }).toContain('Escalation snoozed until');
    await message.getByRole('button', { name: 'More actions' }).click();
    await message.getByRole('menuitem', { name: 'Severity: critical' }).click();
    await expect.poll(textOf(message), { timeout: STEP_MS }).toContain('🔴');
  });

  it('the message shortcut Acknowledge incident, on a reply in the thread, acknowledges it', async () => {
    const message = incident('Login page is slow for Safari users');
    await message.locator('.thread-summary').click();
    const reply = page.locator('#thread-messages article.msg:not(.ephemeral)').last();
    await reply.hover();
    await reply.getByRole('button', { name: /^Message actions/ }).click();
    await reply.getByRole('menuitem', { name: 'Acknowledge incident' }).click();
    await expect.poll(textOf(message), { timeout: STEP_MS }).toContain('Acknowledged by @alice');
    await page.locator('#thread-messages article.ephemeral', { hasText: 'You acknowledged' }).waitFor();
    await page.locator('#thread-close').click();
  });

  it('the App Home tab', async () => {
    await page.locator('#home-button').click();
    await expect.poll(textOf(page.locator('#home-view')), { timeout: STEP_MS }).toContain('INC-');
    await shot('6-app-home');
  });

  it('a restart of npm start finds the channel, its threads and App Home as they were', async () => {
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    app.child.kill('SIGTERM');
    await exited;
    app = await startHikeshi(port, dataDir);
    await page.reload();
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    const first = incident('Checkout API error rate above 5%');
    await expect.poll(textOf(first), { timeout: STEP_MS }).toContain('Acknowledged by @alice');
    await first.locator('.thread-summary').click();
    await expect
      .poll(textOf(page.locator('#thread-messages')), { timeout: STEP_MS })
      .toContain('Analysis of INC-1');
    await page.locator('#thread-close').click();
    await expect
      .poll(textOf(incident('Disk 96% full on db-1:9100')), { timeout: STEP_MS })
      .toContain('Acknowledged by @bob');
    await page.locator('#phone li.call', { hasText: '+81' }).first().waitFor();
    // The app still acts on what it shows: a button on a message from before the restart works.
    const login = incident('Login page is slow for Safari users');
    await login.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect.poll(textOf(login), { timeout: STEP_MS }).toContain('Resolved');
    await page.locator('#home-button').click();
    await expect.poll(textOf(page.locator('#home-view')), { timeout: STEP_MS }).toContain('INC-');
  });
});
