/**
 * The emulator page's phone panel over the local phone (src/integrations/local-phone.ts): the page plays the
 * part of the Amazon Connect contact flow. When a call rings it asks the app what to say (`describe`), and
 * Accept / Decline / No answer post the digit (`response`: "1", "2", "timeout"), both as Connect's contact-flow
 * event to the app's public `POST /api/connect/contact-flow` with the callback token, so the path is the real one.
 */
import { contactFlowEvent, CallAttributes } from './domain/contact-flow.js';
import type { PhonePanel, UiCall } from '@hikeshi/slack-emulator/web';
import { CONTACT_FLOW_PATH } from './ingress/routes/connect.js';
import type { LocalCall, LocalPhone } from './integrations/local-phone.js';
import type { Logger } from './logger.js';

const DIGITS = { accept: '1', decline: '2', no_answer: 'timeout' } as const;
const STATUS = { accept: 'accepted', decline: 'declined', no_answer: 'no_answer' } as const;

interface CallState {
  status: UiCall['status'];
  message?: string;
}

export function createLocalPhonePanel(input: {
  phone: LocalPhone;
  appUrl: () => string;
  /** CONNECT_CALLBACK_TOKEN, or the local default. */
  token: string;
  logger: Logger;
  fetch?: typeof fetch;
}): PhonePanel & { close(): void } {
  const doFetch = input.fetch ?? fetch;
  const states = new Map<string, CallState>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };

  const contactFlow = async (call: LocalCall, action: 'describe' | 'response', response?: string) => {
    const event = contactFlowEvent({
      contactId: call.contactId,
      attributes: call.attributes,
      action,
      ...(response === undefined ? {} : { response }),
    });
    const reply = await doFetch(new URL(CONTACT_FLOW_PATH, input.appUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${input.token}` },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await reply.text();
    if (!reply.ok)
      throw new Error(`POST ${CONTACT_FLOW_PATH} answered ${reply.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, string>;
  };

  const unsubscribe = input.phone.onCall((call) => {
    states.set(call.contactId, { status: 'ringing' });
    notify();
    // What the contact flow would read out once the responder picks up.
    contactFlow(call, 'describe')
      .then((result) => {
        const state = states.get(call.contactId);
        if (state && result['message'] !== undefined) state.message = result['message'];
        notify();
      })
      .catch((error: unknown) => input.logger.warn({ err: error }, 'phone panel: describe failed'));
  });

  const find = (id: string) => input.phone.calls().find((c) => c.contactId === id);

  return {
    calls: () =>
      input.phone.calls().map((call): UiCall => {
        const state = states.get(call.contactId) ?? { status: 'ringing' };
        const a = call.attributes;
        const incidentId = a[CallAttributes.incidentId];
        const responder = a[CallAttributes.responderId];
        const title = a[CallAttributes.title];
        return {
          id: call.contactId,
          to: call.phone,
          message: state.message ?? `Incident ${incidentId ?? ''}: ${title ?? ''}`.trim(),
          status: state.status,
          placedAt: new Date(call.at).toISOString(),
          ...(responder === undefined ? {} : { callee: responder }),
          ...(incidentId === undefined ? {} : { subject: incidentId }),
        };
      }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async answer(callId, answer) {
      const call = find(callId);
      if (!call) throw new Error(`no call ${callId}`);
      const state = states.get(callId) ?? { status: 'ringing' };
      if (state.status !== 'ringing') throw new Error('this call is over');
      const result = await contactFlow(call, 'response', DIGITS[answer]);
      states.set(callId, { ...state, status: STATUS[answer] });
      notify();
      return result['message'] ?? `The contact flow answered ${result['result'] ?? 'nothing'}`;
    },
    close() {
      unsubscribe();
      listeners.clear();
    },
  };
}
