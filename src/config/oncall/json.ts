/**
 * `ONCALL_CONFIG` as JSON: what a Lambda bundle carries (scripts/build-lambda.ts validates the YAML file at
 * package time and writes its document as `oncall.json` into each zip). Validated again here with the same
 * schema and cross-reference checks as the YAML, without the `yaml` package. JSON has no positions to quote, so
 * problems name the path only.
 */
import { readFile } from 'node:fs/promises';
import { failure, validateOncallDocument, type OncallConfigResult } from './validate.js';

export function parseOncallConfigJson(text: string, file: string): OncallConfigResult {
  let document: unknown;
  try {
    document = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    const reason = `not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
    return failure(file, [{ file, path: '', reason }]);
  }
  return validateOncallDocument(document, file);
}

/** Reads `path`: `.json` as JSON here, anything else as YAML (load.ts, with line numbers). */
export async function readOncallConfigFile(
  path: string,
  yaml: (path: string) => Promise<OncallConfigResult>,
): Promise<OncallConfigResult> {
  if (!path.toLowerCase().endsWith('.json')) return yaml(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failure(path, [
      { file: path, path: '', reason: `cannot read the file${code === undefined ? '' : ` (${code})`}` },
    ]);
  }
  return parseOncallConfigJson(text, path);
}
