// @ts-check
/**
 * The layers of src/, the Slack emulator's package, and the imports each may make (docs/ARCHITECTURE.md). eslint-plugin-boundaries resolves
 * every import (TypeScript's `.js` specifiers included) and reports one that crosses a layer the wrong way.
 */
import boundaries from 'eslint-plugin-boundaries';

/** Order matters: the first pattern a file matches names its layer (ports before services). */
const layers = [
  // Whole paths (partialMatch: false); `.*` rather than `.ts` because the plugin takes an extension for a file
  // pattern, where it wants file descriptors, and these are single-file layers.
  { type: 'shared', pattern: 'src/{errors,logger}.*', partialMatch: false },
  { type: 'domain', pattern: 'src/domain/**', partialMatch: false },
  { type: 'blocks', pattern: 'src/blocks/**', partialMatch: false },
  { type: 'ports', pattern: 'src/services/ports/**', partialMatch: false },
  { type: 'services', pattern: 'src/services/**', partialMatch: false },
  { type: 'store', pattern: 'src/store/**', partialMatch: false },
  { type: 'integrations', pattern: 'src/integrations/**', partialMatch: false },
  { type: 'listeners', pattern: 'src/listeners/**', partialMatch: false },
  { type: 'ingress', pattern: 'src/ingress/**', partialMatch: false },
  { type: 'config', pattern: 'src/config/**', partialMatch: false },
  // The workspace package any Bolt app can use (packages/slack-emulator, its tests included).
  { type: 'emulator', pattern: 'packages/slack-emulator/**', partialMatch: false },
  // The composition root and the entry points (app.ts, app-*.ts, main.ts, lambda/…) may import anything.
  { type: 'root', pattern: 'src/*.*', partialMatch: false },
  { type: 'root', pattern: 'src/lambda/**', partialMatch: false },
];

/** What each layer may import besides itself. */
const allowed = {
  shared: ['domain'],
  domain: ['shared'],
  blocks: ['domain', 'shared'],
  ports: ['domain', 'blocks', 'shared'],
  store: ['ports', 'domain', 'shared'],
  services: ['ports', 'domain', 'blocks', 'shared'],
  integrations: ['ports', 'domain', 'blocks', 'shared', 'config'],
  listeners: ['services', 'ports', 'blocks', 'domain', 'shared'],
  ingress: ['services', 'ports', 'domain', 'shared'],
  // The table names and their variables (store/tables.ts); secrets read at start (integrations/secrets-manager.ts).
  config: ['domain', 'shared', 'store', 'integrations'],
  // Nothing of Hikeshi; the rule below also refuses the single-file layers (shared, root), which it does not type.
  emulator: [],
  root: layers.map((l) => l.type),
};

export default [
  {
    files: ['src/**/*.ts', 'packages/slack-emulator/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers,
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: '{{from.type}} must not import {{to.type}} (docs/ARCHITECTURE.md)',
          policies: Object.entries(allowed).map(([from, to]) => ({
            from: { element: { type: from } },
            allow: { to: { element: { types: { anyOf: [from, ...to] } } } },
          })),
        },
      ],
    },
  },
  {
    // Every file the emulator imports is its own: an import of any Hikeshi file, typed by a layer or not, is refused.
    files: ['packages/slack-emulator/**/*.ts'],
    rules: { 'boundaries/no-unknown-dependencies': 'error' },
  },
];
