import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildWebBundle, WEB_BUNDLE } from '../../scripts/build-web.js';

describe('emulator page: the committed bundle', () => {
  it('is what `npm run build:web` builds from src/web/client today', async () => {
    const committed = await readFile(new URL(`../../${WEB_BUNDLE}`, import.meta.url), 'utf8');
    // Not toBe: a diff of a 45 kB file helps nobody; the message says what to do.
    expect(committed === (await buildWebBundle()), 'stale bundle: run `npm run build:web`').toBe(true);
  });
});
