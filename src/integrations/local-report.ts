/**
 * ReportPublisher writing HTML files under a directory (`DATA_DIR/reports`), for running without Confluence.
 * Idempotent by key like the Confluence one: publishing the same incident again rewrites `<key>.html` as the
 * next version. The app serves the files at `GET /reports/<file>` (ingress/routes/reports.ts), through
 * `readLocalReport`, which accepts only plain `<name>.html` file names.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, ErrorCode } from '../errors.js';
import type { PublishedReport, Report, ReportPublisher } from '../services/ports/report-publisher.js';

export interface LocalReportPublisherOptions {
  /** Where `<key>.html` files go, e.g. `${DATA_DIR}/reports`. */
  dir: string;
  /** The app's public base URL; reports are served at `${baseUrl}/reports/<key>.html`. */
  baseUrl: string;
}

const VERSION_META = /<meta name="hikeshi-report-version" content="(\d+)">/;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A file name that cannot escape `dir`. */
export function reportFileName(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${safe === '' ? 'report' : safe}.html`;
}

/** A complete HTML page around a storage-format body (plain XHTML renders as is; `ac:` macros show their text). */
export function renderReportHtml(report: Report, version: number, generatedAt: Date): string {
  const title = escapeHtml(report.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="hikeshi-report-version" content="${version}">
<title>${title}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#172b4d}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #dfe1e6;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#f4f5f7}code,pre{background:#f4f5f7;padding:.1rem .3rem;border-radius:3px}footer{margin-top:3rem;color:#6b778c;font-size:.85rem}
</style>
</head>
<body>
<h1>${title}</h1>
${report.storageBody}
<footer>Hikeshi incident report ${escapeHtml(report.key)} · version ${version} · generated ${generatedAt.toISOString()}</footer>
</body>
</html>
`;
}

/** ReportPublisher writing `<dir>/<key>.html`, for running without Confluence. */
export function createLocalReportPublisher(options: LocalReportPublisherOptions): ReportPublisher {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  return {
    async publish(report: Report): Promise<PublishedReport> {
      const file = reportFileName(report.key);
      const path = join(options.dir, file);
      try {
        await mkdir(options.dir, { recursive: true });
        let previous: number | undefined;
        try {
          const match = VERSION_META.exec(await readFile(path, 'utf8'));
          previous = match?.[1] === undefined ? 1 : Number(match[1]);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        const version = (previous ?? 0) + 1;
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, renderReportHtml(report, version, new Date()), 'utf8');
        await rename(tmp, path);
        return {
          id: report.key,
          url: `${baseUrl}/reports/${file}`,
          version,
          created: previous === undefined,
        };
      } catch (error) {
        throw new AppError(
          ErrorCode.ReportFailed,
          `Writing the local report failed: ${(error as Error).message}`,
          {
            userMessage: 'Writing the incident report failed. Check that DATA_DIR is writable.',
            details: { reason: 'unknown', action: 'write local report' },
            cause: error,
          },
        );
      }
    },
  };
}

/** What `GET /reports/:file` may serve: a plain file name, no directories, no dots but the extension. */
export const REPORT_FILE_NAME = /^[A-Za-z0-9_-]+\.html$/;

/** The report file's HTML, or undefined when the name is not a report file name or there is no such file. */
export async function readLocalReport(dir: string, file: string): Promise<string | undefined> {
  if (!REPORT_FILE_NAME.test(file)) return undefined;
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
