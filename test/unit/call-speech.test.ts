import { describe, expect, it } from 'vitest';
import { spokenConfirmation } from '../../src/domain/call-speech.js';

describe('what the phone says after a decline or no answer (issue 21)', () => {
  it('names who is called next: another person, the same one again, or nobody', () => {
    expect(spokenConfirmation('no_answer', 'INC-7', 'other')).toBe(
      'No choice was made. Hikeshi will call the next person. Goodbye.',
    );
    expect(spokenConfirmation('declined', 'INC-7', 'same')).toBe(
      'Understood. Hikeshi will call you again shortly. Goodbye.',
    );
    const last = spokenConfirmation('no_answer', 'INC-7', 'none');
    expect(last).toBe(
      'No choice was made. There is nobody left to call: Hikeshi will alert the channel. Goodbye.',
    );
    expect(last).not.toContain('next person');
  });

  it('thanks the one who accepts', () => {
    expect(spokenConfirmation('accepted', 'INC-7')).toBe(
      'Thank you. incident 7 is now acknowledged by you. Goodbye.',
    );
  });
});
