/**
 * `GET /reports/:token/:file`: the local HTML incident reports (written when Confluence is not configured).
 * - Not public: the link carries the report's token (a random value, new for every version: see
 *   integrations/local-report.ts), compared in constant time. A missing, wrong or stale token, a file that does
 *   not exist and a name that is not a report file all get the same 404, so the answer tells nothing.
 * - Only plain `<name>.html` file names are read, so nothing outside the reports directory can be reached.
 * - The page gets a strict Content-Security-Policy (no scripts) because it shows text that came from alerts and
 *   Slack, and `Referrer-Policy: no-referrer` so following a link in it does not hand the token to another site.
 */
import { REPORT_TOKEN } from '../../domain/report-token.js';
import { AppError, ErrorCode } from '../../errors.js';
import { safeEqual } from '../auth.js';
import type { Route } from '../types.js';

export interface ReportRoutesDeps {
  /** The report's HTML and current token, or undefined when there is no such report (or the name is not one). */
  read(file: string): Promise<{ html: string; token: string } | undefined>;
}

export function reportRoutes(deps: ReportRoutesDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/reports/:token/:file',
      handler: async (request) => {
        const token = request.params['token'] ?? '';
        const file = request.params['file'] ?? '';
        const report = REPORT_TOKEN.test(token) ? await deps.read(file) : undefined;
        // An old report without a token has token '' and never matches a well-formed one.
        if (report === undefined || !safeEqual(token, report.token)) {
          throw new AppError(ErrorCode.NotFound, `no report ${file} for that link`, {
            userMessage: 'report not found',
          });
        }
        return {
          status: 200,
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:",
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'no-referrer',
            'cache-control': 'private, no-cache',
          },
          body: report.html,
        };
      },
    },
  ];
}
