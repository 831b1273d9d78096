/**
 * esbuild plugins that keep the Lambda bundles lean (scripts/build-lambda.ts). Each one removes code a
 * function can never run, and says why; the bundle tests run every handler on the result.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bolt is CommonJS without a `sideEffects` declaration, so esbuild would keep all 1.6 MB of it in any bundle
 * whose import graph merely passes through `src/app.ts`. Bolt does nothing at import time that we rely on,
 * so declaring it side-effect free lets esbuild drop it wherever `buildApp` is unused (every function but
 * `slack`); the build then checks that only `slack` contains it.
 */
export const boltOnlyWhereUsed: Plugin = {
  name: 'bolt-only-where-used',
  setup(build) {
    build.onResolve({ filter: /^@slack\/bolt$/ }, async (args) => {
      if (args.pluginData === 'bolt-only-where-used') return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'bolt-only-where-used',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, sideEffects: false };
    });
  },
};

/**
 * The AWS SDK's generated schemas (`dist-es/schemas/schemas_0.js`) describe every operation of a service, and
 * their objects use computed keys (`{ [_h]: ["PUT", …] }`) that esbuild must assume have side effects, so it
 * keeps all of them: 186 KB of Connect for the one StartOutboundVoiceContact we call. The keys are string
 * constants declared at the top of the same file; writing them as literal keys changes nothing at run time and
 * lets tree shaking drop the operations no one imports (Connect: 201 KB → 19 KB).
 */
export const awsSchemasTreeShakable: Plugin = {
  name: 'aws-schemas-tree-shakable',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const constants = new Map<string, string>();
        for (const match of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) {
          if (match[1] !== undefined && match[2] !== undefined) constants.set(match[1], match[2]);
        }
        const contents = source.replace(/\[(_\w+)\]:/g, (whole, id: string) => {
          const literal = constants.get(id);
          return literal === undefined ? whole : `${literal}:`;
        });
        return { contents, loader: 'js' };
      },
    );
  },
};

/** Module substitutions every bundle gets, each documented in its stand-in file under src/lambda/. */
export const lambdaStandIns: Plugin = {
  name: 'lambda-stand-ins',
  setup(build) {
    const standIns: Record<string, string> = {
      '@aws-sdk/credential-provider-node': join(ROOT, 'src/lambda/env-credentials.ts'),
      'pino-pretty': join(ROOT, 'src/lambda/json-logs.ts'),
    };
    build.onResolve({ filter: /^(@aws-sdk\/credential-provider-node|pino-pretty)$/ }, (args) => {
      const path = standIns[args.path];
      return path === undefined ? undefined : { path };
    });
  },
};

/** Where the modules a function never runs are sent (src/lambda/unavailable.ts explains each). */
export const UNAVAILABLE_MODULE = join(ROOT, 'src/lambda/unavailable.ts');

/**
 * Replaces modules a function never runs with src/lambda/unavailable.ts. `modules` holds package names
 * (`amqplib`) and source files relative to the repository (`src/integrations/confluence.ts`).
 */
export function unavailableModules(modules: readonly string[]): Plugin {
  const packages = modules.filter((m) => !m.startsWith('src/'));
  const files = new Set(modules.filter((m) => m.startsWith('src/')).map((m) => join(ROOT, m)));
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const basenames = [...files].map((f) => escape(f.replace(/^.*[\\/]/, '').replace(/\.ts$/, '')));
  return {
    name: 'unavailable-modules',
    setup(build) {
      if (packages.length > 0) {
        build.onResolve({ filter: new RegExp(`^(${packages.map(escape).join('|')})$`) }, () => ({
          path: UNAVAILABLE_MODULE,
        }));
      }
      if (basenames.length === 0) return;
      build.onResolve({ filter: new RegExp(`[\\/](${basenames.join('|')})\\.js$`) }, async (args) => {
        if (args.pluginData === 'unavailable-modules') return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'unavailable-modules',
        });
        return files.has(resolved.path) ? { path: UNAVAILABLE_MODULE } : undefined;
      });
    },
  };
}

/**
 * zod 4's `z` namespace re-exports every locale (`z.locales`), about 250 KB of error messages in 40 languages,
 * and esbuild cannot tree-shake a namespace object. Hikeshi reports validation errors in English only, so
 * the locales module is reduced to `en`, the one zod installs by default.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

export const LAMBDA_PLUGINS: Plugin[] = [
  boltOnlyWhereUsed,
  awsSchemasTreeShakable,
  lambdaStandIns,
  zodEnglishOnly,
];
