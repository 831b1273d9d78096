/**
 * The phone panel, when the host app has one: the calls the app placed through the host's phone, newest first,
 * with the masked number and what the call says. A ringing call offers the keys a responder would press: Accept (1),
 * Decline (2), or letting it ring out (No answer).
 */
import type { UiCall, UiPhone } from '../protocol.js';
import { h, hash, reconcile } from './dom.js';
import { clockOfIso } from './time.js';

export type Answer = 'accept' | 'decline' | 'no_answer';

const STATUS: Record<UiCall['status'], string> = {
  ringing: 'Ringing…',
  accepted: 'Accepted (pressed 1)',
  declined: 'Declined (pressed 2)',
  no_answer: 'No answer',
  failed: 'Call failed',
};

function callCard(
  call: UiCall,
  answer: (id: string, a: Answer) => Promise<void>,
  nameOf: (id: string) => string,
): HTMLElement {
  const callee = call.callee === undefined ? undefined : nameOf(call.callee);
  const ringing = call.status === 'ringing';
  const press = (a: Answer) => (event: Event) => {
    const buttons = (event.currentTarget as HTMLElement).parentElement?.querySelectorAll('button') ?? [];
    for (const b of Array.from(buttons)) b.disabled = true;
    answer(call.id, a).catch(() => {
      for (const b of Array.from(buttons)) b.disabled = false;
    });
  };
  return h(
    'li',
    { class: `call ${call.status}`, 'aria-label': `Call to ${callee ?? call.to}: ${STATUS[call.status]}` },
    h(
      'div',
      { class: 'call-head' },
      h('span', { class: 'call-icon', 'aria-hidden': 'true' }, ringing ? '📳' : '📞'),
      h(
        'span',
        { class: 'call-to' },
        callee === undefined ? undefined : h('span', {}, callee),
        h('span', { class: 'call-number' }, call.to),
      ),
      h('time', { datetime: call.placedAt }, clockOfIso(call.placedAt)),
    ),
    call.subject !== undefined ? h('div', { class: 'call-subject' }, call.subject) : undefined,
    h('blockquote', { class: 'call-message' }, call.message),
    h('div', { class: 'call-status' }, STATUS[call.status]),
    ringing
      ? h(
          'div',
          { class: 'call-actions', role: 'group', 'aria-label': 'Answer the call' },
          h('button', { type: 'button', class: 'btn primary', onclick: press('accept') }, 'Accept (1)'),
          h('button', { type: 'button', class: 'btn danger', onclick: press('decline') }, 'Decline (2)'),
          h('button', { type: 'button', class: 'btn', onclick: press('no_answer') }, 'No answer'),
        )
      : undefined,
  );
}

export function renderPhone(
  container: HTMLElement,
  phone: UiPhone,
  answer: (id: string, a: Answer) => Promise<void>,
  /** A responder's Slack user id → their name. */
  nameOf: (id: string) => string = (id) => id,
): void {
  const ringing = phone.calls.some((c) => c.status === 'ringing');
  container.hidden = false;
  container.classList.toggle('ringing', ringing);
  const title = container.querySelector('h2');
  if (title && title.textContent !== phone.title) title.textContent = phone.title;
  let list = container.querySelector<HTMLElement>('ul.calls');
  let note = container.querySelector<HTMLElement>('p.phone-note');
  if (!list) {
    note = h('p', { class: 'phone-note' });
    list = h('ul', { class: 'calls' });
    container.append(note, list);
  }
  if (note) {
    note.textContent = !phone.available
      ? (phone.reason ?? 'No phone.')
      : phone.calls.length === 0
        ? phone.idleNote
        : '';
  }
  reconcile(
    list,
    phone.calls.map((call) => ({
      key: call.id,
      signature: hash(JSON.stringify(call)),
      render: () => callCard(call, answer, nameOf),
    })),
  );
}
