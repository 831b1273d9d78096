// @ts-check
/**
 * The layers of src/, the Slack emulator's package, and the imports each may make (docs/ARCHITECTURE.md). eslint-plugin-boundaries resolves
 * every import (TypeScript's `.js` specifiers included) and reports one that crosses a layer the wrong way.
 */
import boundaries from 'eslint-plugin-boundaries';

/** Order matters: the first pattern a file matches names its layer (ports before services). */
const layers = [
  // Whole paths (partialMatch: false).
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
  // The Lambda entry points may import anything, as the composition root does (below).
  { type: 'root', pattern: 'src/lambda/**', partialMatch: false },
];

/**
 * Single files are classified as files, not elements: the plugin matches element patterns against folders, so a
 * file pattern among the elements never matched, and nothing stopped a domain module from importing app.ts. These
 * are the shared errors and logger, and the composition root with the entry points at the top of src/ (app.ts,
 * app-*.ts, main.ts, cluster-*.ts, …).
 */
const files = [
  { category: 'shared', pattern: 'src/{errors,logger}.ts' },
  { category: 'root', pattern: 'src/*.ts' },
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
  root: [],
};

/** The file categories among the layers (the rest are elements). */
const FILE_LAYERS = new Set(files.map((f) => f.category));
const ELEMENT_TYPES = layers.map((l) => l.type);

/** A layer as selectors: an element type, a file category, or both (`root`: the Lambda folder and src/*.ts). */
function sides(layer) {
  const out = [];
  if (ELEMENT_TYPES.includes(layer)) out.push({ element: { type: layer } });
  if (FILE_LAYERS.has(layer)) out.push({ file: { categories: layer } });
  return out;
}

/** Allows `from` (a layer) to import `to` (layers) and itself. */
function allow(from, to) {
  return sides(from).flatMap((source) =>
    [from, ...to].flatMap(sides).map((target) => ({ from: source, allow: { to: target } })),
  );
}

const policies = [
  ...Object.entries(allowed).flatMap(([from, to]) => allow(from, to)),
  // The composition root (its files and the Lambda entry points) builds everything.
  ...allow('root', ['shared', ...ELEMENT_TYPES]),
];

export default [
  {
    files: ['src/**/*.ts', 'packages/slack-emulator/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers,
      'boundaries/files': files,
      'boundaries/files-single-match': true,
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: '{{from.type}} must not import {{to.type}} (docs/ARCHITECTURE.md)',
          policies,
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
