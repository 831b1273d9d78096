/**
 * The person's top modal in a native <dialog> (focus kept inside, Escape closes, announced as a dialog): its
 * title, blocks and inputs (inputs.ts), Submit and Close. Values are sent keyed by
 * action_id; the app's `response_action: errors` comes back in the state and is shown under each block, and the
 * inputs keep what the person typed.
 */
import type { JsonObject } from '../../types.js';
import type { UiView } from '../protocol.js';
import { renderBlock, textOf, type ElementAction, type RenderContext } from './blocks.js';
import { h, hash } from './dom.js';
import { inputField, type Field } from './inputs.js';

export type EnteredValues = Record<string, string | string[] | null>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ModalHandlers {
  submit(viewId: string, values: EnteredValues): Promise<void>;
  close(viewId: string): Promise<void>;
  click(viewId: string, button: ElementAction): Promise<void>;
}

export function createModalHost(handlers: ModalHandlers): {
  element: HTMLDialogElement;
  update(view: UiView | undefined, ctx: RenderContext): void;
} {
  const dialog = h('dialog', { class: 'modal', 'aria-labelledby': 'modal-title' });
  let current: { id: string; signature: string; fields: Field[]; errors: string } | undefined;

  dialog.addEventListener('cancel', (event) => {
    // Escape: close the modal the way its Close button would, telling the app if it asked.
    event.preventDefault();
    if (current) void handlers.close(current.id).catch(() => undefined);
  });

  const showErrors = (fields: Field[], errors: Record<string, string>) => {
    for (const field of fields) {
      const message = errors[field.blockId] ?? '';
      field.error.textContent = message;
      field.control.setAttribute('aria-invalid', message === '' ? 'false' : 'true');
    }
    fields.find((f) => (errors[f.blockId] ?? '') !== '')?.control.focus();
  };

  const build = (view: UiView, ctx: RenderContext): Field[] => {
    const d = view.definition;
    const fields: Field[] = [];
    const viewCtx: RenderContext = { ...ctx, onButton: (button) => handlers.click(view.id, button) };
    const blocks = (Array.isArray(d['blocks']) ? d['blocks'] : []).filter(isObject).map((block) => {
      if (block['type'] !== 'input' || !isObject(block['element'])) return renderBlock(block, viewCtx);
      const field = inputField(block, block['element'], ctx);
      fields.push(field);
      // Like Slack, a field's error goes away as soon as the person changes the field.
      const clear = () => {
        field.error.textContent = '';
        field.control.setAttribute('aria-invalid', 'false');
      };
      field.control.addEventListener('input', clear);
      field.control.addEventListener('change', clear);
      field.control.setAttribute('aria-describedby', field.error.id);
      return h(
        'div',
        { class: 'input-block' },
        h(
          'label',
          { for: field.control.id, class: 'input-label' },
          textOf(block['label']),
          field.optional ? h('span', { class: 'optional' }, ' (optional)') : undefined,
        ),
        field.control,
        block['hint'] !== undefined ? h('p', { class: 'hint' }, textOf(block['hint'])) : undefined,
        field.error,
      );
    });
    const submitLabel = textOf(d['submit']);
    const form = h(
      'form',
      { method: 'dialog', novalidate: true },
      h(
        'header',
        { class: 'modal-head' },
        h('h2', { id: 'modal-title' }, textOf(d['title'])),
        view.depth > 0 ? h('span', { class: 'hint' }, `${view.depth + 1} modals deep`) : undefined,
      ),
      h('div', { class: 'modal-body' }, blocks),
      h(
        'footer',
        { class: 'modal-foot' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            onclick: () => void handlers.close(view.id).catch(() => undefined),
          },
          textOf(d['close']) || 'Cancel',
        ),
        submitLabel !== '' ? h('button', { type: 'submit', class: 'btn primary' }, submitLabel) : undefined,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const missing = Object.fromEntries(
        fields
          .filter((f) => !f.optional && [null, ''].includes(f.read() as string | null))
          .map((f) => [f.blockId, 'Please complete this required field.']),
      );
      const empty = fields.filter(
        (f) => !f.optional && Array.isArray(f.read()) && (f.read() as string[]).length === 0,
      );
      for (const f of empty) missing[f.blockId] = 'Please complete this required field.';
      if (Object.keys(missing).length > 0) return showErrors(fields, missing);
      const submit = form.querySelector<HTMLButtonElement>('button[type=submit]');
      if (submit) submit.disabled = true;
      handlers
        .submit(view.id, Object.fromEntries(fields.map((f) => [f.actionId, f.read()])))
        .catch(() => undefined)
        .finally(() => {
          if (submit) submit.disabled = false;
        });
    });
    dialog.replaceChildren(form);
    return fields;
  };

  return {
    element: dialog,
    update(view, ctx) {
      if (!view) {
        current = undefined;
        if (dialog.open) dialog.close();
        return;
      }
      const signature = hash(JSON.stringify(view.definition));
      if (!current || current.id !== view.id || current.signature !== signature) {
        current = { id: view.id, signature, fields: build(view, ctx), errors: '{}' };
        if (!dialog.open) dialog.showModal();
        current.fields[0]?.control.focus();
      }
      // Errors from the app replace the page's own "required" hints; a refresh without errors keeps them.
      const errors = JSON.stringify(view.errors ?? {});
      if (view.errors && errors !== current.errors) showErrors(current.fields, view.errors);
      current.errors = errors;
    },
  };
}
