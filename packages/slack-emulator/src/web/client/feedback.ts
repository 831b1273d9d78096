/** Element lookup, and the toasts that tell the person what their action did (or why it failed). */
import { h } from './dom.js';

export const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
};

export function toast(text: string, kind: 'info' | 'error' = 'info'): void {
  const item = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : undefined }, text);
  $('toasts').appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? 10_000 : 5_000);
}

/** Runs an action; a failure is shown (and rethrown, so the caller can re-enable its button). */
export async function act(run: () => Promise<string | undefined>): Promise<void> {
  try {
    const detail = await run();
    if (detail !== undefined) toast(detail);
  } catch (error) {
    toast(error instanceof Error ? error.message : String(error), 'error');
    throw error;
  }
}
