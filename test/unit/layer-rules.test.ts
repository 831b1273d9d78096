/**
 * The layer rules (eslint.boundaries.js, docs/ARCHITECTURE.md) are part of `npm run lint`: a deliberately bad
 * import in a source file is reported, naming both layers; an allowed one is not.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

const BOUNDARY_RULES = new Set(['boundaries/dependencies', 'boundaries/no-unknown-dependencies']);

async function layerProblems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => BOUNDARY_RULES.has(m.ruleId ?? '')).map((m) => m.message);
}

describe('layer rules in the lint', () => {
  it('refuses a domain module that imports the store', async () => {
    const problems = await layerProblems(
      'src/domain/bad-import.ts',
      "import { TABLE_IDS } from '../store/tables.js';\nexport const ids = TABLE_IDS;\n",
    );
    expect(problems).toEqual(['domain must not import store (docs/ARCHITECTURE.md)']);
  });

  it('refuses a service that imports a concrete repository, and a listener that imports an integration', async () => {
    expect(
      await layerProblems(
        'src/services/bad-import.ts',
        "import type { Store } from '../store/index.js';\nexport type S = Store;\n",
      ),
    ).toEqual(['services must not import store (docs/ARCHITECTURE.md)']);
    expect(
      await layerProblems(
        'src/listeners/bad-import.ts',
        "import { createSlackThread } from '../integrations/slack-thread.js';\nexport const t = createSlackThread;\n",
      ),
    ).toEqual(['listeners must not import integrations (docs/ARCHITECTURE.md)']);
  });

  it('refuses the composition root below it, and lets the shared logger and errors go everywhere', async () => {
    // The root and the shared modules are single files at the top of src/, classified as files, not folders.
    expect(
      await layerProblems(
        'src/domain/bad-import.ts',
        "import { buildApp } from '../app.js';\nexport const b = buildApp;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layerProblems(
        'src/services/bad-import.ts',
        "import { runClusterPrimary } from '../cluster-primary.js';\nexport const r = runClusterPrimary;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layerProblems(
        'src/logger-helper.ts',
        "import { AppError } from './errors.js';\nimport { createLogger } from './logger.js';\nexport const l = [AppError, createLogger];\n",
      ),
    ).toEqual([]);
    expect(
      await layerProblems(
        'src/domain/good-import.ts',
        "import { AppError } from '../errors.js';\nexport const e = AppError;\n",
      ),
    ).toEqual([]);
  });

  it('lets a service import a port and the domain', async () => {
    expect(
      await layerProblems(
        'src/services/good-import.ts',
        "import type { Notifier } from './ports/notifier.js';\nimport type { Incident } from '../domain/incident.js';\nexport type N = [Notifier, Incident];\n",
      ),
    ).toEqual([]);
  });

  it('keeps the Slack emulator package free of Hikeshi, and only the composition root imports it', async () => {
    expect(
      await layerProblems(
        'packages/slack-emulator/src/bad-import.ts',
        "import type { Clock } from '../../../src/domain/clock.js';\nexport type C = Clock;\n",
      ),
    ).toEqual(['emulator must not import domain (docs/ARCHITECTURE.md)']);
    expect(
      await layerProblems(
        'packages/slack-emulator/test/bad-import.ts',
        "import { createLogger } from '../../../src/logger.js';\nexport const l = createLogger;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layerProblems(
        'src/listeners/bad-import.ts',
        "import { startSlackEmulator } from '@hikeshi/slack-emulator';\nexport const s = startSlackEmulator;\n",
      ),
    ).toEqual(['listeners must not import emulator (docs/ARCHITECTURE.md)']);
    expect(
      await layerProblems(
        'src/main-good-import.ts',
        "import { startSlackEmulator } from '@hikeshi/slack-emulator';\nexport const s = startSlackEmulator;\n",
      ),
    ).toEqual([]);
  });
});
