/**
 * Reporting to Confluence through the whole app: the real Reporting click, every page of the thread read with
 * conversations.replies, the summary written by the Bedrock agent (fake), the page created with confluence.js
 * against the fake Confluence, the link posted in the thread and stored on the incident; a rerun updates the same
 * page as version 2. Failures (Confluence, the agent) are told in the thread and sent to Chatwork.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '@hikeshi/slack-emulator';
import { Actions } from '../../src/blocks/ids.js';
import { errorScript } from '../fakes/bedrock-agent.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';
import { SPACE, startOutsideFakes, type OutsideFakes } from '../helpers/outside-fakes.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

const SUMMARY = [
  '## Summary',
  'Payments returned 502 for 20 minutes after the pool was exhausted.',
  '## Impact',
  'About 3% of checkouts failed.',
  '## Root cause',
  'A deploy halved the **connection pool**.',
  '## Follow-up actions',
  '- Alert on pool saturation',
  '- Add a pool size check to the deploy pipeline',
].join('\n');

const reportReply = (h: TestHikeshi, ts: string): StoredMessage | undefined =>
  h.emulator.workspace
    .thread(CHANNEL, ts)
    .filter((m) => m.text.startsWith('📄 Report on') || m.text.startsWith('⚠️ The report'))
    .at(-1);

describe('Reporting to Confluence', () => {
  let fakes: OutsideFakes;
  let h: TestHikeshi;

  beforeAll(async () => {
    fakes = await startOutsideFakes();
    h = await startHikeshi({
      env: fakes.env,
      overrides: { integrations: { bedrock: { retryBaseDelayMs: 5 } } },
    });
  });
  afterAll(async () => {
    await h?.close();
    await fakes?.close();
  });
  beforeEach(() => {
    fakes.bedrock.reset();
    fakes.confluence.pages.clear();
  });

  /** Clicks Reporting and waits for the whole job: its placeholder appears, then the deferred work ends. */
  async function clickReporting(ts: string, userId = ALICE): Promise<void> {
    // Count Reporting's finished replies (the placeholder is edited into one): other thread replies may land
    // at any moment, and the placeholder shows before the job is even handed to `defer`.
    const ours = () =>
      h.emulator.workspace.thread(CHANNEL, ts).filter((m) => /^(📄 Report on|⚠️ The report)/.test(m.text))
        .length;
    const before = ours();
    await h.emulator.actions.clickButton({
      userId,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.reporting,
    });
    await expect.poll(ours, { timeout: 5000 }).toBeGreaterThan(before);
    await h.app.services.defer.drain();
  }

  it('creates a page from the whole thread, posts its link and stores it; a rerun updates it as version 2', async () => {
    const { id, ts } = await openIncident(h, {
      title: 'Payments 502',
      links: [{ title: 'Runbook', url: 'https://runbooks.example/payments' }],
    });
    await h.app.services.incidents.toggleWatch(id, BOB);
    // A long thread: more than one page of conversations.replies (200 a page).
    for (let i = 1; i <= 230; i += 1) {
      h.emulator.workspace.postMessage({
        channel: CHANNEL,
        user: i % 2 ? ALICE : BOB,
        text: `note ${i}`,
        threadTs: ts,
      });
    }
    fakes.bedrock.script({ type: 'chunks', chunks: [SUMMARY.slice(0, 40), SUMMARY.slice(40)] });
    const callsBefore = h.emulator.workspace.calls.length;

    await clickReporting(ts);

    // Every page of the thread was read, and all of it reached the agent.
    const pages = h.emulator.workspace.calls
      .slice(callsBefore)
      .filter((c) => c.method === 'conversations.replies' && c.args['ts'] === ts);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const request = fakes.bedrock.requests[0]!;
    expect(request.sessionId).toBe(`${id}-report`);
    expect(String(request.body.inputText)).toContain('note 1\n');
    expect(String(request.body.inputText)).toContain('note 230');

    // One page, in the space, titled as the issue says, with the storage body's parts.
    expect(fakes.confluence.pages.size).toBe(1);
    const page = [...fakes.confluence.pages.values()][0]!;
    expect(page.spaceKey).toBe(SPACE);
    expect(page.title).toBe(`[${id}] Payments 502 (2026-01-01)`);
    const body = page.versions[0]!;
    for (const part of [
      '<h2>Summary</h2>',
      'Payments returned 502 for 20 minutes',
      '<h2>Impact</h2>',
      '<h2>Timeline</h2>\n<table><tbody><tr><th>Time</th><th>Event</th><th>What</th><th>Who</th></tr>',
      '<td>2026-01-01 00:00 UTC</td><td>opened</td>',
      '<h2>Participants</h2>',
      '<li>Alice Anderson (U0ALICE01)</li><li>Bob Brown (U0BOB0001)</li>',
      '<h2>Root cause</h2>',
      'A deploy halved the <strong>connection pool</strong>.',
      '<h2>Follow-up actions</h2>\n<ul><li>Alert on pool saturation</li><li>Add a pool size check to the deploy pipeline</li></ul>',
      '<h2>Call history</h2>',
      '<a href="https://runbooks.example/payments">Runbook</a>',
    ]) {
      expect(body).toContain(part);
    }
    expect(body).toMatch(
      /<a href="https:\/\/[\w-]+\.slack\.com\/archives\/C0ALERTS1\/p\d+">Slack thread<\/a>/,
    );
    expect(page.labels).toContain(`hikeshi-${id.toLowerCase()}`);

    // The link in the thread and on the incident.
    const url = `${fakes.confluence.url}/wiki/spaces/${SPACE}/pages/${page.id}`;
    expect(reportReply(h, ts)?.text).toBe(
      `📄 Report on *${id}* created in Confluence: <${url}|[${id}] Payments 502 (2026-01-01)>`,
    );
    let incident = await h.app.services.incidents.get(id);
    expect(incident?.report).toMatchObject({ url, id: page.id, version: 1 });
    expect(incident?.timeline.at(-1)).toMatchObject({
      kind: 'report',
      actor: ALICE,
      text: 'Report version 1 published to Confluence',
    });

    // Again: the same page, version 2, no duplicate.
    fakes.bedrock.script({ type: 'chunks', chunks: [SUMMARY.replace('About 3%', 'About 4%')] });
    await clickReporting(ts, BOB);
    expect(fakes.confluence.pages.size).toBe(1);
    expect(page.versions).toHaveLength(2);
    expect(page.versions[1]).toContain('About 4% of checkouts failed.');
    expect(reportReply(h, ts)?.text).toContain('updated (version 2) in Confluence');
    incident = await h.app.services.incidents.get(id);
    expect(incident?.report).toMatchObject({ id: page.id, version: 2 });
  });

  it('/incident report ID works like the button', async () => {
    const { id, ts } = await openIncident(h);
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: CHANNEL,
      command: '/incident',
      text: `report ${id}`,
    });
    await expect.poll(() => reportReply(h, ts)?.text, { timeout: 5000 }).toContain('created in Confluence');
  });

  it('when the agent cannot summarise, the page is still written from the local summary, and Chatwork is told', async () => {
    fakes.bedrock.script(errorScript('AccessDeniedException', 'no access'));
    const { id, ts } = await openIncident(h, { severity: 'warning' });
    await clickReporting(ts);
    expect(reportReply(h, ts)?.text).toContain('created in Confluence');
    const body = [...fakes.confluence.pages.values()][0]!.versions[0]!;
    expect(body).toContain('rule-based, not an LLM');
    expect(body).toContain('The Bedrock agent could not summarise: MODEL_ACCESS_DENIED.');
    await expect
      .poll(() => fakes.chatwork.messages.find((m) => m.body.includes(`incident_id: ${id}`))?.body, {
        timeout: 5000,
      })
      .toContain('🔴 エラー種別: MODEL_ACCESS_DENIED');
  });
});

describe('Reporting when Confluence refuses', () => {
  let fakes: OutsideFakes;
  let h: TestHikeshi;

  beforeAll(async () => {
    fakes = await startOutsideFakes();
    h = await startHikeshi({
      env: { ...fakes.env, CONFLUENCE_SPACE: 'NOPE', BEDROCK_AGENT_ID: '', BEDROCK_AGENT_ALIAS_ID: '' },
    });
  });
  afterAll(async () => {
    await h?.close();
    await fakes?.close();
  });

  it('says so in the thread, stores nothing and sends a Chatwork notice', async () => {
    const { id, ts } = await openIncident(h, { severity: 'warning' });
    await clickReporting();
    expect(reportReply(h, ts)?.text).toBe(
      `⚠️ The report on *${id}* could not be published: The Confluence space was not found. Check CONFLUENCE_SPACE (the space key).`,
    );
    expect((await h.app.services.incidents.get(id))?.report).toBeUndefined();
    const notice = fakes.chatwork.messages.find((m) => m.body.includes(`incident_id: ${id}`));
    expect(notice?.body.split('\n').slice(4, 11)).toEqual([
      '🔴 エラー種別: CONFLUENCE_SPACE_NOT_FOUND',
      expect.stringMatching(/^📝 メッセージ: レポート作成エラー: Confluence create page failed: /),
      '',
      '📊 詳細情報:',
      '   - function_name: publishConfluenceReport',
      '   - action: create page',
      '   - space: NOPE',
    ]);

    async function clickReporting(): Promise<void> {
      await h.emulator.actions.clickButton({
        userId: ALICE,
        channelId: CHANNEL,
        messageTs: ts,
        actionId: Actions.reporting,
      });
      await expect.poll(() => reportReply(h, ts), { timeout: 5000 }).toBeDefined();
      await h.app.services.defer.drain();
      await expect
        .poll(() => fakes.chatwork.messages.some((m) => m.body.includes(`incident_id: ${id}`)))
        .toBe(true);
    }
  });
});
