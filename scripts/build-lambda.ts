/**
 * Builds the Lambda bundles (`npm run build:lambda`, and the first half of `npm run package`): one minified ES
 * module per function of serverless.yml, from its entry src/lambda/<fn>.ts, with every dependency inside (AWS
 * SDK v3 clients included; dynalite, the local store, is the only thing left out), zipped as
 * dist/lambda/<fn>.zip for `package.artifact`.
 *
 * Each function carries only what its handler can reach: Bolt only in `slack` (read from esbuild's metafile, so
 * an import that drags Bolt in is caught here, not in a cold start), the heavy adapters only where they run
 * (Confluence and Bedrock in the worker, the Git comment clients in `tasks`, the AMQP client in `ingress`), and
 * the parts of the app only where they run (`without` below: the HTTP routes in `ingress`, job monitoring in
 * `ingress` and `tick`, analyses and reports in `worker`, …), each replaced by a stand-in that fails if called.
 * src/app.ts stays the one composition root: it wires everything, and the bundles swap out what a function
 * never runs. Budgets, enforced (the build fails past them): every zip ≤ 1 MB, and each bundle within its own
 * `budgetKB`, about 12 % above its size when set, so that a dependency that drags in tens of KB (a second
 * client, a whole AWS service model, a part of the app) fails the build instead of slowing every cold start.
 * Sizes (KB): slack 915, ingress 900, worker 779, tick 645, tasks 681, connectFlow 508, logs 540. What no
 * function can shed is about 470 KB: the AWS SDK core with DynamoDB and Secrets Manager (≈ 215 KB, their
 * modelled errors included), our own code (≈ 115 KB: config, store, incidents, escalation, Slack publishing),
 * the Slack Web API client (≈ 60 KB), pino (≈ 45 KB) and zod mini (≈ 33 KB); then each function's own
 * clients: amqplib (ingress, 118), confluence.js with axios (worker, 190), gitbeaker and Octokit (tasks, 190),
 * croner (ingress and tick, 32), the Lambda and Connect clients (30 and 18), and where schedules run (slack,
 * ingress, tick; issue 18) temporal-polyfill (54) with the schedule code (≈ 35), plus ical-generator in ingress
 * (36). The size tricks are in scripts/lambda-bundle-plugins.ts. The YAML of ONCALL_CONFIG is read here, at package
 * time, into the `oncall.json` each zip carries, so no function carries the yaml package (115 KB).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { LAMBDA_PLUGINS, unavailableModules } from './lambda-bundle-plugins.js';
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

// What a function can go without (`without` below), each replaced by src/lambda/unavailable.ts (or by a stand-in of
// its own beside it, such as unavailable-digests.ts), which says why.
// Adapters to outside systems:
const CONFLUENCE = 'src/integrations/confluence.ts';
const BEDROCK = 'src/integrations/bedrock-agent.ts';
const GIT_COMMENTERS = ['@gitbeaker/rest', '@octokit/core'];
const AMQP = 'amqplib';
const LAMBDA_CLIENT = '@aws-sdk/client-lambda';
const CONNECT_CLIENT = '@aws-sdk/client-connect';

// Parts of the app that only some functions run (the composition in src/app.ts wires them all):
/**
 * The HTTP routes, with the alert parsers, webhook checks and SNS client only they use (≈ 25 KB): API Gateway
 * sends `/slack/events` to `slack` and everything else to `ingress`.
 */
const ROUTES = [
  ...['health', 'reports', 'alerts', 'jobs', 'connect', 'webhooks', 'metrics', 'oncall', 'silences'].map(
    (route) => `src/ingress/routes/${route}.ts`,
  ),
  'src/integrations/sns-endpoint.ts',
];
/** The GitHub/GitLab task pipeline (queue, ledger, task messages): `ingress` queues tasks, `tasks` posts them. */
const TASK_PIPELINE = 'src/app-tasks.ts';
/** The task queue (RabbitMQ or in-process): `tasks` receives its tasks from the Amazon MQ event source. */
const TASK_QUEUE = 'src/integrations/app-task-queue.ts';
/**
 * Analyses and reports: `slack` asks for them (its listeners are their only callers) and `worker` runs them
 * (the deferred jobs), with the local analyser behind them.
 */
const INCIDENT_WORK = ['src/services/analysis.ts', 'src/services/reports.ts', 'src/domain/local-analyser.ts'];
/**
 * Storm digests: made where incidents open from signals (`ingress`, `logs`, `tick`'s missed job runs; `slack`
 * opens only by hand, never digested, but keeps them for its resync), and listed by `slack`'s buttons only.
 */
const DIGEST_MAKING = [
  'src/services/incident-digests.ts',
  'src/integrations/slack-digest-publisher.ts',
  'src/store/digests-repository.ts',
];
const DIGEST_LIST = 'src/services/digest-list.ts';
/**
 * The Bolt listeners: only `slack` registers them (buildApp); without this, the modules they import that run code
 * at load (usage texts, payload schemas) stayed in every function though nothing reached them (≈ 2 KB).
 */
const LISTENERS = 'src/listeners/index.ts';
/** The HTTP router: `connectFlow` is invoked by Amazon Connect with the contact-flow event, never over HTTP. */
const ROUTER = 'src/ingress/router.ts';
/** The local HTML reports: written by `worker`, served by `ingress`. */
const LOCAL_REPORTS = 'src/integrations/local-report.ts';
/** Job monitoring, with croner (33 KB) for the schedules: jobs report to `ingress`, `tick` finds missed runs. */
const JOBS = ['src/services/jobs.ts', 'src/domain/cron.ts'];
/**
 * The embedded store's dynalite host, and the local table setup: every function uses DynamoDB (STORE=dynamodb),
 * whose tables serverless.yml declares, and dynalite is external.
 */
/**
 * The YAML reader of ONCALL_CONFIG, with the `yaml` package (about 115 KB): the file is validated and converted to
 * JSON here, at package time, and every zip carries it as `oncall.json` (ONCALL_CONFIG in serverless.yml), which
 * the functions read with the JSON reader. An invalid file fails the package instead of every cold start.
 */
const ONCALL_YAML = 'src/config/oncall/load.ts';
/**
 * On-call schedules (issue 18), with the schedule math (temporal-polyfill, 54 KB) and the ONCALL_CONFIG schema:
 * run by `slack` (/oncall, App Home, swaps), `ingress` (GET /api/oncall, iCal feeds) and `tick` (handoffs).
 */
const ONCALL = 'src/app-oncall.ts';
/**
 * Phone numbers as people type them (issue 19: `/oncall phone`, `/oncall add`), with libphonenumber-js and its
 * metadata (≈ 118 KB): only `slack` reads typed numbers.
 */
const PHONE_INPUT = 'src/domain/phone-input.ts';
const NO_FUNCTION_RUNS = ['src/store/embedded.ts', 'src/store/table-setup.ts', ONCALL_YAML];

// Parts of libraries that we never use:
/** Bolt's Socket Mode and HTTP receivers; AwsLambdaReceiver needs neither (about 1 MB together). */
export const BOLT_SERVER_RECEIVERS = ['@slack/socket-mode', 'express', 'raw-body'];
/** The AWS SDK's event-stream codec (15 KB): only the Bedrock agent's InvokeAgent streams. */
const EVENT_STREAMS = '@smithy/core/event-streams';
/**
 * What confluence.js can do but we never ask: multipart bodies (form-data with mime-db, 140 KB: attachments),
 * and JWT authentication for Connect apps (@atlassian/atlassian-jwt with lodash, 85 KB).
 */
const CONFLUENCE_UNUSED = ['form-data', '@atlassian/atlassian-jwt'];

/**
 * The functions of serverless.yml: whether each may contain Bolt, and the modules it never runs, replaced by
 * src/lambda/unavailable.ts. The deferred jobs (analysis, reports) run only in the worker, because slack and
 * ingress hand them over (WORKER_FUNCTION_NAME), tick runs only the notices it starts itself, and connectFlow
 * and tasks start none. Each
 * function's handler (src/lambda.ts) says what it runs; the bundle tests run every handler on the result.
 */
export const LAMBDA_FUNCTIONS = {
  // Issue 19: +118 KB for libphonenumber-js (national phone formats), which only this function needs.
  slack: {
    bolt: true,
    budgetKB: 1210,
    without: [
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      AMQP,
      CONNECT_CLIENT,
      ...BOLT_SERVER_RECEIVERS,
      EVENT_STREAMS,
      ...ROUTES,
      TASK_PIPELINE,
    ],
  },
  ingress: {
    bolt: false,
    budgetKB: 1050,
    without: [
      PHONE_INPUT,
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      EVENT_STREAMS,
      ...INCIDENT_WORK,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
  // confluence.js brings axios and a second zod (≈ 190 KB); the worker is off the ack path.
  worker: {
    bolt: false,
    budgetKB: 920,
    without: [
      PHONE_INPUT,
      ONCALL,
      ...GIT_COMMENTERS,
      AMQP,
      LAMBDA_CLIENT,
      CONNECT_CLIENT,
      ...CONFLUENCE_UNUSED,
      ...ROUTES,
      TASK_PIPELINE,
      ...JOBS,
      ...DIGEST_MAKING,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
  // Nobody waits for a tick: it runs the slow work it starts itself, without the Lambda client.
  tick: {
    bolt: false,
    budgetKB: 765,
    without: [
      PHONE_INPUT,
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      AMQP,
      LAMBDA_CLIENT,
      EVENT_STREAMS,
      ...ROUTES,
      TASK_PIPELINE,
      ...INCIDENT_WORK,
      LOCAL_REPORTS,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
  // @gitbeaker/rest is ≈ 180 KB for the one "task received" note it writes.
  tasks: {
    bolt: false,
    budgetKB: 810,
    without: [
      PHONE_INPUT,
      ONCALL,
      CONFLUENCE,
      BEDROCK,
      TASK_QUEUE,
      LAMBDA_CLIENT,
      CONNECT_CLIENT,
      EVENT_STREAMS,
      ...ROUTES,
      ...INCIDENT_WORK,
      LOCAL_REPORTS,
      ...JOBS,
      ...DIGEST_MAKING,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
  // Held to issue 8's 500 KB for non-Bolt bundles until issue 18 (+1.4 KB: the stand-ins of the schedules and the
  // Oncall table's name); issue 22 withdrew that budget, so it follows the 12 % rule like the others.
  connectFlow: {
    bolt: false,
    budgetKB: 615,
    without: [
      PHONE_INPUT,
      ONCALL,
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      AMQP,
      LAMBDA_CLIENT,
      EVENT_STREAMS,
      ...ROUTES,
      TASK_PIPELINE,
      ...INCIDENT_WORK,
      LOCAL_REPORTS,
      ...JOBS,
      ...DIGEST_MAKING,
      DIGEST_LIST,
      LISTENERS,
      ROUTER,
    ],
  },
  // CloudWatch Logs subscription deliveries: alerts in, like `ingress` without the routes; the Lambda client
  // stays for the notices it hands to the worker.
  logs: {
    bolt: false,
    budgetKB: 650,
    without: [
      PHONE_INPUT,
      ONCALL,
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      AMQP,
      CONNECT_CLIENT,
      EVENT_STREAMS,
      ...ROUTES,
      TASK_PIPELINE,
      ...INCIDENT_WORK,
      LOCAL_REPORTS,
      ...JOBS,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
} as const satisfies Record<string, { bolt: boolean; budgetKB: number; without: readonly string[] }>;
export type LambdaFunction = keyof typeof LAMBDA_FUNCTIONS;
export const LAMBDA_FUNCTION_NAMES = Object.keys(LAMBDA_FUNCTIONS) as LambdaFunction[];

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
  bundlePath: string;
  zipPath: string;
  bundleBytes: number;
  zipBytes: number;
  hasBolt: boolean;
  /** Budget or content rules this bundle breaks; empty when it is fine. */
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
}

function packageOf(input: string): string {
  const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input);
  return match?.[1] ?? 'src';
}

/** The biggest contributors to a bundle, by package, for the size report. */
export function largestPackages(metafile: Metafile, top = 5): [string, number][] {
  const bytes = new Map<string, number>();
  const [output] = Object.values(metafile.outputs);
  for (const [input, info] of Object.entries(output?.inputs ?? {})) {
    const name = packageOf(input);
    bytes.set(name, (bytes.get(name) ?? 0) + info.bytesInOutput);
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
  const built = await Promise.all(LAMBDA_FUNCTION_NAMES.map((fn) => bundle(fn, outDir)));
  const metafiles = Object.fromEntries(LAMBDA_FUNCTION_NAMES.map((fn, i) => [fn, built[i]])) as Record<
    LambdaFunction,
    Metafile
  >;

  const oncallJson = await packagedOncallConfig(options.oncallConfig);
  const useCli = options.zipWith !== 'node' && (await hasZipCli());
  const reports: BundleReport[] = [];
  for (const fn of LAMBDA_FUNCTION_NAMES) {
    const bundlePath = join(outDir, `${fn}.mjs`);
    // The inputs that made it into the output: `metafile.inputs` also lists what tree shaking dropped.
    const inputs = Object.entries(Object.values(metafiles[fn].outputs)[0]?.inputs ?? {})
      .filter(([, info]) => info.bytesInOutput > 0)
      .map(([input]) => input);
    const data = await readFile(bundlePath);
    const zipPath = join(outDir, `${fn}.zip`);
    const oncallPath = join(outDir, ONCALL_JSON);
    await writeFile(oncallPath, oncallJson);
    await zipFiles(
      zipPath,
      [
        { path: bundlePath, data },
        { path: oncallPath, data: Buffer.from(oncallJson) },
      ],
      useCli,
    );
    const zipBytes = (await readFile(zipPath)).length;
    const hasBolt = inputs.some((input) => /node_modules[\\/]@slack[\\/]bolt[\\/]/.test(input));

    const problems: string[] = [];
    if (zipBytes > ZIP_LIMIT_BYTES) problems.push(`zip is ${kb(zipBytes)}, over ${kb(ZIP_LIMIT_BYTES)}`);
    if (hasBolt && !LAMBDA_FUNCTIONS[fn].bolt) problems.push('contains Bolt');
    const budget = LAMBDA_FUNCTIONS[fn].budgetKB * 1024;
    if (data.length > budget) problems.push(`bundle is ${kb(data.length)}, over its budget of ${kb(budget)}`);
    for (const { pattern, why } of FORBIDDEN_INPUTS) {
      const found = inputs.find((input) => pattern.test(input));
      if (found !== undefined) problems.push(`contains ${found} (${why})`);
    }
    reports.push({ fn, bundlePath, zipPath, bundleBytes: data.length, zipBytes, hasBolt, problems });
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

async function bundle(fn: LambdaFunction, outDir: string): Promise<Metafile> {
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: { [fn]: `src/lambda/${fn}.ts` },
    outdir: outDir,
    mainFields: MODULE_FIRST,
    // Only the embedded store's dynamic import; never reached on Lambda (STORE=dynamodb).
    external: ['dynalite'],
    sourcemap: false,
    metafile: true,
    plugins: [...LAMBDA_PLUGINS, unavailableModules([...NO_FUNCTION_RUNS, ...LAMBDA_FUNCTIONS[fn].without])],
  });
  return result.metafile;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** The size table the build prints. */
export function formatReports(
  reports: readonly BundleReport[],
  metafiles: Record<LambdaFunction, Metafile>,
): string {
  const lines = reports.map((r) => {
    const largest = largestPackages(metafiles[r.fn], 4)
      .map(([name, bytes]) => `${name} ${kb(bytes)}`)
      .join(', ');
    const status = r.problems.length === 0 ? 'ok' : `FAIL: ${r.problems.join('; ')}`;
    return `${r.fn.padEnd(12)} ${kb(r.bundleBytes).padStart(10)} ${kb(r.zipBytes).padStart(10)}  ${
      r.hasBolt ? 'Bolt' : '    '
    }  ${status}\n${' '.repeat(13)}largest: ${largest}`;
  });
  return [`${'function'.padEnd(12)} ${'bundle'.padStart(10)} ${'zip'.padStart(10)}`, ...lines].join('\n');
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
      `Lambda bundle budget exceeded: ${failed.map((r) => `${r.fn} (${r.problems.join('; ')})`).join(', ')}\n`,
    );
    process.exit(1);
  }
}
