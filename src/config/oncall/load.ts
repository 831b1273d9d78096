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
import { failure, validateOncallDocument, type OncallConfigResult } from './validate.js';

export { formatProblem, pathText, type OncallConfigProblem, type OncallConfigResult } from './validate.js';

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
  return validateOncallDocument(doc.toJS({ maxAliasCount: 100 }), file, (path) =>
    locate(doc, path, lineCounter),
  );
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

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
