/**
 * What the Chatwork notices say, and when, through the running app, the real notifier and the fake Chatwork API
 * (test/integration/chatwork-notices.test.ts holds the layout itself):
 * - a hostile alert title reaches Chatwork and Slack (the emulator) as plain text; the layout's `[toall]` stays;
 * - a failed job's notice carries the job's error text, under its title;
 * - an incident whose severity rises to error or critical after it opened gets one notice for the rise: not one
 *   per repeat, not another for a further rise, one across two processes racing the same rise, and one when the
 *   deferred job is delivered twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import type { AlertSignal, Severity } from '../../src/domain/alert.js';
import type { JsonObject } from '@hikeshi/slack-emulator';
import { parseMrkdwn, type MrkdwnNode } from '@hikeshi/slack-emulator/mrkdwn';
import { OPENED_NOTICE_JOB, RAISED_NOTICE_JOB } from '../../src/services/incident-notices.js';
import { chatworkTags, startFakeChatwork, type FakeChatwork } from '../fakes/chatwork.js';
import { ALERT_CHANNEL, post } from '../helpers/alerts.js';
import { startHikeshi, startPeer, type TestHikeshi } from '../helpers/hikeshi.js';

const TOKEN = 'cw-token-events-5e1f';
const ROOM = '123456789';
const JOB_SECRET = 'job-secret-for-notice-events';
const ALERTS_TOKEN = 'alerts-token-notice-events';
const ENV = {
  CHATWORK_API_TOKEN: TOKEN,
  CHATWORK_ROOM_ID: ROOM,
  JOB_REPORT_SECRET: JOB_SECRET,
  ALERTS_API_TOKEN: ALERTS_TOKEN,
};

let chatwork: FakeChatwork;
let h: TestHikeshi;

beforeAll(async () => {
  chatwork = await startFakeChatwork({ apiToken: TOKEN });
  h = await startHikeshi({ env: { ...ENV, CHATWORK_API_URL: `${chatwork.url}/v2` } });
});
afterAll(async () => {
  await h?.close();
  await chatwork?.close();
});

const noticesAbout = (id: string) =>
  chatwork.messages.filter((m) => m.body.includes(`   - incident_id: ${id}\n`)).map((m) => m.body);

function signal(dedupKey: string, severity: Severity): AlertSignal {
  return {
    action: 'trigger',
    title: `Queue depth rising (${dedupKey})`,
    message: 'orders queue over 10 000',
    severity,
    source: 'alertmanager',
    dedupKey,
    links: [],
  };
}

/** Every `text` of the message's mrkdwn, parsed as the emulator page reads it. */
function mrkdwnNodes(value: unknown, out: MrkdwnNode[] = []): MrkdwnNode[] {
  if (Array.isArray(value)) for (const item of value) mrkdwnNodes(item, out);
  else if (value !== null && typeof value === 'object') {
    const object = value as JsonObject;
    if (object['type'] === 'mrkdwn' && typeof object['text'] === 'string') {
      out.push(...parseMrkdwn(object['text'], { verbatim: object['verbatim'] === true }));
    } else for (const child of Object.values(object)) mrkdwnNodes(child, out);
  }
  return out;
}

const flatten = (nodes: readonly MrkdwnNode[]): MrkdwnNode[] =>
  nodes.flatMap((node) => ('children' in node ? [node, ...flatten(node.children)] : [node]));

describe('sender text is plain text in Chatwork and Slack', () => {
  it('a hostile alert title: shown as written in both, and only the layout pings', async () => {
    const title = '[toall][To:42] 山田さん <!channel> <@U0ALICE01> [info][title]偽[/title]本文[/info] @here';
    const message = '[rp aid=1 to=2-3] <https://evil.example|your bank> &lt;!here&gt;';
    const posted = await post(
      `${h.baseUrl}/api/alerts`,
      { title, message, severity: 'critical', source: 'hostile [hr]', dedup_key: 'hostile-title' },
      { token: ALERTS_TOKEN },
    );
    expect(posted.status).toBe(202);
    const id = String(posted.body['incident_id']);
    await h.app.settle();

    // Chatwork: one tag, the layout's own mention, and the sender's brackets shown fullwidth.
    const [body] = noticesAbout(id);
    expect(chatworkTags(body ?? '')).toEqual(['[toall]']);
    const lines = (body ?? '').split('\n');
    expect(lines[0]).toBe('[toall]');
    expect(lines[4]).toBe('🔴 エラー種別: hostile ［hr］/critical');
    expect(lines[5]).toBe(
      '📝 メッセージ: ［toall］［To:42］ 山田さん <!channel> <@U0ALICE01> ［info］［title］偽［/title］本文［/info］ @here',
    );
    expect(lines[6]).toBe('   ［rp aid=1 to=2-3］ <https://evil.example|your bank> &lt;!here&gt;');

    // Slack: the header shows the title as typed; the mrkdwn holds no mention, broadcast or link from the sender,
    // and reads back as the sender's text.
    const incident = h.emulator.workspace
      .messages(ALERT_CHANNEL)
      .find((m) => JSON.stringify(m.blocks).includes(JSON.stringify(id)));
    expect(incident).toBeDefined();
    expect(incident?.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(JSON.stringify(incident?.blocks[0])).toContain(JSON.stringify(title).slice(1, -1));
    const nodes = flatten(mrkdwnNodes([incident?.blocks, incident?.attachments]));
    expect(nodes.filter((n) => ['user', 'channel', 'broadcast', 'link'].includes(n.kind))).toEqual([]);
    const shown = nodes.flatMap((n) => (n.kind === 'text' ? [n.text] : [])).join('');
    expect(shown).toContain(message);
    expect(incident?.text).not.toMatch(/<[!@#]/);
  });
});

describe('notices that say what happened', () => {
  it('a failed job: the notice carries the job error text under its title', async () => {
    const response = await fetch(`${h.baseUrl}/api/monitor/job-report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-TC-Portal-Webhook-Secret': JOB_SECRET },
      body: JSON.stringify({
        job_key: 'nightly-export',
        title: 'Nightly export',
        status: 'error',
        finished_at: '2026-01-01T00:00:00Z',
        message:
          'pg_dump: connection refused\nTraceback (most recent call last):\n  File "export.py", line 3',
      }),
    });
    expect(response.status).toBe(200);
    await h.app.services.defer.drain();
    const notice = chatwork.messages.find((m) => m.body.includes('job:nightly-export/error'));
    const lines = notice?.body.split('\n') ?? [];
    expect(lines.slice(4, 10)).toEqual([
      '🔴 エラー種別: job:nightly-export/error',
      '📝 メッセージ: Job failed: Nightly export',
      '   pg_dump: connection refused',
      '   Traceback (most recent call last):',
      '     File "export.py", line 3',
      '',
    ]);
  });

  it('a severity rise to error: one notice; repeats and a further rise send none', async () => {
    const opened = await h.app.services.incidents.ingest(signal('rise-once', 'warning'));
    const id = opened.action === 'ignored' ? '' : opened.incident.id;
    await h.app.settle();
    expect(noticesAbout(id)).toEqual([]);

    await h.app.services.incidents.ingest(signal('rise-once', 'error'));
    await h.app.settle();
    const [raised, ...more] = noticesAbout(id);
    expect(more).toEqual([]);
    expect(raised?.split('\n').slice(0, 12)).toEqual([
      '[toall]',
      '🚨 【エラー発生】Hikeshi',
      '',
      expect.stringMatching(/^⏰ 発生時刻: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      '🔴 エラー種別: alertmanager/error',
      '📝 メッセージ: 重大度上昇 warning → error: Queue depth rising (rise-once)',
      '   orders queue over 10 000',
      '',
      '📊 詳細情報:',
      `   - incident_id: ${id}`,
      '   - source: alertmanager',
      '   - previous_severity: warning',
    ]);

    for (let i = 0; i < 5; i++) await h.app.services.incidents.ingest(signal('rise-once', 'error'));
    await h.app.services.incidents.ingest(signal('rise-once', 'critical'));
    await h.app.settle();
    expect(noticesAbout(id)).toHaveLength(1);
    expect((await h.app.services.incidents.get(id))?.severity).toBe('critical');
  });

  it('two processes racing the same rise: one notice', async () => {
    const peer: HikeshiApp = await startPeer(h, { env: { ...ENV, CHATWORK_API_URL: `${chatwork.url}/v2` } });
    try {
      const opened = await h.app.services.incidents.ingest(signal('rise-race', 'info'));
      const id = opened.action === 'ignored' ? '' : opened.incident.id;
      await Promise.all([h.app.settle(), peer.settle()]);
      // Both processes have read the incident at info, so both start from the stale copy.
      expect((await peer.services.incidents.get(id))?.severity).toBe('info');
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? h.app : peer).services.incidents.ingest(
            signal('rise-race', i % 3 === 0 ? 'critical' : 'error'),
          ),
        ),
      );
      await Promise.all([h.app.settle(), peer.settle()]);
      expect(noticesAbout(id)).toHaveLength(1);
      expect(noticesAbout(id)[0]).toContain('重大度上昇 info → ');
    } finally {
      await peer.stop();
    }
  });

  it('a notice job delivered twice sends one notice', async () => {
    const opened = await h.app.services.incidents.ingest(signal('redelivered', 'warning'));
    const id = opened.action === 'ignored' ? '' : opened.incident.id;
    await h.app.services.incidents.ingest(signal('redelivered', 'critical'));
    await h.app.settle();
    expect(noticesAbout(id)).toHaveLength(1);
    const handlers = h.app.services.deferredHandlers;
    await handlers[RAISED_NOTICE_JOB]?.({ incidentId: id, occurredAt: h.clock.now(), from: 'warning' });

    const critical = await h.app.services.incidents.ingest(signal('redelivered-open', 'critical'));
    const openedId = critical.action === 'ignored' ? '' : critical.incident.id;
    await h.app.settle();
    await handlers[OPENED_NOTICE_JOB]?.({ incidentId: openedId, occurredAt: h.clock.now() });
    expect(noticesAbout(id)).toHaveLength(1);
    expect(noticesAbout(openedId)).toHaveLength(1);
  });
});
