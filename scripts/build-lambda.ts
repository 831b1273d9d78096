/**
 * Builds the Lambda bundles (`npm run build:lambda`, and the first half of `npm run package`): per function of
 * serverless.yml, minified ES modules from its entry src/lambda/<fn>.ts into dist/lambda/<fn>/, with every
 * dependency inside (AWS SDK v3 clients included; dynalite, the local store, is the only thing left out), zipped
 * as dist/lambda/<fn>.zip for `package.artifact`: the entry <fn>.mjs, chunks/*.mjs and oncall.json.
 *
 * Issue 22 judges a function by its cold start, not its size: what Lambda's Init phase does is import the entry,
 * and a `--cpu-prof` of that import showed V8 compiling the module (about a third of it) and evaluating its top
 * level (the rest: our modules, the AWS SDK, pino, zod's schemas, Node's built-ins). So the bundles are split
 * (esbuild `splitting`): what only some invocations need is imported with `import()` where it is used (the
 * Confluence, Bedrock, Connect and Lambda clients, amqplib, the Git comment clients, the iCal writer) and lands in
 * a chunk that the first invocation needing it loads; the entry and the chunks it imports statically are what a
 * cold start compiles (`initOutputs`, "at init" in the table the build prints).
 *
 * Each function carries only what its handler can reach: Bolt only in `slack` (read from esbuild's metafile, so
 * an import that drags Bolt in is caught here, not in a cold start), and the parts of the app only where they run
 * (scripts/lambda-functions.ts: the HTTP routes in `ingress`, job monitoring in `ingress` and `tick`, analyses and
 * reports in `worker`, …), each replaced by a stand-in that fails if called. Enforced here (the build fails): every
 * zip ≤ 1 MB, Bolt only where allowed, no local-only module. The cold-start budget is B6's
 * (bench/b6-lambda-bundles.ts, a ratio to a hello-world Bolt function's import; it exits 1 when missed): a
 * ratio of two timings, too noisy on a shared 2-core machine for a test (docs/BENCHMARKS.md, B6).
 * Sizes on 2026-12-08 (KB, at init / all / zip): slack 1,050 / 1,115 / 343, ingress 735 / 973 / 293, worker 578 /
 * 846 / 269, tick 666 / 718 / 231, tasks 527 / 753 / 230, connectFlow 533 / 585 / 186, logs 552 / 617 / 194. What
 * every function loads at init is about 450 KB: the AWS SDK core with DynamoDB and Secrets Manager, our own core
 * (config, store, incidents, escalation, Slack publishing), the Slack Web API client, pino and zod mini; then
 * where schedules run (slack, ingress, tick; issue 18) temporal-polyfill (54) with the schedule code, croner
 * (ingress, tick; 32), libphonenumber-js (slack, 118). The size tricks are in scripts/lambda-bundle-plugins.ts. The
 * YAML of ONCALL_CONFIG is read here, at package time, into the `oncall.json` each zip carries, so no function
 * carries the yaml package (115 KB).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { LAMBDA_PLUGINS, unavailableModules } from './lambda-bundle-plugins.js';
import {
  LAMBDA_FUNCTION_NAMES,
  LAMBDA_FUNCTIONS,
  NO_FUNCTION_RUNS,
  type LambdaFunction,
} from './lambda-functions.js';
import { hasZipCli, zipFiles } from './zip.js';
import { parse as parseYaml } from 'yaml';
import { loadOncallConfig } from '../src/config/oncall/load.js';

/** The name of the on-call configuration in every zip; serverless.yml sets ONCALL_CONFIG to it. */
export const ONCALL_JSON = 'oncall.json';

/**
 * The ONCALL_CONFIG file as the JSON the functions read: validated first (the package fails with every problem,
 * as a server's start-up would), then its document as it is, so the functions validate the very same values.
 */
export async function packagedOncallConfig(file: string | undefined): Promise<string> {
  if (file === undefined || file.trim() === '') return '{}\n';
  const result = await loadOncallConfig(file);
  if (!result.ok) throw result.error;
  const text = await readFile(file, 'utf8');
  return `${JSON.stringify(parseYaml(text, { maxAliasCount: 100 }) ?? {})}\n`;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export {
  BOLT_SERVER_RECEIVERS,
  LAMBDA_FUNCTION_NAMES,
  LAMBDA_FUNCTIONS,
  type LambdaFunction,
} from './lambda-functions.js';

export const ZIP_LIMIT_BYTES = 1024 * 1024;

/** Modules no bundle may contain: the local store and the local-only tools. */
const FORBIDDEN_INPUTS: { pattern: RegExp; why: string }[] = [
  { pattern: /node_modules[\\/]dynalite[\\/]/, why: 'dynalite is the local store' },
  { pattern: /node_modules[\\/]pino-pretty[\\/]/, why: 'Lambda logs are JSON' },
  // The workspace package, by its real path (esbuild follows the node_modules link) or by its link.
  {
    pattern: /(^|[\\/])(packages[\\/]slack-emulator|@hikeshi[\\/]slack-emulator)[\\/]/,
    why: 'the Slack emulator is local only',
  },
];

export interface BundleReport {
  fn: LambdaFunction;
  /** The function's directory: exactly what its zip holds. */
  dir: string;
  /** The entry module, `<dir>/<fn>.mjs` (the handler serverless.yml names). */
  bundlePath: string;
  zipPath: string;
  /** Every module of the function, lazily imported chunks included. */
  bundleBytes: number;
  /** What a cold start's import compiles: the entry and the chunks it imports statically. */
  initBytes: number;
  /** The chunks loaded only by the invocations that need them (dynamic `import()`), by size. */
  lazyChunks: { path: string; bytes: number }[];
  zipBytes: number;
  hasBolt: boolean;
  /** Budget or content rules this function breaks; empty when it is fine. */
  problems: string[];
}

export interface BuildLambdaOptions {
  /** Default dist/lambda. */
  outDir?: string;
  /**
   * The ONCALL_CONFIG YAML file to package (as `oncall.json`, validated). Default: none, i.e. an empty
   * configuration (`npm run build:lambda` passes the ONCALL_CONFIG of its environment).
   */
  oncallConfig?: string | undefined;
  /** Zip with the `zip` CLI when installed (default), or always with the built-in writer. */
  zipWith?: 'auto' | 'node';
  /** Source maps beside the modules (not zipped), for profiling a cold start (`--cpu-prof`). Default false. */
  sourcemap?: boolean;
}

function packageOf(input: string): string {
  const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input);
  return match?.[1] ?? 'src';
}

/** The inputs that made it into `outputs` (`metafile.inputs` also lists what tree shaking dropped), bytes each. */
function bytesByInput(metafile: Metafile, outputs: readonly string[]): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const output of outputs) {
    for (const [input, info] of Object.entries(metafile.outputs[output]?.inputs ?? {})) {
      if (info.bytesInOutput > 0) bytes.set(input, (bytes.get(input) ?? 0) + info.bytesInOutput);
    }
  }
  return bytes;
}

/**
 * The outputs a cold start loads: the entry and, transitively, what it imports statically. A chunk reached only
 * through `import()` loads when an invocation first needs it.
 */
export function initOutputs(metafile: Metafile): string[] {
  const entry = Object.keys(metafile.outputs).find((o) => metafile.outputs[o]?.entryPoint !== undefined);
  const loaded = new Set<string>(entry === undefined ? [] : [entry]);
  for (const output of loaded) {
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.path in metafile.outputs)
        loaded.add(imported.path);
    }
  }
  return [...loaded];
}

const jsOutputs = (metafile: Metafile) => Object.keys(metafile.outputs).filter((o) => o.endsWith('.mjs'));

/** The biggest contributors to what a cold start loads, by package, for the size report. */
export function largestPackages(metafile: Metafile, top = 5): [string, number][] {
  const bytes = new Map<string, number>();
  for (const [input, size] of bytesByInput(metafile, initOutputs(metafile))) {
    const name = packageOf(input);
    bytes.set(name, (bytes.get(name) ?? 0) + size);
  }
  return [...bytes.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
}

export async function buildLambdaBundles(options: BuildLambdaOptions = {}): Promise<{
  reports: BundleReport[];
  metafiles: Record<LambdaFunction, Metafile>;
  zippedWith: 'zip-cli' | 'node';
}> {
  const outDir = options.outDir ?? join(ROOT, 'dist/lambda');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const built = await Promise.all(
    LAMBDA_FUNCTION_NAMES.map((fn) => bundle(fn, join(outDir, fn), options.sourcemap ?? false)),
  );
  const metafiles = Object.fromEntries(LAMBDA_FUNCTION_NAMES.map((fn, i) => [fn, built[i]])) as Record<
    LambdaFunction,
    Metafile
  >;

  const oncallJson = await packagedOncallConfig(options.oncallConfig);
  const useCli = options.zipWith !== 'node' && (await hasZipCli());
  const reports: BundleReport[] = [];
  for (const fn of LAMBDA_FUNCTION_NAMES) {
    const metafile = metafiles[fn];
    const dir = join(outDir, fn);
    const sizeOf = (output: string) => metafile.outputs[output]?.bytes ?? 0;
    const modules = jsOutputs(metafile);
    const atInit = initOutputs(metafile);
    await writeFile(join(dir, ONCALL_JSON), oncallJson);
    const files = [...modules.map((output) => relative(dir, join(ROOT, output))), ONCALL_JSON];
    const zipPath = join(outDir, `${fn}.zip`);
    await zipFiles(zipPath, dir, files, useCli);
    const zipBytes = (await readFile(zipPath)).length;
    const inputs = [...bytesByInput(metafile, modules).keys()];
    const hasBolt = inputs.some((input) => /node_modules[\\/]@slack[\\/]bolt[\\/]/.test(input));

    const problems: string[] = [];
    if (zipBytes > ZIP_LIMIT_BYTES) problems.push(`zip is ${kb(zipBytes)}, over ${kb(ZIP_LIMIT_BYTES)}`);
    if (hasBolt && !LAMBDA_FUNCTIONS[fn].bolt) problems.push('contains Bolt');
    for (const { pattern, why } of FORBIDDEN_INPUTS) {
      const found = inputs.find((input) => pattern.test(input));
      if (found !== undefined) problems.push(`contains ${found} (${why})`);
    }
    reports.push({
      fn,
      dir,
      bundlePath: join(dir, `${fn}.mjs`),
      zipPath,
      bundleBytes: modules.reduce((sum, output) => sum + sizeOf(output), 0),
      initBytes: atInit.reduce((sum, output) => sum + sizeOf(output), 0),
      lazyChunks: modules
        .filter((output) => !atInit.includes(output))
        .map((output) => ({ path: relative(dir, join(ROOT, output)), bytes: sizeOf(output) }))
        .sort((a, b) => b.bytes - a.bytes),
      zipBytes,
      hasBolt,
      problems,
    });
  }
  return { reports, metafiles, zippedWith: useCli ? 'zip-cli' : 'node' };
}

/**
 * The esbuild options every bundle is built with (bench/b6-lambda-bundles.ts builds its hello-world Bolt with the
 * same, so the two compare): one minified ES module for Node 22.
 */
export const BUNDLE_OPTIONS: BuildOptions = {
  absWorkingDir: ROOT,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Bundled CommonJS (amqplib, …) calls require() for Node's built-ins; an ES module has no require.
  banner: {
    js: "import { createRequire as __hikeshiCreateRequire } from 'node:module'; const require = __hikeshiCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
};

/** ES module builds first: the AWS SDK's dist-es tree-shakes, its dist-cjs does not (about 40 % smaller). */
export const MODULE_FIRST = ['module', 'main'];

/**
 * One function: its entry `<dir>/<fn>.mjs` and, under `<dir>/chunks/`, the modules it imports with `import()`
 * (splitting), so that a cold start compiles only what every invocation needs (`initOutputs`).
 */
async function bundle(fn: LambdaFunction, dir: string, sourcemap: boolean): Promise<Metafile> {
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: { [fn]: `src/lambda/${fn}.ts` },
    outdir: dir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    mainFields: MODULE_FIRST,
    // Only the embedded store's dynamic import; never reached on Lambda (STORE=dynamodb).
    external: ['dynalite'],
    sourcemap: sourcemap ? 'external' : false,
    metafile: true,
    plugins: [...LAMBDA_PLUGINS, unavailableModules([...NO_FUNCTION_RUNS, ...LAMBDA_FUNCTIONS[fn].without])],
  });
  return result.metafile;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** The size table the build prints: what a cold start loads, all the modules, the zip, the lazy chunks. */
export function formatReports(
  reports: readonly BundleReport[],
  metafiles: Record<LambdaFunction, Metafile>,
): string {
  const lines = reports.map((r) => {
    const largest = largestPackages(metafiles[r.fn], 4)
      .map(([name, bytes]) => `${name} ${kb(bytes)}`)
      .join(', ');
    const lazy = r.lazyChunks.map((c) => `${c.path.replace(/^chunks[\\/]/, '')} ${kb(c.bytes)}`).join(', ');
    const status = r.problems.length === 0 ? 'ok' : `FAIL: ${r.problems.join('; ')}`;
    return [
      `${r.fn.padEnd(12)} ${kb(r.initBytes).padStart(10)} ${kb(r.bundleBytes).padStart(10)} ${kb(r.zipBytes).padStart(10)}  ${r.hasBolt ? 'Bolt' : '    '}  ${status}`,
      `${' '.repeat(13)}at init, largest: ${largest}`,
      ...(lazy === '' ? [] : [`${' '.repeat(13)}lazy: ${lazy}`]),
    ].join('\n');
  });
  const head = `${'function'.padEnd(12)} ${'at init'.padStart(10)} ${'all'.padStart(10)} ${'zip'.padStart(10)}`;
  return [head, ...lines].join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const { reports, metafiles, zippedWith } = await buildLambdaBundles({
    oncallConfig: process.env['ONCALL_CONFIG'],
  }).catch((error: unknown) => {
    // An invalid ONCALL_CONFIG: its problems, one per line, as a server's start-up would print them.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  process.stdout.write(`${formatReports(reports, metafiles)}\n`);
  process.stdout.write(
    `built ${reports.length} bundles in ${Date.now() - started} ms (zipped with ${zippedWith}) into ${relative(ROOT, dirname(reports[0]?.zipPath ?? ''))}\n`,
  );
  const failed = reports.filter((r) => r.problems.length > 0);
  if (failed.length > 0) {
    process.stderr.write(
      `Lambda package rules broken: ${failed.map((r) => `${r.fn} (${r.problems.join('; ')})`).join(', ')}\n`,
    );
    process.exit(1);
  }
}
