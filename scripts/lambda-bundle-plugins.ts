/**
 * esbuild plugins that keep the Lambda bundles lean (scripts/build-lambda.ts). Each one removes code a
 * function can never run, and says why; the bundle tests run every handler on the result.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OnResolveArgs, Plugin, PluginBuild } from 'esbuild';
import { assertForSonicBoom, http2OnFirstUse, processFromGlobal } from './lambda-node-builtins.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * esbuild's own resolution of `args`, for a plugin that only adjusts the result. The request carries the
 * plugin's name as `pluginData`, so the plugin's onResolve can recognise it and not handle it again.
 */
function resolveNormally(build: PluginBuild, args: OnResolveArgs, plugin: string) {
  return build.resolve(args.path, {
    kind: args.kind,
    importer: args.importer,
    resolveDir: args.resolveDir,
    pluginData: plugin,
  });
}

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
      const resolved = await resolveNormally(build, args, 'bolt-only-where-used');
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

/** Modules with a stand-in of their own instead of src/lambda/unavailable.ts (each file says why). */
const OWN_STAND_INS: Record<string, string> = {
  '@smithy/core/event-streams': join(ROOT, 'src/lambda/unavailable-event-streams.ts'),
  ...Object.fromEntries(
    [
      'src/services/digest-list.ts',
      'src/services/incident-digests.ts',
      'src/integrations/slack-digest-publisher.ts',
      'src/store/digests-repository.ts',
    ].map((file) => [join(ROOT, file), join(ROOT, 'src/lambda/unavailable-digests.ts')]),
  ),
};

/**
 * Replaces modules a function never runs with src/lambda/unavailable.ts (or their own stand-in). `modules`
 * holds package names (`amqplib`) and source files relative to the repository (`src/integrations/confluence.ts`).
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
        build.onResolve({ filter: new RegExp(`^(${packages.map(escape).join('|')})$`) }, (args) => ({
          path: OWN_STAND_INS[args.path] ?? UNAVAILABLE_MODULE,
        }));
      }
      if (basenames.length === 0) return;
      build.onResolve({ filter: new RegExp(`[\\/](${basenames.join('|')})\\.js$`) }, async (args) => {
        if (args.pluginData === 'unavailable-modules') return undefined;
        const resolved = await resolveNormally(build, args, 'unavailable-modules');
        if (!files.has(resolved.path)) return undefined;
        return { path: OWN_STAND_INS[resolved.path] ?? UNAVAILABLE_MODULE };
      });
    },
  };
}

/**
 * pino's optional destinations: `transport()` runs log shipping in a worker thread (thread-stream) and
 * `multistream()` fans lines out to several streams. src/logger.ts uses neither: it writes JSON lines to stdout
 * through `pino.destination`, which Lambda forwards to CloudWatch Logs. pino still requires both at load time
 * (`pino.transport`, `pino.multistream`, and `normalizeArgs` when `options.transport` is set), so they are
 * replaced by functions that fail if they are ever called (about 13 KB with thread-stream).
 */
export const pinoWithoutTransports: Plugin = {
  name: 'pino-without-transports',
  setup(build) {
    build.onResolve({ filter: /^\.\/(lib\/)?(transport|multistream)$/ }, (args) =>
      /[\\/]node_modules[\\/]pino[\\/](lib[\\/])?[^\\/]+\.js$/.test(args.importer)
        ? { path: args.path.replace(/^.*\//, ''), namespace: 'pino-without-transports' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'pino-without-transports' }, (args) => ({
      contents: `module.exports = function ${args.path}() { throw new Error('pino.${args.path} is not bundled in the Lambda functions: they log JSON lines to stdout'); };`,
      loader: 'js',
    }));
  },
};

/**
 * The AWS SDK clients and the Slack packages import their whole package.json (2 KB each: scripts, exports maps,
 * dependency lists) to read `version` (the AWS user agent) and `name` (Slack's). Only those two fields are kept.
 */
export const packageVersionsOnly: Plugin = {
  name: 'package-versions-only',
  setup(build) {
    build.onLoad(
      {
        filter:
          /[\\/]node_modules[\\/](@aws-sdk[\\/][^\\/]+|@slack[\\/][^\\/]+|amqplib)[\\/](dist[\\/])?package\.json$/,
      },
      async (args) => {
        const { name, version } = JSON.parse(await readFile(args.path, 'utf8')) as {
          name?: unknown;
          version?: unknown;
        };
        return { contents: JSON.stringify({ name, version }), loader: 'json' };
      },
    );
  },
};

/**
 * Our own lazily loaded modules that every Lambda cold start loads anyway: the Secrets Manager reader
 * (`await import('../integrations/secrets-manager.js')` in src/config/secrets.ts, so a local run without
 * SECRETS_ID never loads the AWS SDK; every deployed function has SECRETS_ID). Left dynamic, it would be a chunk
 * loaded on the first invocation: the cost of a cold start moved, not saved, and esbuild wraps a dynamically
 * imported module and what it imports in lazy initialisers that tree shaking cannot see into (every Secrets
 * Manager operation's schema and part of the SDK core, about 21 KB). So it is imported statically. Every other
 * `import()` of ours (the iCal feed, …) stays dynamic: a chunk only the invocations that need it load.
 */
const LOADED_BY_EVERY_COLD_START = ['../integrations/secrets-manager.js'];

export const ownModulesImportedStatically: Plugin = {
  name: 'own-modules-imported-statically',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const statics: string[] = [];
      const contents = source.replace(
        /\bawait import\((['"])(\.{1,2}\/[^'"]+)\1\)/g,
        (whole, _quote: string, specifier: string) => {
          if (!LOADED_BY_EVERY_COLD_START.includes(specifier)) return whole;
          const name = `__hikeshiStatic${statics.length}`;
          statics.push(`import * as ${name} from ${JSON.stringify(specifier)};`);
          return name;
        },
      );
      if (statics.length === 0) return undefined;
      return { contents: `${statics.join('\n')}\n${contents}`, loader: 'ts' };
    });
  },
};

/**
 * rate-limiter-flexible's index is a CommonJS barrel that requires all of its limiters (Redis, Mongo, MySQL,
 * Postgres, DynamoDB, Etcd, …: 65 KB), which no bundler can tree-shake. @gitbeaker/requester-utils imports two
 * of them by name (`import { RateLimiterQueue, RateLimiterMemory } from 'rate-limiter-flexible'`), so it gets
 * those two from the barrel's own `./lib/<Name>` modules, the very files the barrel would hand it. An importer
 * that asks for a name the barrel does not require that way keeps the whole barrel.
 */
export const rateLimiterPerClass: Plugin = {
  name: 'rate-limiter-per-class',
  setup(build) {
    build.onResolve({ filter: /^rate-limiter-flexible$/ }, async (args) => {
      if (args.kind !== 'import-statement' || args.pluginData === 'rate-limiter-per-class') return undefined;
      const importer = await readFile(args.importer, 'utf8');
      const imported = /import\s*\{([^}]*)\}\s*from\s*["']rate-limiter-flexible["']/.exec(importer)?.[1];
      const barrel = await resolveNormally(build, args, 'rate-limiter-per-class');
      if (imported === undefined || barrel.errors.length > 0) return undefined;
      const barrelSource = await readFile(barrel.path, 'utf8');
      const modules = new Map(
        [...barrelSource.matchAll(/^const (\w+) = require\('(\.\/lib\/\w+)'\);?$/gm)].map((m) => [
          m[1],
          m[2],
        ]),
      );
      const names = imported
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      if (names.some((name) => !modules.has(name))) return undefined;
      const contents = names
        .map((name) => `export { default as ${name} } from ${JSON.stringify(`${modules.get(name)}.js`)};`)
        .join('\n');
      return {
        path: barrel.path,
        namespace: 'rate-limiter-per-class',
        pluginData: { contents, resolveDir: dirname(barrel.path) },
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'rate-limiter-per-class' }, (args) => {
      const { contents, resolveDir } = args.pluginData as { contents: string; resolveDir: string };
      return { contents, loader: 'js', resolveDir };
    });
  },
};

/**
 * object-inspect (18 KB) formats a value for the message of side-channel's `assert` (qs, in the tasks function's
 * GitLab client); Node's own `util.inspect` does the same job.
 */
export const objectInspectFromNode: Plugin = {
  name: 'object-inspect-from-node',
  setup(build) {
    build.onResolve({ filter: /^object-inspect$/ }, () => ({
      path: 'object-inspect',
      namespace: 'object-inspect-from-node',
    }));
    build.onLoad({ filter: /.*/, namespace: 'object-inspect-from-node' }, () => ({
      contents:
        "const { inspect } = require('node:util');\nmodule.exports = function objectInspect(value) { return inspect(value); };",
      loader: 'js',
    }));
  },
};

/**
 * axios (confluence.js's HTTP client, in the worker) ships three adapters and takes the first the environment
 * supports from `['xhr', 'http', 'fetch']`. confluence.js sets no adapter, and Node has no XMLHttpRequest, so
 * it is always `http`: the browser (xhr) adapter is what axios's own module exports on Node (`false`), and the
 * fetch adapter, after http in the list, is never reached (about 16 KB).
 */
export const axiosHttpAdapterOnly: Plugin = {
  name: 'axios-http-adapter-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/(xhr|fetch)\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]axios[\\/]lib[\\/]adapters[\\/]adapters\.js$/.test(args.importer)
        ? { path: args.path, namespace: 'axios-http-adapter-only' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'axios-http-adapter-only' }, (args) => ({
      contents: args.path === './xhr.js' ? 'export default false;' : 'export const getFetch = () => false;',
      loader: 'js',
    }));
  },
};

export const LAMBDA_PLUGINS: Plugin[] = [
  boltOnlyWhereUsed,
  awsSchemasTreeShakable,
  lambdaStandIns,
  pinoWithoutTransports,
  packageVersionsOnly,
  ownModulesImportedStatically,
  rateLimiterPerClass,
  objectInspectFromNode,
  axiosHttpAdapterOnly,
  http2OnFirstUse,
  processFromGlobal,
  assertForSonicBoom,
];
