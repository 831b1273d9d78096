/**
 * The CloudFormation template `osls package` makes of serverless.yml, for tests. It runs offline in a scratch
 * copy (serverless.yml, its plugin, and placeholder artifacts or the real bundles), so it leaves the tree
 * untouched. The template comes back as the stack would have it (conditions applied: test/helpers/cloudformation.ts).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LAMBDA_FUNCTION_NAMES } from '../../scripts/build-lambda.js';
import { zipBytes } from '../../scripts/zip.js';
import { TABLE_DEFINITIONS, TABLE_IDS, type TableId } from '../../src/store/tables.js';
import { resolveConditions } from './cloudformation.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
/** The plugin serverless.yml loads (it checks the deploy parameters). */
const PLUGIN = 'scripts/serverless-deploy-params.mjs';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  [key: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The Amazon MQ parameters a real deploy gives (serverless.yml's defaults are placeholders, which
 * scripts/serverless-deploy-params.mjs refuses outside `--stage local`).
 */
export const BROKER_PARAMS = {
  mqBrokerArn: 'arn:aws:mq:ap-northeast-1:123456789012:broker:hikeshi:b-1234abcd-56ef-78ab-90cd-ef1234567890',
  mqSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:hikeshi/mq-AbCdEf',
};

export interface PackagedStack {
  /** The update-stack template with its conditions applied: what the stack would contain. */
  template: CfnTemplate;
  /** The template as osls wrote it. */
  raw: CfnTemplate;
  /** Each function's artifact, the zip a deploy uploads (absolute paths, valid while `dir` exists). */
  artifacts: Record<string, string>;
}

export interface IamStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/**
 * `osls package --stage <stage>` with the given `--param`s. The artifacts are placeholders, or the zips in
 * `bundlesDir` (scripts/build-lambda.ts). Packages in `dir` and leaves it there when given, else in a temporary
 * directory it removes. Rejects with osls's output when osls refuses.
 */
export async function packageServerless(
  options: { stage?: string; params?: Record<string, string>; bundlesDir?: string; dir?: string } = {},
): Promise<PackagedStack> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'hikeshi-sls-')));
  try {
    await mkdir(dir, { recursive: true });
    await copyFile(join(ROOT, 'serverless.yml'), join(dir, 'serverless.yml'));
    await mkdir(join(dir, 'scripts'), { recursive: true });
    await copyFile(join(ROOT, PLUGIN), join(dir, PLUGIN));
    await mkdir(join(dir, 'dist/lambda'), { recursive: true });
    const placeholder = zipBytes([{ name: 'placeholder.mjs', data: Buffer.from('export {};\n') }]);
    for (const fn of LAMBDA_FUNCTION_NAMES) {
      const zip = join(dir, `dist/lambda/${fn}.zip`);
      if (options.bundlesDir === undefined) await writeFile(zip, placeholder);
      else await copyFile(join(options.bundlesDir, `${fn}.zip`), zip);
    }
    const params = Object.entries(options.params ?? {}).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
    await run(
      join(ROOT, 'node_modules/.bin/osls'),
      ['package', '--stage', options.stage ?? 'test', '--package', join(dir, 'out'), ...params],
      { cwd: dir, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' } },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`osls package failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    });
    const raw = JSON.parse(
      await readFile(join(dir, 'out/cloudformation-template-update-stack.json'), 'utf8'),
    ) as CfnTemplate;
    const state = JSON.parse(await readFile(join(dir, 'out/serverless-state.json'), 'utf8')) as {
      service: { functions: Record<string, { package?: { artifact?: string } }> };
    };
    const artifacts = Object.fromEntries(
      Object.entries(state.service.functions).map(([fn, f]) => [fn, resolve(dir, f.package?.artifact ?? '')]),
    );
    return { template: resolveConditions(raw), raw, artifacts };
  } finally {
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

/** The statements of an IAM role's inline policies. */
export function roleStatements(template: CfnTemplate, role: string): IamStatement[] {
  const policies = (template.Resources[role]?.Properties?.['Policies'] ?? []) as {
    PolicyDocument: { Statement: IamStatement[] };
  }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

export const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** The logical id of the CloudFormation table for a table of src/store/tables.ts (`IncidentsTable`). */
export function tableResourceId(id: TableId): string {
  return `${TABLE_DEFINITIONS[id].defaultName}Table`;
}

/** The tables (by id) a role may use DynamoDB on. */
export function grantedTables(template: CfnTemplate, role: string): TableId[] {
  const granted = new Set<TableId>();
  for (const statement of roleStatements(template, role)) {
    if (!asList(statement.Action).some((a) => String(a).startsWith('dynamodb:'))) continue;
    for (const resource of asList(statement.Resource)) {
      const getAtt = (resource as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      const id = TABLE_IDS.find((t) => tableResourceId(t) === getAtt?.[0]);
      if (id !== undefined) granted.add(id);
    }
  }
  return [...granted];
}

/** The role serverless.yml gives a function (`slack` → `SlackRole`). */
export function roleOf(fn: string): string {
  return `${fn.charAt(0).toUpperCase()}${fn.slice(1)}Role`;
}
