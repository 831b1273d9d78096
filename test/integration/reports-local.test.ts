/**
 * Reporting with no Confluence and no agent: the local deterministic summary, written as HTML under
 * DATA_DIR/reports, linked in the thread at PUBLIC_URL, and served by the app at GET /reports/<file> — and nothing
 * else under that path.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Actions } from '../../src/listeners/ids.js';
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
    const url = `${PUBLIC_URL}/reports/${id}.html`;
    expect(reply).toBe(
      `📄 Report on *${id}* created in a local HTML report: <${url}|[${id}] Disk full on &lt;db-1&gt; (2026-01-01)>`,
    );
    expect((await h.app.services.incidents.get(id))?.report).toMatchObject({ url, id, version: 1 });

    const file = await readFile(join(dataDir, 'reports', `${id}.html`), 'utf8');
    const served = await fetch(`${h.baseUrl}/reports/${id}.html`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(served.headers.get('content-security-policy')).toContain("default-src 'none'");
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

    expect(await clickReporting(ts)).toContain('updated (version 2) in a local HTML report');
    expect(await (await fetch(`${h.baseUrl}/reports/${id}.html`)).text()).toContain(
      '<meta name="hikeshi-report-version" content="2">',
    );
    expect((await h.app.services.incidents.get(id))?.report?.version).toBe(2);
  });

  it('serves nothing but report files from the reports directory', async () => {
    await writeFile(join(dataDir, 'secret.html'), '<p>outside</p>');
    await writeFile(join(dataDir, 'reports', 'notes.txt'), 'not a report');
    for (const path of [
      '/reports/..%2Fsecret.html',
      '/reports/%2E%2E%2Fsecret.html',
      '/reports/../secret.html',
      '/reports/notes.txt',
      '/reports/INC-404.html',
      '/reports/.html',
      '/reports/a.b.html',
    ]) {
      const response = await fetch(`${h.baseUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('outside');
    }
  });
});
