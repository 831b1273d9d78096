/** The page's calls to its server (protocol.ts): the state snapshot, the change stream, and the actions. */
import { UI_API, type UiAction, type UiRequests, type UiResponse, type UiState } from '../protocol.js';

/** The first snapshot of a page load: Slack closes a person's open modals when they reload. */
let loaded = false;

export async function fetchState(user: string): Promise<UiState> {
  const fresh = loaded ? '' : '&fresh=1';
  // Set before the request goes: only the first snapshot of a load closes modals, never a later one.
  loaded = true;
  const response = await fetch(`${UI_API}/state?user=${encodeURIComponent(user)}${fresh}`, {
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`state: HTTP ${response.status}`);
  return (await response.json()) as UiState;
}

/** Posts an action; resolves to the server's detail line, rejects with a message fit to show. */
export async function post<A extends UiAction>(action: A, body: UiRequests[A]): Promise<string | undefined> {
  let response: Response;
  try {
    response = await fetch(`${UI_API}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error('The app is not reachable: is it still running?');
  }
  const result = (await response
    .json()
    .catch(() => ({ ok: false, error: `HTTP ${response.status}` }))) as UiResponse;
  if (!result.ok) throw new Error(result.error);
  return result.detail;
}

/** Calls `onChange` on every change the server pushes, and once after each (re)connection. */
export function subscribe(onChange: () => void, onStatus: (connected: boolean) => void): EventSource {
  const source = new EventSource(`${UI_API}/events`);
  source.addEventListener('change', onChange);
  source.addEventListener('open', () => {
    onStatus(true);
    onChange();
  });
  source.addEventListener('error', () => onStatus(false));
  return source;
}
