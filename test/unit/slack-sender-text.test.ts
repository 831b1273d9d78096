/**
 * Sender text in Slack stays text, in every builder it reaches: alert titles, messages, sources, details, link
 * labels and resolve notes; job keys, titles and messages; webhook task titles, bodies, labels and URLs; agent
 * answers; report titles and error messages. Slack reads `<…>` as a mention, channel, broadcast or link and
 * decodes `&amp;` `&lt;` `&gt;` (https://docs.slack.dev/messaging/formatting-message-text), so for any hostile
 * input:
 * - every `<…>` sequence in mrkdwn is one the layout wrote: a date, a person the layout names, our channel, or a
 *   link to a URL the sender gave as a link — never a broadcast (except the one "nobody answered" reply) and
 *   never a mention or a channel from sender text;
 * - every `&` starts one of the three escapes, so the reader sees what the sender wrote;
 * - every mrkdwn text object is `verbatim`, so Slack does not turn a bare `@channel` or `#general` into one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analysisFailedReplies, answerReplies } from '../../src/blocks/analysis-replies.js';
import { buildIncidentMessage } from '../../src/blocks/incident-message.js';
import { buildIncidentDetail, buildIncidentList } from '../../src/blocks/incident-list.js';
import { buildExpectReply, buildJobDetail, buildJobList } from '../../src/blocks/jobs.js';
import { nobodyAnsweredText } from '../../src/blocks/calls.js';
import { notFoundText } from '../../src/blocks/outcomes.js';
import { reportFailedReply, reportPublishedReply } from '../../src/blocks/report-replies.js';
import { buildTaskMessage, commentFailedText } from '../../src/blocks/task-message.js';
import { timelineReplyText } from '../../src/blocks/timeline.js';
import { usageReply } from '../../src/blocks/usage.js';
import { fingerprintOf, type AlertSignal } from '../../src/domain/alert.js';
import {
  acknowledge,
  addTimelineEntry,
  attachSlackMessage,
  openIncident,
  resolve,
  toggleWatcher,
  type Incident,
  type TimelineKind,
} from '../../src/domain/incident.js';
import type { Task } from '../../src/domain/git-task.js';
import type { JobOverview, StoredJobReport } from '../../src/domain/job-records.js';
import { hostileText, hostileTitle } from '../helpers/hostile-text.js';

const T0 = Date.UTC(2026, 0, 1);
const CHANNEL = 'C0ALERTS';
const WATCHER = 'U0WATCH1';
const ACKER = 'U0ACKER1';
const SAFE_URL = 'https://runbooks.example.com/disk';

/** Every string Slack parses as mrkdwn in a reply or message: text objects of type mrkdwn and `text` fields. */
function mrkdwnTexts(value: unknown, out: string[] = [], key = ''): string[] {
  if (typeof value === 'string') {
    if (key === 'text') out.push(value);
    return out;
  }
  if (Array.isArray(value)) {
    for (const item of value) mrkdwnTexts(item, out);
    return out;
  }
  if (value === null || typeof value !== 'object') return out;
  const record = value as Record<string, unknown>;
  if (record['type'] === 'plain_text') return out; // shown as typed; Slack parses nothing in it
  if (record['type'] === 'mrkdwn') expect(record['verbatim'], JSON.stringify(record)).toBe(true);
  for (const [k, v] of Object.entries(record)) mrkdwnTexts(v, out, k);
  return out;
}

interface Allowed {
  users?: readonly string[];
  channels?: readonly string[];
  /** Link targets the sender gave as links (the incident's links, a task's URL). */
  urls?: readonly string[];
  broadcasts?: number;
}

/** Checks every `<…>` sequence and `&` of one mrkdwn text against what the layout may write. */
function expectOnlyLayoutMarkup(text: string, allowed: Allowed): void {
  let broadcasts = 0;
  for (const [, inner = ''] of text.matchAll(/<([^<>]*)>/g)) {
    const target = inner.split('|')[0] ?? '';
    if (target.startsWith('!date^')) continue;
    if (target.startsWith('!')) {
      broadcasts += 1;
      expect(target, text).toBe('!channel');
    } else if (target.startsWith('@')) expect(allowed.users ?? [], text).toContain(target.slice(1));
    else if (target.startsWith('#')) expect(allowed.channels ?? [], text).toContain(target.slice(1));
    else expect(allowed.urls ?? [], `link <${inner}> in ${text}`).toContain(target);
  }
  expect(broadcasts, text).toBe(allowed.broadcasts ?? 0);
  expect(text.replace(/&(amp|lt|gt);/g, ''), text).not.toContain('&');
}

function expectSafe(output: unknown, allowed: Allowed = {}): void {
  for (const text of mrkdwnTexts(output)) expectOnlyLayoutMarkup(text, allowed);
}

/** How mrkdwnLink writes a sender's URL. */
const linked = (url: string) => url.replace(/[|<> ]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');

const hostileSignal: fc.Arbitrary<AlertSignal> = fc.record({
  action: fc.constant('trigger' as const),
  title: hostileTitle,
  message: hostileText,
  severity: fc.constant('critical' as const),
  source: hostileTitle,
  dedupKey: hostileTitle,
  details: fc.dictionary(hostileTitle, hostileText, { maxKeys: 5 }),
  links: fc.array(
    fc.record({ title: hostileTitle, url: fc.constantFrom(SAFE_URL, 'https://x.example/a?b=1&c=<2>') }),
    { maxLength: 2 },
  ),
});

function must(result: { ok: true; incident: Incident } | { ok: false }): Incident {
  if (!result.ok) throw new Error('transition failed');
  return result.incident;
}

/** An incident that went through everything, with sender text in every field a sender reaches. */
function hostileIncident(signal: AlertSignal, note: string, entries: readonly string[]): Incident {
  let incident = openIncident({ number: 7, signal, fingerprint: fingerprintOf(signal), now: T0 });
  incident = attachSlackMessage(incident, { channel: CHANNEL, ts: '1767225600.000100' });
  incident = must(toggleWatcher(incident, WATCHER, T0 + 1000));
  const kinds: TimelineKind[] = ['note', 'analysis', 'report', 'escalation', 'folded'];
  entries.forEach((text, i) => {
    incident = addTimelineEntry(incident, {
      kind: kinds[i % kinds.length] ?? 'note',
      text,
      now: T0 + 2000 + i,
    });
  });
  incident = must(acknowledge(incident, { by: `system:${signal.source ?? ''}`, now: T0 + 5000 }));
  return must(resolve(incident, { by: ACKER, note, now: T0 + 6000 }));
}

const RUNS = { numRuns: 200 };

describe('sender text reaches Slack as text', () => {
  it('in the incident message, list, detail and thread replies', () => {
    fc.assert(
      fc.property(
        hostileSignal,
        hostileText,
        fc.array(hostileText, { maxLength: 5 }),
        (signal, note, entries) => {
          const incident = hostileIncident(signal, note, entries);
          const allowed: Allowed = {
            users: [WATCHER, ACKER],
            channels: [CHANNEL],
            urls: signal.links.map((l) => linked(l.url)),
          };
          expectSafe(buildIncidentMessage(incident, { now: T0 + 7000 }), allowed);
          expectSafe(buildIncidentList([{ ...incident, status: 'triggered' }]), allowed);
          expectSafe(buildIncidentDetail(incident), allowed);
          for (const entry of incident.timeline)
            expectSafe({ text: timelineReplyText(incident, entry) }, allowed);
        },
      ),
      RUNS,
    );
  });

  it('in job lists, job details and schedule replies', () => {
    fc.assert(
      fc.property(hostileTitle, hostileText, hostileText, (jobKey, title, message) => {
        const latest: StoredJobReport = {
          id: 'r1',
          jobKey,
          title,
          status: 'error',
          finishedAt: new Date(T0).toISOString(),
          finishedAtRaw: '2026-01-01T00:00:00Z',
          message,
          receivedAt: T0,
        };
        const job: JobOverview = {
          jobKey,
          title,
          latest,
          schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 600 },
          nextExpectedAt: T0 + 3_600_000,
          late: true,
        };
        expectSafe(buildJobList([job]));
        expectSafe(buildJobDetail(job, [latest, { ...latest, status: 'success' }]));
        expectSafe(buildExpectReply(jobKey, job));
      }),
      RUNS,
    );
  });

  it('in webhook task messages and their thread replies', () => {
    const task = fc.record({
      id: hostileTitle,
      source: fc.constantFrom('github' as const, 'gitlab' as const),
      kind: fc.constantFrom('issue' as const, 'merge_request' as const),
      repo: hostileTitle,
      number: fc.integer({ min: 1, max: 99_999 }),
      title: hostileText,
      body: hostileText,
      url: fc.oneof(
        fc.constant(SAFE_URL),
        hostileText.map((path) => `https://git.example/${path}`),
      ),
      labels: fc.array(hostileText, { maxLength: 3 }),
      author: hostileText,
      received_at: fc.constant(new Date(T0).toISOString()),
    });
    fc.assert(
      fc.property(task, hostileText, (t: Task, reason) => {
        expectSafe(buildTaskMessage(t), { urls: [linked(t.url)] });
        expectSafe({ text: commentFailedText(t, reason) });
      }),
      RUNS,
    );
  });

  it('in agent answers, report replies, usage problems and the one layout broadcast', () => {
    const header = { incidentId: 'INC-7', requestedBy: ACKER, engine: 'agent' as const };
    fc.assert(
      fc.property(hostileText, hostileTitle, (text, title) => {
        for (const reply of answerReplies(header, text)) expectSafe(reply, { users: [ACKER] });
        for (const reply of analysisFailedReplies(header, 'TIMEOUT', text))
          expectSafe(reply, { users: [ACKER] });
        expectSafe(
          reportPublishedReply({
            incidentId: 'INC-7',
            title,
            url: SAFE_URL,
            version: 2,
            created: false,
            target: 'local',
          }),
          { urls: [SAFE_URL] },
        );
        expectSafe(reportFailedReply('INC-7', text));
        expectSafe(usageReply('usage', text));
        expectSafe({ text: notFoundText(title) });
        const loud = nobodyAnsweredText({ id: 'INC-7', title }, 'exhausted');
        expect(loud.startsWith('<!channel> ')).toBe(true);
        expectSafe({ text: loud }, { broadcasts: 1 });
      }),
      RUNS,
    );
  });

  it('a hostile title is shown exactly as sent', () => {
    const title = 'Hi <!channel> & <@U0ALICE01> see <https://evil.example|bank> &lt;!here&gt; @here';
    const signal: AlertSignal = { action: 'trigger', title, severity: 'error', dedupKey: 'x', links: [] };
    const message = buildIncidentMessage(openIncident({ number: 1, signal, fingerprint: 'f', now: T0 }));
    expect(message.text).toContain(
      'Hi &lt;!channel&gt; &amp; &lt;@U0ALICE01&gt; see &lt;https://evil.example|bank&gt; &amp;lt;!here&amp;gt; @here',
    );
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(JSON.stringify(message.blocks[0])).toContain(JSON.stringify(title).slice(1, -1));
  });
});
