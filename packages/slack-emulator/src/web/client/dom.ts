/**
 * The page's whole "framework": `h()` builds elements (text always goes in as text nodes, never as HTML), and
 * `reconcile()` updates a list in place by key, so a refresh keeps unchanged nodes (their focus, their scroll
 * position) and a screen reader's live region hears only what is new.
 */

type Child = Node | string | false | null | undefined;
type Attrs = Record<string, string | number | boolean | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export interface Keyed {
  key: string;
  /** Changes whenever the item must be drawn again (e.g. the JSON of the message). */
  signature: string;
  render(): HTMLElement;
}

const KEY = 'data-key';
const SIG = 'data-sig';

/** Makes `container`'s children exactly `items`, in order, reusing every node whose key and signature match. */
export function reconcile(container: HTMLElement, items: readonly Keyed[]): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(container.children)) {
    if (child instanceof HTMLElement && child.hasAttribute(KEY))
      existing.set(child.getAttribute(KEY) ?? '', child);
  }
  const wanted = new Set(items.map((i) => i.key));
  for (const [key, node] of existing) if (!wanted.has(key)) node.remove();
  // Invariant: the children before `cursor` are exactly the items handled so far, in order.
  let cursor: Element | null = container.firstElementChild;
  for (const item of items) {
    let node = existing.get(item.key);
    if (node && node.getAttribute(SIG) !== item.signature) {
      const fresh = stamp(item);
      node.replaceWith(fresh);
      if (cursor === node) cursor = fresh;
      node = fresh;
    }
    node ??= stamp(item);
    if (node === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(node, cursor);
  }
}

function stamp(item: Keyed): HTMLElement {
  const node = item.render();
  node.setAttribute(KEY, item.key);
  node.setAttribute(SIG, item.signature);
  return node;
}

/** A cheap, stable hash for signatures (FNV-1a over the string). */
export function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193);
  }
  return (value >>> 0).toString(36);
}

/** Keeps a scrolled-to-the-bottom list at the bottom when content is added, as a chat does. */
export function keepAtBottom(scroller: HTMLElement, update: () => void): void {
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  update();
  if (atBottom) scroller.scrollTop = scroller.scrollHeight;
}
