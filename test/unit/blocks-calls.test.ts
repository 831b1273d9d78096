import { describe, expect, it } from 'vitest';
import { buildCallHistory, callNoteText, nobodyAnsweredText } from '../../src/blocks/calls.js';
import { findBlockKitViolations } from '../../src/blocks/limits.js';
import type { CallRecord } from '../../src/domain/call-record.js';
import { callStarted, startChain } from '../../src/domain/escalation.js';

const T0 = Date.UTC(2026, 0, 1);
const chain = startChain({
  incidentId: 'INC-3',
  responders: [
    { userId: 'U0ALICE01', phone: '+819012340001' },
    { userId: 'U0BOB0001', phone: '+819012340002' },
  ],
  rounds: 3,
  now: T0,
});
const at = new Date(T0).toISOString();
const started: CallRecord = {
  at,
  event: 'started',
  attempt: 1,
  round: 1,
  responderId: 'U0ALICE01',
  phone: '+81-***-***-0001',
  contactId: 'c1',
};

describe('call history in Slack', () => {
  it('writes one timeline note per record', () => {
    expect(callNoteText(started, chain)).toBe('calling +81-***-***-0001 (call 1 of 6, round 1 of 3)');
    expect(callNoteText({ ...started, event: 'failed', errorKind: 'INVALID_NUMBER' }, chain)).toContain(
      'INVALID_NUMBER',
    );
    expect(callNoteText({ at, event: 'exhausted', attempt: 0, detail: 'exhausted' }, chain)).toBe(
      'nobody answered: 6 calls over 3 rounds; phone escalation ended',
    );
    expect(callNoteText({ at, event: 'stopped', attempt: 2, detail: 'acknowledged' }, chain)).toBe(
      'phone escalation stopped: acknowledged',
    );
  });

  it('wakes the channel, escaping the title', () => {
    const text = nobodyAnsweredText({ id: 'INC-3', title: 'DB <!here> down' }, 'exhausted');
    expect(text.startsWith('<!channel> 🚨 Nobody answered the phone for *INC-3*.')).toBe(true);
    expect(text).toContain('DB &lt;!here&gt; down');
  });

  it('/incident calls: status and every record, masked, within Block Kit limits', () => {
    const records: CallRecord[] = Array.from({ length: 200 }, (_, i) => ({ ...started, attempt: i + 1 }));
    const reply = buildCallHistory({
      incidentId: 'INC-3',
      chain: callStarted(chain, 'c1', T0),
      records,
      enabled: true,
    });
    expect(reply.text).toContain('Ringing <@U0ALICE01> +81-***-***-0001 (call 1 of 6)');
    expect(reply.text).toContain('earlier');
    expect(JSON.stringify(reply)).not.toContain('9012340001');
    expect(findBlockKitViolations({ kind: 'message', text: reply.text, blocks: reply.blocks })).toEqual([]);
    expect(
      buildCallHistory({ incidentId: 'INC-3', chain: undefined, records: [], enabled: false }).text,
    ).toContain('not set up');
  });
});
