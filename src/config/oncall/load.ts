/**
 * `ONCALL_CONFIG`: the YAML file of schedules, escalation policies and routes, read into a frozen
 * `OncallConfig`, or into every problem the file has, each naming its place (`oncall.yaml:12:5:
 * schedules[1].layers[0].handoff: expected "HH:MM", got "9:00"`). Parsing is pure, so a reload can try a new
 * file and keep the old config when it is invalid; only `loadOncallConfig` reads the disk.
 *
 * YAML is read as YAML 1.2 (the `yaml` package's default), where `09:00` and `2026-11-02` stay strings and
 * `no` is not false; a key given twice is an error.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { AppError, ErrorCode } from '../../errors.js';
import type * as z from '../../domain/zod.js';
import type { OncallConfig } from '../../domain/oncall-config.js';
import { oncallConfigSchema } from './schema.js';
import { referenceProblems, type RawProblem } from './references.js';
import { shown } from './values.js';

export interface OncallConfigProblem {
  /** The file, as given. */
  readonly file: string;
  /** 1-based; absent only when the file could not be read. */
  readonly line?: number;
  readonly column?: number;
  /** `schedules[1].layers[0].handoff`; empty for the file as a whole. */
  readonly path: string;
  readonly reason: string;
}

export type OncallConfigResult =
  | { readonly ok: true; readonly config: OncallConfig }
  | { readonly ok: false; readonly problems: readonly OncallConfigProblem[]; readonly error: AppError };

/** Parses and validates the text of an `ONCALL_CONFIG` file; `file` names it in problems. */
export function parseOncallConfig(text: string, file: string): OncallConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return failure(
      file,
      doc.errors.map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        return {
          file,
          line: at.line,
          column: at.col,
          path: '',
          reason: `not valid YAML: ${firstLine(error.message)}`,
        };
      }),
    );
  }
  // An empty file is an empty config: the flat list for every incident, as without a file.
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const result = oncallConfigSchema.safeParse(raw, { reportInput: true });
  const found: RawProblem[] = [
    ...(result.success ? [] : result.error.issues.flatMap(problemsOf)),
    ...referenceProblems(raw),
  ];
  if (result.success && found.length === 0) return { ok: true, config: deepFreeze(result.data) };
  const problems = found.map((p) => ({
    file,
    ...locate(doc, p.path, lineCounter),
    path: pathText(p.path),
    reason: p.reason,
  }));
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return failure(file, problems);
}

/** Reads and parses the file at `path`; a file that cannot be read is one problem. */
export async function loadOncallConfig(path: string): Promise<OncallConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = `cannot read the file${code === undefined ? '' : ` (${code})`}`;
    return failure(path, [{ file: path, path: '', reason }]);
  }
  return parseOncallConfig(text, path);
}

export function formatProblem(problem: OncallConfigProblem): string {
  const place =
    problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path === '' ? `${place}: ${problem.reason}` : `${place}: ${problem.path}: ${problem.reason}`;
}

function failure(file: string, problems: readonly OncallConfigProblem[]): OncallConfigResult {
  const message = `Invalid ONCALL_CONFIG ${file}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`;
  return {
    ok: false,
    problems,
    error: new AppError(ErrorCode.ConfigInvalid, message, { details: { file, problems } }),
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
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

/**
 * Where a problem is: the deepest node of `path` that exists (a key when the path ends in one, else its value
 * or item; the enclosing map for a missing key). Line and column are 1-based.
 */
function locate(
  doc: Document,
  path: readonly (string | number)[],
  lineCounter: LineCounter,
): { line: number; column: number } {
  let node: unknown = doc.contents;
  let target: Node | null | undefined = doc.contents;
  for (const [i, part] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === part);
      if (pair === undefined) break;
      const last = i === path.length - 1;
      target = (last || pair.value === null ? pair.key : pair.value) as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      if (item === undefined || item === null) break;
      target = item as Node;
      node = item;
    } else {
      break;
    }
  }
  const offset = target?.range?.[0] ?? 0;
  const position = lineCounter.linePos(offset);
  return { line: position.line, column: position.col };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
