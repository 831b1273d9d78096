/**
 * Phone escalation in Slack words: the timeline note of each call record, the loud "nobody answered" reply,
 * and `/incident calls`. Phones arrive here already masked (CallRecord.phone); nothing here ever sees a full
 * number. Pure.
 */
import type { CallRecord } from '../domain/call-record.js';
import type { Chain } from '../domain/escalation.js';
import { slotOf } from '../domain/escalation.js';
import { maskPhone } from '../domain/phone.js';
import { actorText, escapeMrkdwn, slackDate, truncate } from './format.js';
import { section, type KnownBlock } from './kit.js';
import { Limits } from './limits.js';
import type { Reply } from './usage.js';

const REASONS: Record<string, string> = {
  acknowledged: 'acknowledged',
  resolved: 'resolved',
  owned: 'someone already owns it',
  accepted: 'accepted on the phone',
  silenced: 'a silence covers it',
};

/**
 * The timeline text of a record (plain: the thread reply escapes it and shows the responder, the entry's
 * actor, in front: "📞 <@U…>: calling +81-***-***-0001 (call 1 of 6, round 1 of 3)").
 */
export function callNoteText(record: CallRecord, chain: Pick<Chain, 'responders' | 'rounds'>): string {
  const total = chain.responders.length * chain.rounds;
  const phone = record.phone ?? 'the phone';
  switch (record.event) {
    case 'started':
      return `calling ${phone} (call ${record.attempt} of ${total}, round ${record.round ?? 1} of ${chain.rounds})`;
    case 'failed':
      return `the call to ${phone} could not be placed (${record.errorKind ?? 'UNKNOWN'}); counted as no answer`;
    case 'accepted':
      return record.late === true ? 'called back in time and took it' : 'took the call';
    case 'declined':
      return 'declined the call';
    case 'no_answer':
      return 'did not answer';
    case 'timeout':
      return 'no answer in time';
    case 'stopped':
      return `phone escalation stopped: ${REASONS[record.detail ?? ''] ?? record.detail ?? 'stopped'}`;
    case 'exhausted':
      return record.detail === 'no_responders'
        ? 'nobody is on call, so nobody was phoned'
        : `nobody answered: ${total} call${total === 1 ? '' : 's'} over ${chain.rounds} round${chain.rounds === 1 ? '' : 's'}; phone escalation ended`;
  }
}

/** The thread reply that wakes the channel when the phone chain gives up. */
export function nobodyAnsweredText(
  incident: { id: string; title: string },
  reason: 'exhausted' | 'no_responders',
): string {
  const what =
    reason === 'no_responders'
      ? `*${incident.id}* is still unacknowledged and nobody is on call to phone (add someone with \`/oncall add\`).`
      : `Nobody answered the phone for *${incident.id}*.`;
  return truncate(
    `<!channel> 🚨 ${what} ${escapeMrkdwn(incident.title)}: can someone take it? Press *Acknowledge* on the message above.`,
    Limits.textObject,
  );
}

const EVENT_WORDS: Record<CallRecord['event'], string> = {
  started: '📞 calling',
  failed: '⚠️ could not call',
  accepted: '✅ accepted',
  declined: '✋ declined',
  no_answer: '🔕 no answer',
  timeout: '⏱️ no answer in time',
  stopped: '⏹️ stopped',
  exhausted: '🚨 nobody answered',
};

function recordLine(record: CallRecord): string {
  const parts = [slackDate(record.at), EVENT_WORDS[record.event]];
  if (record.attempt > 0)
    parts.push(`call ${record.attempt}${record.round === undefined ? '' : ` (round ${record.round})`}`);
  if (record.responderId !== undefined) parts.push(actorText(record.responderId));
  if (record.phone !== undefined) parts.push(record.phone);
  if (record.errorKind !== undefined) parts.push(`\`${record.errorKind}\``);
  if (record.event === 'stopped' && record.detail !== undefined)
    parts.push(escapeMrkdwn(REASONS[record.detail] ?? record.detail));
  if (record.late === true) parts.push('(late)');
  return `• ${parts.join(' · ')}`;
}

/** One line on where the chain stands now. */
export function chainStatusText(chain: Chain): string {
  const slot = slotOf(chain, chain.attempt);
  const who =
    slot === undefined ? 'someone' : `${actorText(slot.responder.userId)} ${maskPhone(slot.responder.phone)}`;
  const of = `call ${chain.attempt} of ${chain.responders.length * chain.rounds}`;
  switch (chain.phase) {
    case 'calling':
      return `Placing ${of}: ${who}.`;
    case 'ringing':
      return `Ringing ${who} (${of}).`;
    case 'retry_wait':
      return `Waiting before the next call (${of} was missed).`;
    case 'accepted':
      return `Accepted by ${actorText(chain.endedBy ?? 'someone')} on the phone.`;
    case 'stopped':
      return `Stopped: ${REASONS[chain.endReason ?? ''] ?? 'stopped'}${chain.endedBy === undefined ? '' : ` by ${actorText(chain.endedBy)}`}.`;
    case 'exhausted':
      return chain.endReason === 'no_responders'
        ? 'Nobody was on call to phone.'
        : 'Nobody answered; the chain has ended.';
  }
}

/** `/incident calls ID`: where the chain stands, then every attempt and outcome, oldest first. */
export function buildCallHistory(input: {
  incidentId: string;
  chain: Chain | undefined;
  records: readonly CallRecord[];
  /** False when no phone is configured (no Connect and not the local emulator). */
  enabled: boolean;
}): Reply {
  const title = `*Phone calls for ${input.incidentId}*`;
  if (input.chain === undefined && input.records.length === 0) {
    const text = input.enabled
      ? `${title}\nNo calls were made.`
      : `${title}\nNo calls were made: phone escalation is not set up (CONNECT_* settings).`;
    return { text, blocks: [section(text)] };
  }
  const status = input.chain === undefined ? undefined : chainStatusText(input.chain);
  const lines = input.records.map(recordLine);
  // Newest lines matter most when the history is too long for one section: keep the tail.
  let body = lines.join('\n');
  if (body.length > Limits.sectionText) {
    const kept: string[] = [];
    let size = 0;
    for (const line of [...lines].reverse()) {
      if (size + line.length + 1 > Limits.sectionText - 40) break;
      kept.unshift(line);
      size += line.length + 1;
    }
    body = [`…${lines.length - kept.length} earlier`, ...kept].join('\n');
  }
  const blocks: KnownBlock[] = [section(status === undefined ? title : `${title}\n${status}`)];
  if (body !== '') blocks.push(section(body));
  return { text: [title, status, body].filter((t) => t !== undefined && t !== '').join('\n'), blocks };
}
