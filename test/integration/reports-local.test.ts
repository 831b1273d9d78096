/**
 * Reporting with no Confluence and no agent: the local deterministic summary, written as HTML under
 * DATA_DIR/reports, linked in the thread at PUBLIC_URL, and served by the app at GET /reports/<token>/<file> —
 * only with the current version's token, over real HTTP, and nothing else under that path.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Actions } from '../../src/blocks/ids.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const PUBLIC_URL = 'http://hikeshi.test';

describe('Reporting without Confluence: the local HTML report', () => {
  let h: TestHikeshi;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-reports-'));
    h = await startHikeshi({ env: { DATA_DIR: dataDir, PUBLIC_URL } });
  });
  afterAll(async () => {
    await h?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function clickReporting(ts: string): Promise<string> {
    // Count Reporting's finished replies (the placeholder is edited into one): other thread replies may land
    // at any moment, and the placeholder shows before the job is even handed to `defer`.
    const ours = () =>
      h.emulator.workspace.thread(CHANNEL, ts).filter((m) => /^(📄 Report on|⚠️ The report)/.test(m.text))
        .length;
    const before = ours();
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.reporting,
    });
    await expect.poll(ours, { timeout: 5000 }).toBeGreaterThan(before);
    await h.app.services.defer.drain();
    return (
      h.emulator.workspace
        .thread(CHANNEL, ts)
        .filter((m) => m.text.startsWith('📄 Report on'))
        .at(-1)?.text ?? ''
    );
  }

  it('writes the report, links it in the thread, serves it, and rewrites it as version 2', async () => {
    const { id, ts } = await openIncident(h, {
      title: 'Disk full on <db-1>',
      message: 'No space left on device',
    });
    h.emulator.workspace.postMessage({
      channel: CHANNEL,
      user: ALICE,
      text: 'TODO: add a disk usage alert',
      threadTs: ts,
    });
    await h.app.services.incidents.resolve(id, ALICE, 'Rotated the logs');

    const reply = await clickReporting(ts);
    const link = new RegExp(
      `^📄 Report on \\*${id}\\* created in a local HTML report: <(${PUBLIC_URL}/reports/[A-Za-z0-9_-]{32}/${id}\\.html)\\|\\[${id}\\] Disk full on &lt;db-1&gt; \\(2026-01-01\\)>$`,
    );
    expect(reply).toMatch(link);
    const url = link.exec(reply)?.[1] ?? '';
    expect((await h.app.services.incidents.get(id))?.report).toMatchObject({ url, id, version: 1 });

    // The link in the thread is what opens the report (PUBLIC_URL stands for this server).
    const file = await readFile(join(dataDir, 'reports', `${id}.html`), 'utf8');
    const served = await fetch(url.replace(PUBLIC_URL, h.baseUrl));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(served.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(served.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await served.text();
    expect(html).toBe(file);
    for (const part of [
      `<title>[${id}] Disk full on &lt;db-1&gt; (2026-01-01)</title>`,
      '<h2>Timeline</h2>',
      '<td>resolved</td><td>Resolved: Rotated the logs</td><td>Alice Anderson</td>',
      'Resolution note: Rotated the logs',
      'Rule-based guess (not an LLM): Disk full',
      '<li>add a disk usage alert</li>',
      '<h2>Call history</h2>\n<p>No calls were made.</p>',
      'rule-based, not an LLM',
      '<meta name="hikeshi-report-version" content="1">',
    ]) {
      expect(html).toContain(part);
    }
    expect(html).not.toContain('<db-1>');

    const second = await clickReporting(ts);
    expect(second).toContain('updated (version 2) in a local HTML report');
    const url2 = /<([^|>]+)\|/.exec(second)?.[1] ?? '';
    expect(url2).not.toBe(url);
    expect((await h.app.services.incidents.get(id))?.report).toMatchObject({ url: url2, version: 2 });
    expect(await (await fetch(url2.replace(PUBLIC_URL, h.baseUrl))).text()).toContain(
      '<meta name="hikeshi-report-version" content="2">',
    );
    // The first version's link is stale now: the report it pointed at was rewritten.
    const stale = await fetch(url.replace(PUBLIC_URL, h.baseUrl));
    expect(stale.status).toBe(404);
    expect(await stale.text()).not.toContain('Disk full');
  });

  it('a guessed, wrong, borrowed or missing token gets 404, and so does the old tokenless address', async () => {
    const { id, ts } = await openIncident(h, { title: 'Checkout 502' });
    const url = /<([^|>]+)\|/.exec(await clickReporting(ts))?.[1] ?? '';
    const token = /\/reports\/([^/]+)\//.exec(url)?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const other = await openIncident(h, { title: 'Another incident' });
    const otherToken = /\/reports\/([^/]+)\//.exec(
      /<([^|>]+)\|/.exec(await clickReporting(other.ts))?.[1] ?? '',
    )?.[1];
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const path of [
      `/reports/${id}.html`,
      `/reports/${flipped}/${id}.html`,
      `/reports/${token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase()}/${id}.html`,
      `/reports/${token.slice(0, 31)}/${id}.html`,
      `/reports/${token}x/${id}.html`,
      `/reports/${otherToken ?? ''}/${id}.html`,
      `/reports/${'A'.repeat(32)}/${id}.html`,
      `/reports//${id}.html`,
      `/reports/${token}/${other.id}.html`,
    ]) {
      const response = await fetch(`${h.baseUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('Checkout 502');
    }
    expect((await fetch(`${h.baseUrl}/reports/${token}/${id}.html`)).status).toBe(200);
  });

  it('a report written before reports had tokens is never served', async () => {
    const { id, ts } = await openIncident(h, { title: 'Old format' });
    const url = /<([^|>]+)\|/.exec(await clickReporting(ts))?.[1] ?? '';
    const path = join(dataDir, 'reports', `${id}.html`);
    const html = await readFile(path, 'utf8');
    await writeFile(path, html.replace(/<meta name="hikeshi-report-token"[^>]*>\n/, ''));
    expect((await fetch(url.replace(PUBLIC_URL, h.baseUrl))).status).toBe(404);
  });

  it('serves nothing but report files from the reports directory, whatever the token', async () => {
    await writeFile(join(dataDir, 'secret.html'), '<p>outside</p>');
    await writeFile(join(dataDir, 'reports', 'notes.txt'), 'not a report');
    const token = 'A'.repeat(32);
    for (const path of [
      '/reports/..%2Fsecret.html',
      `/reports/${token}/..%2Fsecret.html`,
      `/reports/${token}/%2E%2E%2Fsecret.html`,
      `/reports/..%2F..%2F${token}/secret.html`,
      `/reports/${token}/../secret.html`,
      `/reports/${token}/../../secret.html`,
      '/reports/%2E%2E/secret.html',
      `/reports/${token}/notes.txt`,
      `/reports/${token}/INC-404.html`,
      `/reports/${token}/.html`,
      `/reports/${token}/a.b.html`,
    ]) {
      const response = await fetch(`${h.baseUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('outside');
    }
  });
});
