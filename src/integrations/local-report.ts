/**
 * ReportPublisher writing HTML files under a directory (`DATA_DIR/reports`), for running without Confluence.
 * Idempotent by key like the Confluence one: publishing the same incident again rewrites `<key>.html` as the
 * next version.
 *
 * A report is not public: incident ids count up, so `<key>.html` alone would be a guessable address. Every
 * version gets a new random token (`REPORT_TOKEN_BYTES` bytes, base64url), kept in the file itself so the two can
 * never disagree, and the link is `/reports/<token>/<key>.html`. The app serves it (ingress/routes/reports.ts)
 * only to a request carrying the current token: a guessed link, and the link of an earlier version, are not found.
 * `readLocalReport` accepts only plain `<name>.html` file names.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, ErrorCode } from '../errors.js';
import type { PublishedReport, Report, ReportPublisher } from '../services/ports/report-publisher.js';

export interface LocalReportPublisherOptions {
  /** Where `<key>.html` files go, e.g. `${DATA_DIR}/reports`. */
  dir: string;
  /** The app's public base URL; reports are served at `${baseUrl}/reports/<token>/<key>.html`. */
  baseUrl: string;
}

const VERSION_META = /<meta name="hikeshi-report-version" content="(\d+)">/;
const TOKEN_META = /<meta name="hikeshi-report-token" content="([A-Za-z0-9_-]+)">/;

/** 192 random bits: not guessable, and short enough for a link (32 characters: domain/report-token.ts). */
export const REPORT_TOKEN_BYTES = 24;

export function newReportToken(): string {
  return randomBytes(REPORT_TOKEN_BYTES).toString('base64url');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A file name that cannot escape `dir`. */
export function reportFileName(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${safe === '' ? 'report' : safe}.html`;
}

/** A complete HTML page around a storage-format body (plain XHTML renders as is; `ac:` macros show their text). */
export function renderReportHtml(
  report: Report,
  version: number,
  generatedAt: Date,
  token: string = newReportToken(),
): string {
  const title = escapeHtml(report.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="hikeshi-report-version" content="${version}">
<meta name="hikeshi-report-token" content="${escapeHtml(token)}">
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
        // A new token per version: the link to an earlier version stops working when the report is rewritten.
        const token = newReportToken();
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, renderReportHtml(report, version, new Date(), token), 'utf8');
        await rename(tmp, path);
        return {
          id: report.key,
          url: `${baseUrl}/reports/${token}/${file}`,
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

/** What `GET /reports/:token/:file` may serve: a plain file name, no directories, no dots but the extension. */
export const REPORT_FILE_NAME = /^[A-Za-z0-9_-]+\.html$/;

export interface StoredLocalReport {
  html: string;
  /** The token of this version; empty for a file written before reports had tokens (never served). */
  token: string;
}

/**
 * The report file's HTML and its token, or undefined when the name is not a report file name or there is no
 * such file. Checking a presented token against it is the route's job (in constant time).
 */
export async function readLocalReport(dir: string, file: string): Promise<StoredLocalReport | undefined> {
  if (!REPORT_FILE_NAME.test(file)) return undefined;
  try {
    const html = await readFile(join(dir, file), 'utf8');
    return { html, token: TOKEN_META.exec(html)?.[1] ?? '' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
