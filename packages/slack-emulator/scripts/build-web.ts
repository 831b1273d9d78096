/**
 * Builds the emulator page's script (`npm run build:web`): src/web/client → src/web/dist/app.js,
 * one ES module, readable (not minified) so a curious newcomer can read what runs. The bundle is committed, so
 * `npm start` serves it with nothing to build on a user's machine; test/unit/web-bundle.test.ts fails
 * when it is older than its sources.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_ENTRY = 'src/web/client/main.ts';
export const WEB_BUNDLE = 'src/web/dist/app.js';

export async function buildWebBundle(): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [WEB_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    banner: { js: '// Built from src/web/client by `npm run build:web`. Do not edit.' },
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no output');
  return output.text;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bundle = await buildWebBundle();
  await mkdir(join(ROOT, dirname(WEB_BUNDLE)), { recursive: true });
  await writeFile(join(ROOT, WEB_BUNDLE), bundle);
  process.stdout.write(`${WEB_BUNDLE}: ${Buffer.byteLength(bundle)} bytes\n`);
}
