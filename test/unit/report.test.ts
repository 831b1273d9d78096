import { describe, expect, it } from 'vitest';
import { buildReportStorage, escapeXml, textToStorage } from '../../src/blocks/report-storage.js';
import {
  AGENT_INPUT_MAX,
  buildAnalysisInput,
  mentionQuestion,
  threadTranscript,
} from '../../src/domain/analysis-input.js';
import { attachReport, openIncident, resolve, type Incident } from '../../src/domain/incident.js';
import {
  analysisFailedNotice,
  incidentOpenedNotice,
  incidentRaisedNotice,
  NOTICE_MESSAGE_MAX,
  reportFailedNotice,
  shouldNotifyOpened,
  shouldNotifyRaised,
} from '../../src/domain/notices.js';
import {
  parseReportSections,
  participantIds,
  reportPrompt,
  reportTitle,
  summariseLocally,
} from '../../src/domain/report.js';

const T0 = Date.UTC(2026, 2, 14, 23, 50);

function incident(overrides: Partial<Incident> = {}): Incident {
  const opened = openIncident({
    number: 42,
    fingerprint: 'fp',
    now: T0,
    signal: {
      action: 'trigger',
      title: 'Disk full on db-1',
      message: 'No space left on device',
      severity: 'critical',
      source: 'alertmanager',
      details: { host: 'db-1', usage: 100 },
      links: [{ title: 'Grafana', url: 'https://grafana.example/d/1' }],
    },
  });
  return { ...opened, ...overrides };
}

describe('report content', () => {
  it('titles the report [INC-42] <title> (YYYY-MM-DD), within Confluence’s 255 characters', () => {
    expect(reportTitle(incident())).toBe('[INC-42] Disk full on db-1 (2026-03-14)');
    const long = reportTitle(incident({ title: 'x'.repeat(400) }));
    expect(long).toHaveLength(255);
    expect(long.endsWith('… (2026-03-14)')).toBe(true);
  });

  it('summarises locally and deterministically: facts, rule-based cause, action lines', () => {
    const resolved = resolve(incident(), { by: 'U0ALICE01', now: T0 + 30 * 60_000, note: 'Rotated logs' });
    if (!resolved.ok) throw new Error('not resolved');
    const thread = [
      { who: 'U0ALICE01', text: 'looking' },
      { who: 'U0BOB0001', text: 'TODO: alert at 80% disk' },
      { who: 'Hikeshi', text: '👍 Acknowledged' },
    ];
    const sections = summariseLocally(resolved.incident, thread);
    expect(sections).toEqual(summariseLocally(resolved.incident, thread));
    expect(sections.summary).toContain('Disk full on db-1.');
    expect(sections.summary).toContain('3 messages and 2 people took part');
    expect(sections.impact).toContain('Time to resolve: 30 min.');
    expect(sections.rootCause).toBe(
      'Resolution note: Rotated logs\nRule-based guess (not an LLM): Disk full — A filesystem ran out of space (or inodes).',
    );
    expect(sections.followUps[0]).toBe('alert at 80% disk');
  });

  it('counts the people who acted on the incident, though Hikeshi wrote every line of the thread (issue 21)', () => {
    const resolved = resolve(incident({ watchers: ['U0CAROL01'] }), { by: 'U0ALICE01', now: T0 + 60_000 });
    if (!resolved.ok) throw new Error('not resolved');
    const thread = [
      { who: 'Hikeshi', text: '👀 watching' },
      { who: 'Hikeshi', text: '✅ Resolved' },
      { who: 'Hikeshi', text: 'Analysis' },
    ];
    expect(summariseLocally(resolved.incident, thread).summary).toContain(
      '3 messages and 2 people took part',
    );
  });

  it('cuts the agent’s answer at its headings, in any usual spelling', () => {
    const answer = [
      'Here is the report.',
      '## Summary',
      'Disk filled up.',
      '**Impact:**',
      'Writes failed for 30 minutes.',
      '### Root Cause',
      'Logs were not rotated.',
      'Action items:',
      '- [ ] Rotate logs daily',
      '2. Alert at 80%',
    ].join('\n');
    expect(parseReportSections(answer)).toEqual({
      summary: 'Here is the report.\n\nDisk filled up.',
      impact: 'Writes failed for 30 minutes.',
      rootCause: 'Logs were not rotated.',
      followUps: ['Rotate logs daily', 'Alert at 80%'],
    });
    expect(parseReportSections('Just prose.')).toEqual({
      summary: 'Just prose.',
      impact: '',
      rootCause: '',
      followUps: [],
    });
  });

  it('participants: people who acted or spoke, never bots or system actors', () => {
    const watched = { ...incident(), watchers: ['U0CAROL01'], acknowledgedBy: 'U0BOB0001' };
    expect(
      participantIds(watched, [
        { user: 'U0ALICE01' },
        { user: 'U0HIKESHI', botId: 'B1' },
        { user: 'U0BOB0001' },
      ]),
    ).toEqual(['U0BOB0001', 'U0CAROL01', 'U0ALICE01']);
  });

  it('records the report on the incident with a timeline entry', () => {
    const next = attachReport(
      incident(),
      { url: 'https://wiki/p/1', id: '1', version: 2 },
      {
        by: 'U0ALICE01',
        now: T0,
        target: 'Confluence',
      },
    );
    expect(next.report).toEqual({
      url: 'https://wiki/p/1',
      id: '1',
      version: 2,
      publishedAt: new Date(T0).toISOString(),
    });
    expect(next.timeline.at(-1)).toMatchObject({
      kind: 'report',
      text: 'Report version 2 published to Confluence',
    });
    expect(next.version).toBe(incident().version + 1);
  });
});

describe('what the agent is asked', () => {
  it('the facts, the newest thread messages and the question, within InvokeAgent’s limit', () => {
    const thread = Array.from({ length: 40 }, (_, i) => ({
      who: 'U0ALICE01',
      text: `msg ${i} &lt;x&gt; ${'y'.repeat(1500)}`,
    }));
    const input = buildAnalysisInput(incident(), thread, 'why?');
    expect(input.length).toBeLessThanOrEqual(AGENT_INPUT_MAX);
    expect(input).toContain('Incident INC-42 (critical, triggered, seen 1 time)');
    expect(input).toContain('- usage: 100');
    expect(input).toContain('msg 39 <x>');
    expect(input).not.toContain('msg 19 ');
    expect(input.endsWith('Question: why?')).toBe(true);
  });

  it('a mention’s question is its text without the bot tag', () => {
    expect(mentionQuestion('<@U0HIKESHI> what  changed &amp; when?')).toBe('what changed & when?');
  });

  it('a long thread keeps its start and its end, and says how much was left out', () => {
    const thread = Array.from({ length: 1000 }, (_, i) => ({ who: 'U1', text: `message number ${i}` }));
    const transcript = threadTranscript(thread, 5_000);
    expect(transcript.length).toBeLessThanOrEqual(5_000);
    expect(transcript).toContain('[U1] message number 0');
    expect(transcript).toContain('[U1] message number 999');
    expect(transcript).toMatch(/\[… \d+ messages omitted …\]/);
    expect(reportPrompt(incident(), thread).length).toBeLessThanOrEqual(AGENT_INPUT_MAX);
  });
});

describe('the Confluence storage body', () => {
  const doc = {
    incident: incident({ title: 'Disk <full> & "quoted"' }),
    sections: {
      summary: 'Line **one**\nline two\n\n- a\n- b',
      impact: '',
      rootCause: 'See [runbook](https://runbooks.example/disk)',
      followUps: ['Rotate <logs>'],
    },
    participants: [{ id: 'U0BOB0001', name: 'Bob Brown' }, { id: 'U0ALICE01' }],
    threadUrl: 'https://hikeshi-local.slack.com/archives/C1/p1',
    generatedAt: T0,
    summarisedBy: 'agent' as const,
  };

  it('has every section, escaped, with the timeline as a table and the Slack link', () => {
    const body = buildReportStorage(doc);
    expect(body).toContain('<strong>Incident:</strong> INC-42');
    expect(body).toContain('<p>Line <strong>one</strong><br />line two</p>\n<ul><li>a</li><li>b</li></ul>');
    expect(body).toContain('<h2>Impact</h2>\n<p>Unknown.</p>');
    expect(body).toContain(
      '<table><tbody><tr><th>Time</th><th>Event</th><th>What</th><th>Who</th></tr><tr><td>2026-03-14 23:50 UTC</td><td>opened</td><td>Opened from alertmanager (critical)</td><td>alertmanager (automatic)</td></tr></tbody></table>',
    );
    expect(body).toContain('<ul><li>Bob Brown (U0BOB0001)</li><li>U0ALICE01</li></ul>');
    expect(body).toContain('See <a href="https://runbooks.example/disk">runbook</a>');
    expect(body).toContain('<li>Rotate &lt;logs&gt;</li>');
    expect(body).toContain('<p>Phone escalation is not set up, so no calls were recorded.</p>');
    expect(body).toContain('<a href="https://hikeshi-local.slack.com/archives/C1/p1">Slack thread</a>');
    expect(body).not.toContain('<full>');
  });

  it('lists calls when there are some', () => {
    const body = buildReportStorage({
      ...doc,
      calls: [{ at: new Date(T0).toISOString(), responder: 'Alice', outcome: 'answered' }],
    });
    expect(body).toContain('<tr><td>2026-03-14 23:50 UTC</td><td>Alice</td><td>answered</td></tr>');
  });

  it('drops characters XML forbids and links that are not http(s)', () => {
    expect(escapeXml('a\u0000b\u001Fc<')).toBe('abc&lt;');
    expect(textToStorage('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>');
  });
});

describe('Chatwork notices as data', () => {
  it('incident opened: errors and criticals only, kind source/severity', () => {
    expect(shouldNotifyOpened({ severity: 'critical' })).toBe(true);
    expect(shouldNotifyOpened({ severity: 'error' })).toBe(true);
    expect(shouldNotifyOpened({ severity: 'warning' })).toBe(false);
    const notice = incidentOpenedNotice(incident(), new Date(T0));
    expect(notice).toMatchObject({
      kind: 'alertmanager/critical',
      message: 'Disk full on db-1\nNo space left on device',
      details: {
        incident_id: 'INC-42',
        source: 'alertmanager',
        count: 1,
        link: 'https://grafana.example/d/1',
      },
    });
  });

  it('incident opened: the title alone without a message, and a long message clipped', () => {
    expect(incidentOpenedNotice(incident({ message: '  ' }), new Date(T0)).message).toBe('Disk full on db-1');
    const long = incidentOpenedNotice(incident({ message: 'x'.repeat(10_000) }), new Date(T0)).message;
    expect(long).toHaveLength('Disk full on db-1\n'.length + NOTICE_MESSAGE_MAX);
    expect(long.endsWith('x…')).toBe(true);
  });

  it('severity raised: only across the threshold, saying from what', () => {
    expect(shouldNotifyRaised('warning', { severity: 'error' })).toBe(true);
    expect(shouldNotifyRaised('info', { severity: 'critical' })).toBe(true);
    expect(shouldNotifyRaised('error', { severity: 'critical' })).toBe(false);
    expect(shouldNotifyRaised('info', { severity: 'warning' })).toBe(false);
    const notice = incidentRaisedNotice(incident(), 'warning', new Date(T0));
    expect(notice.message).toBe('重大度上昇 warning → critical: Disk full on db-1\nNo space left on device');
    expect(Object.entries(notice.details)).toEqual([
      ['incident_id', 'INC-42'],
      ['source', 'alertmanager'],
      ['previous_severity', 'warning'],
      ['count', 1],
      ['link', 'https://grafana.example/d/1'],
    ]);
  });

  it('integration failures name the function and what it called', () => {
    expect(
      analysisFailedNotice(
        { incidentId: 'INC-1', kind: 'TIMEOUT', message: 'm', agent: { agentId: 'A', agentAliasId: 'B' } },
        new Date(T0),
      ).details,
    ).toEqual({ function_name: 'invokeAgent', agent_id: 'A', agent_alias_id: 'B', incident_id: 'INC-1' });
    expect(
      reportFailedNotice(
        {
          incidentId: 'INC-1',
          reason: 'auth',
          action: 'create page',
          message: 'm',
          target: 'confluence',
          spaceKey: 'OPS',
        },
        new Date(T0),
      ),
    ).toMatchObject({
      kind: 'CONFLUENCE_AUTH',
      details: { function_name: 'publishConfluenceReport', space: 'OPS' },
    });
  });
});
