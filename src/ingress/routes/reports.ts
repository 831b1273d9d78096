/**
 * `GET /reports/:file`: the local HTML incident reports (written when Confluence is not configured). Only plain
 * `<name>.html` file names are served, so nothing outside the reports directory can be reached; the page gets a
 * strict Content-Security-Policy (no scripts) because it shows text that came from alerts and Slack.
 */
import { AppError, ErrorCode } from '../../errors.js';
import type { Route } from '../types.js';

export interface ReportRoutesDeps {
  /** The report's HTML, or undefined when there is no such report (or the name is not a report file name). */
  read(file: string): Promise<string | undefined>;
}

export function reportRoutes(deps: ReportRoutesDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/reports/:file',
      handler: async (request) => {
        const file = request.params['file'] ?? '';
        const html = await deps.read(file);
        if (html === undefined) {
          throw new AppError(ErrorCode.NotFound, `no report ${file}`, { userMessage: 'report not found' });
        }
        return {
          status: 200,
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:",
            'x-content-type-options': 'nosniff',
            'cache-control': 'no-cache',
          },
          body: html,
        };
      },
    },
  ];
}
