/**
 * The format-neutral half of reading `ONCALL_CONFIG`: a parsed document (from YAML, load.ts, or from the JSON a
 * Lambda bundle carries, json.ts) checked against the schema and the cross-references, into a frozen
 * `OncallConfig` or every problem found. It imports no parser, so the Lambda bundles can validate the packaged
 * JSON without the `yaml` package (scripts/build-lambda.ts).
 */
import { AppError, ErrorCode } from '../../errors.js';
import type * as z from '../../domain/zod.js';
import type { OncallConfig } from '../../domain/oncall-config.js';
import { oncallConfigSchema } from './schema.js';
import { referenceProblems, type RawProblem } from './references.js';
import { shown } from './values.js';

export interface OncallConfigProblem {
  /** The file, as given. */
  readonly file: string;
  /** 1-based; absent when the file could not be read or its format has no positions (JSON). */
  readonly line?: number;
  readonly column?: number;
  /** `schedules[1].layers[0].handoff`; empty for the file as a whole. */
  readonly path: string;
  readonly reason: string;
}

export type OncallConfigResult =
  | { readonly ok: true; readonly config: OncallConfig }
  | { readonly ok: false; readonly problems: readonly OncallConfigProblem[]; readonly error: AppError };

/** Where a problem's path is in the source text, when the format can say. */
export type Locate = (path: readonly (string | number)[]) => { line: number; column: number } | undefined;

/** Validates a parsed document (`undefined`/`null`: an empty file, the empty config). */
export function validateOncallDocument(document: unknown, file: string, locate?: Locate): OncallConfigResult {
  const raw: unknown = document ?? {};
  const result = oncallConfigSchema.safeParse(raw, { reportInput: true });
  const found: RawProblem[] = [
    ...(result.success ? [] : result.error.issues.flatMap(problemsOf)),
    ...referenceProblems(raw),
  ];
  if (result.success && found.length === 0) return { ok: true, config: deepFreeze(result.data) };
  const problems = found.map((p) => ({
    file,
    ...locate?.(p.path),
    path: pathText(p.path),
    reason: p.reason,
  }));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return failure(file, problems);
}

export function formatProblem(problem: OncallConfigProblem): string {
  const place =
    problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path === '' ? `${place}: ${problem.reason}` : `${place}: ${problem.path}: ${problem.reason}`;
}

export function failure(file: string, problems: readonly OncallConfigProblem[]): OncallConfigResult {
  const message = `Invalid ONCALL_CONFIG ${file}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`;
  return {
    ok: false,
    problems,
    error: new AppError(ErrorCode.ConfigInvalid, message, { details: { file, problems } }),
  };
}

const KINDS: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'text',
  number: 'a number',
};

function problemsOf(issue: z.core.$ZodIssue): RawProblem[] {
  const path = issue.path.map((part) => (typeof part === 'number' ? part : String(part)));
  switch (issue.code) {
    case 'unrecognized_keys':
      // The map's schema (values.ts `map`) put its known keys into the message.
      return issue.keys.map((key) => ({
        path: [...path, key],
        reason: `unknown key (known keys: ${issue.message})`,
      }));
    case 'invalid_type': {
      const expected = KINDS[issue.expected] ?? issue.expected;
      if (path.length === 0) {
        const what = 'schedules, escalation_policies, routes and default_policy';
        return [{ path, reason: `expected a map of ${what}, got ${shown(issue.input)}` }];
      }
      return [
        {
          path,
          reason: issue.input === undefined ? 'required' : `expected ${expected}, got ${shown(issue.input)}`,
        },
      ];
    }
    default:
      return [{ path, reason: issue.message }];
  }
}

/** `['schedules', 1, 'layers', 0, 'handoff']` → `schedules[1].layers[0].handoff`. */
export function pathText(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
