/**
 * The seed's Python job-monitor snippet (shared/seeds/job-monitor-snippet.md), run UNCHANGED with python3:
 * `test/fixtures/job_monitor_snippet.py` is a byte-for-byte copy of the seed's code block (a test checks it
 * whenever the seed is beside the repository), loaded as a module and called as a job would call it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SNIPPET_PATH = fileURLToPath(new URL('../fixtures/job_monitor_snippet.py', import.meta.url));
/** shared/ sits beside the repository, on developer machines and in CI alike. */
export const SEED_PATH = fileURLToPath(
  new URL('../../../shared/seeds/job-monitor-snippet.md', import.meta.url),
);

export const DOCS_PATH = fileURLToPath(new URL('../../docs/job-monitoring.md', import.meta.url));
const TSX_CLI = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

export const seedAvailable = (): boolean => existsSync(SEED_PATH);

/** The first ```<language> block of a markdown document, with its final newline, exactly as written. */
export function extractCodeBlock(markdown: string, language: string): string {
  const open = `\`\`\`${language}\n`;
  const start = markdown.indexOf(open);
  if (start < 0) throw new Error(`no \`\`\`${language} block`);
  const end = markdown.indexOf('\n```', start + open.length);
  if (end < 0) throw new Error(`unterminated \`\`\`${language} block`);
  return `${markdown.slice(start + open.length, end)}\n`;
}

export const extractPythonBlock = (markdown: string): string => extractCodeBlock(markdown, 'python');

export function docsBlock(language: string): string {
  return extractCodeBlock(readFileSync(DOCS_PATH, 'utf8'), language);
}

export function seedSnippet(): string {
  return extractPythonBlock(readFileSync(SEED_PATH, 'utf8'));
}

export function fixtureSnippet(): string {
  return readFileSync(SNIPPET_PATH, 'utf8');
}

// Loads the snippet file as a module and calls it the way the seed's "組み込み" example does.
const DRIVER = [
  'import importlib.util, sys',
  'spec = importlib.util.spec_from_file_location("job_monitor_snippet", sys.argv[1])',
  'snippet = importlib.util.module_from_spec(spec)',
  'spec.loader.exec_module(snippet)',
  'snippet.report_job_status(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)',
].join('\n');

const PROXY_VARIABLES = new Set(['http_proxy', 'https_proxy', 'all_proxy']);

/** This process's environment without proxies (the app is on loopback) or stray TC_PORTAL_* values, plus `env`. */
function childEnv(env: SnippetRun['env']): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !PROXY_VARIABLES.has(name.toLowerCase()) && !name.startsWith('TC_PORTAL_'),
  );
  return {
    ...Object.fromEntries(inherited),
    PYTHONIOENCODING: 'utf-8',
    NO_PROXY: '*',
    no_proxy: '*',
    ...env,
  };
}

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

export interface SnippetRun {
  /** The TC_PORTAL_* variables; leave one out to see the snippet skip. */
  env: Partial<
    Record<
      'TC_PORTAL_MONITOR_URL' | 'TC_PORTAL_WEBHOOK_SECRET' | 'TC_PORTAL_JOB_KEY' | 'TC_PORTAL_JOB_TITLE',
      string
    >
  >;
  status: string;
  message?: string;
}

/**
 * Runs python3 asynchronously (the app under test serves from this same process, so a synchronous child would
 * deadlock it) and resolves with what the snippet printed.
 */
export function runSnippet({
  env,
  status,
  message,
}: SnippetRun): Promise<{ stdout: string; stderr: string }> {
  const args = ['-c', DRIVER, SNIPPET_PATH, status, ...(message === undefined ? [] : [message])];
  return run('python3', args, childEnv(env));
}

/** Runs the docs' Node/TypeScript example (through tsx, as a user would with a .ts file) the same way. */
export async function runNodeExample({
  env,
  status,
  message,
}: SnippetRun): Promise<{ stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hikeshi-node-example-'));
  const file = join(dir, 'report-job-status.mts');
  const call = "await reportJobStatus(process.argv[2] as 'success' | 'error', process.argv[3] ?? null);\n";
  writeFileSync(file, `${docsBlock('ts')}\n${call}`);
  try {
    const args = [TSX_CLI, file, status, ...(message === undefined ? [] : [message])];
    return await run(process.execPath, args, childEnv(env));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
