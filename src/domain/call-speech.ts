/**
 * What the phone says (Amazon Connect text-to-speech, or the local phone panel): plain words, no markup,
 * short enough to hear in one breath. Pure.
 */
import type { Severity } from './alert.js';
import type { PhoneOutcome } from './escalation.js';

const SPOKEN_TITLE_MAX = 200;

/**
 * What the phone says (text-to-speech): plain words, no markup. The id is read as "incident 42" because a
 * synthesiser spells "INC" letter by letter.
 */
export function spokenDescription(incident: { id: string; title: string; severity: Severity }): string {
  const number = /(\d+)$/.exec(incident.id)?.[1];
  const name = number === undefined ? incident.id : `incident ${number}`;
  const title = incident.title
    .replace(/\s+/g, ' ')
    .replace(/[<>{}[\]`*_|]/g, ' ')
    .trim();
  const clipped = title.length > SPOKEN_TITLE_MAX ? `${title.slice(0, SPOKEN_TITLE_MAX - 3)}...` : title;
  return (
    `This is Hikeshi. There is a ${incident.severity} ${name}, not yet acknowledged: ${clipped}. ` +
    'Press 1 to take it. Press 2 if you cannot.'
  );
}

/**
 * Who the chain calls after a decline or no answer: another person, the same one again (a list of one, in its
 * next round), or nobody (the list is exhausted: the channel is alerted instead).
 */
export type NextCall = 'other' | 'same' | 'none';

const THEN: Record<NextCall, string> = {
  other: 'Hikeshi will call the next person.',
  same: 'Hikeshi will call you again shortly.',
  none: 'There is nobody left to call: Hikeshi will alert the channel.',
};

/** What the phone says after the responder's choice. */
export function spokenConfirmation(
  outcome: PhoneOutcome | 'ignored',
  incidentId: string,
  next: NextCall = 'other',
): string {
  const number = /(\d+)$/.exec(incidentId)?.[1];
  const name = number === undefined ? incidentId : `incident ${number}`;
  switch (outcome) {
    case 'accepted':
      return `Thank you. ${name} is now acknowledged by you. Goodbye.`;
    case 'declined':
      return `Understood. ${THEN[next]} Goodbye.`;
    case 'no_answer':
      return `No choice was made. ${THEN[next]} Goodbye.`;
    case 'ignored':
      return `${name} no longer needs you on this call. Thank you. Goodbye.`;
  }
}
