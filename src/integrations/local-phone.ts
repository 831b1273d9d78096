/**
 * The local phone: a PhoneCaller for `npm start` without Amazon Connect. Calls are kept in memory (numbers
 * masked) and announced to listeners, so the emulator's phone panel can show them and answer them with
 * Accept / Decline / No answer, each posting the same contact-flow event Connect would. The whole chain,
 * from the first call to "nobody answered", then runs locally. Like Connect, a repeated ClientToken returns
 * the first call's ContactId and rings nothing.
 */
import { randomUUID } from 'node:crypto';
import { maskPhone } from '../domain/phone.js';
import type { CallRequest, PhoneCaller } from '../services/ports/phone-caller.js';

export interface LocalCall {
  contactId: string;
  /** Masked: even the local panel never shows a full number. */
  phone: string;
  attributes: Record<string, string>;
  clientToken: string;
  /** Wall-clock ms when it "rang". */
  at: number;
}

export interface LocalPhone extends PhoneCaller {
  /** Every call placed, oldest first. */
  calls(): LocalCall[];
  /** Called for each new call; returns an unsubscribe function. */
  onCall(listener: (call: LocalCall) => void): () => void;
}

/** Calls kept; older ones are forgotten so a long local run does not grow without bound. */
const MAX_CALLS = 200;

export function createLocalPhone(options: { now?: () => number } = {}): LocalPhone {
  const now = options.now ?? Date.now;
  const calls: LocalCall[] = [];
  const byToken = new Map<string, LocalCall>();
  const listeners = new Set<(call: LocalCall) => void>();
  return {
    kind: 'local',
    startCall(request: CallRequest) {
      const known = byToken.get(request.clientToken);
      if (known !== undefined) return Promise.resolve({ contactId: known.contactId });
      const call: LocalCall = {
        contactId: `local-${randomUUID()}`,
        phone: maskPhone(request.phone),
        attributes: { ...request.attributes },
        clientToken: request.clientToken,
        at: now(),
      };
      calls.push(call);
      byToken.set(call.clientToken, call);
      if (calls.length > MAX_CALLS) {
        const dropped = calls.shift();
        if (dropped !== undefined) byToken.delete(dropped.clientToken);
      }
      for (const listener of listeners) listener(call);
      return Promise.resolve({ contactId: call.contactId });
    },
    calls: () => [...calls],
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
