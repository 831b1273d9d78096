/**
 * The CloudFormation template `osls package` makes of serverless.yml, for tests. It runs offline in a scratch
 * copy (serverless.yml plus placeholder artifacts), so it needs no build and leaves the tree untouched.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LAMBDA_FUNCTION_NAMES } from '../../scripts/build-lambda.js';
import { zipBytes } from '../../scripts/zip.js';
import { TABLE_DEFINITIONS, TABLE_IDS, type TableId } from '../../src/store/tables.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  [key: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}

export interface IamStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** `osls package --stage <stage>` with the given `--param`s; returns the update-stack template. */
export async function packageServerless(
  options: { stage?: string; params?: Record<string, string> } = {},
): Promise<CfnTemplate> {
  const dir = await mkdtemp(join(tmpdir(), 'hikeshi-sls-'));
  try {
    await copyFile(join(ROOT, 'serverless.yml'), join(dir, 'serverless.yml'));
    await mkdir(join(dir, 'dist/lambda'), { recursive: true });
    const placeholder = zipBytes([{ name: 'placeholder.mjs', data: Buffer.from('export {};\n') }]);
    for (const fn of LAMBDA_FUNCTION_NAMES) await writeFile(join(dir, `dist/lambda/${fn}.zip`), placeholder);
    const params = Object.entries(options.params ?? {}).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
    await run(
      join(ROOT, 'node_modules/.bin/osls'),
      ['package', '--stage', options.stage ?? 'test', '--package', join(dir, 'out'), ...params],
      { cwd: dir, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' } },
    );
    return JSON.parse(
      await readFile(join(dir, 'out/cloudformation-template-update-stack.json'), 'utf8'),
    ) as CfnTemplate;
  } finally {
    await rm(dir, { recursive: true, force: true });
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
