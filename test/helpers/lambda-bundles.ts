/**
 * Loading the built Lambda bundles (scripts/build-lambda.ts) in-process, the way the Node.js runtime loads them:
 * Node's own ES module loader (not Vite's transform, which would rewrite the minified bundle), one module
 * instance per "container". A query string on the file URL gives a fresh instance, with its own cached app.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

let containers = 0;

/** Imports `<dir>/<fn>.mjs` as a new container; returns its handler and how long the import took. */
export async function loadBundle(dir: string, fn: string): Promise<{ handler: Handler; importMs: number }> {
  containers += 1;
  const started = performance.now();
  // Vitest hands `.mjs` files to Node's own loader (they are never transformed), query string included.
  const url = `${pathToFileURL(join(dir, fn, `${fn}.mjs`)).href}?container=${containers}`;
  const module = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  const importMs = performance.now() - started;
  const handler = module['handler'];
  if (typeof handler !== 'function') throw new Error(`${fn}.mjs exports no handler`);
  return { handler: handler as Handler, importMs };
}

/** Sets environment variables; the returned function puts the previous values back. */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(values)) {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
}
