/**
 * Chains in the CallStatus table (real dynalite): every step is a conditional write on the phase, attempt
 * and start tries it read, and an item some other writer left is recognised as foreign rather than misread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callStarted,
  startChain,
  beginNextAttempt,
  afterMissedCall,
  DEFAULT_POLICY,
} from '../../src/domain/escalation.js';
import { createChainStore } from '../../src/services/escalation-chains.js';
import { startTestStore, type TestStore } from '../helpers/store.js';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => {
  await store.close();
});

const responders = [
  { userId: 'U0ALICE01', phone: '+819012340001' },
  { userId: 'U0BOB0001', phone: '+819012340002' },
];

describe('chain store', () => {
  it('creates once, then only the writer holding the current phase and attempt wins', async () => {
    const chains = createChainStore({ callStatus: store.callStatus, ttlSeconds: 86_400 });
    const now = store.clock.now();
    const chain = startChain({ incidentId: 'INC-1', responders, rounds: 2, now });
    expect(await chains.create(chain)).toBe(true);
    expect(await chains.create(chain)).toBe(false);
    expect(await chains.load('INC-1')).toEqual(chain);

    const ringing = callStarted(chain, 'c-1', now);
    expect(await chains.replace(chain, ringing)).toBe(true);
    expect(await chains.replace(chain, ringing)).toBe(false); // phase moved on

    const waiting = afterMissedCall(ringing, now, DEFAULT_POLICY);
    expect(await chains.replace(ringing, waiting)).toBe(true);
    expect(await chains.load('INC-1')).toEqual(waiting); // contactId removed, nextAt set
    const second = beginNextAttempt(waiting, now);
    // Same phase, stale attempt: refused.
    expect(await chains.replace({ ...waiting, attempt: 0 }, second)).toBe(false);
    expect(await chains.replace(waiting, second)).toBe(true);
    expect(await chains.load('INC-1')).toMatchObject({ phase: 'calling', attempt: 2, startTries: 1 });
  });

  it('sees an item of another shape as foreign', async () => {
    const chains = createChainStore({ callStatus: store.callStatus, ttlSeconds: 86_400 });
    await store.callStatus.create({ statusId: 'err-42', state: 'calling', index: 0 });
    expect(await chains.load('err-42')).toBe('foreign');
    expect(await chains.load('nothing')).toBeUndefined();
  });

  it('the repository checks attribute conditions', async () => {
    await store.callStatus.create({ statusId: 's1', state: 'a', attempt: 1 });
    expect(
      await store.callStatus.update('s1', { state: 'b' }, { expectedState: 'a', expected: { attempt: 2 } }),
    ).toBe(false);
    expect(
      await store.callStatus.update('s1', { state: 'b' }, { expectedState: 'a', expected: { attempt: 1 } }),
    ).toBe(true);
  });
});
