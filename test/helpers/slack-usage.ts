/**
 * Which Slack Web API methods Hikeshi calls, read from its source: every `<client>.<namespace>.<method>(` call and
 * every `paginate('<method>'` / `apiCall('<method>'` in src/, plus the two Bolt makes itself (auth.test
 * when the app starts, apps.connections.open for Socket Mode). A new call in the code shows up here without anyone
 * keeping a list, which is what the conformance and scope tests need.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const NAMESPACES =
  'apps|auth|bookmarks|bots|chat|conversations|dnd|files|pins|reactions|team|usergroups|users|views';
const CALL = new RegExp(`\\.(${NAMESPACES})\\.([A-Za-z]+(?:\\.[A-Za-z]+)?)\\(`, 'g');
const NAMED = new RegExp(`\\b(?:paginate|apiCall)\\(\\s*'((?:${NAMESPACES})\\.[A-Za-z.]+)'`, 'g');

/** Calls Bolt itself makes: auth.test at start-up, apps.connections.open to open Socket Mode. */
export const BOLT_METHODS = ['auth.test', 'apps.connections.open'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Whether @slack/web-api has the method (`users.includes` on an array named `users` is not one). */
function isWebApiMethod(method: string): boolean {
  let at: unknown = new WebClient();
  for (const part of method.split('.')) at = (at as Record<string, unknown> | undefined)?.[part];
  return typeof at === 'function';
}

/** method → the files that call it. */
export function calledMethods(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (method: string, file: string) => {
    if (isWebApiMethod(method)) found.set(method, [...(found.get(method) ?? []), file]);
  };
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const name = relative(SRC, file);
    for (const match of text.matchAll(CALL)) add(`${match[1]}.${match[2]}`, name);
    for (const match of text.matchAll(NAMED)) if (match[1]) add(match[1], name);
  }
  for (const method of BOLT_METHODS) add(method, '@slack/bolt');
  return found;
}
