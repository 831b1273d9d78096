/**
 * Report publisher port: puts an incident report somewhere people can read it (Confluence, or a local HTML file).
 * Publishing is idempotent by `key`: publishing the same incident again updates the same page as a new version.
 * Failures are AppError(ErrorCode.ReportFailed) with `details.reason`.
 */
export interface Report {
  /** The incident id; the publisher uses it to find the page it published before. */
  key: string;
  title: string;
  /** Confluence storage-format XHTML. */
  storageBody: string;
}

export interface PublishedReport {
  id: string;
  url: string;
  version: number;
  /** True when this call created the page, false when it updated an existing one. */
  created: boolean;
}

/** Where reports go: a Confluence space, or local HTML files served by Hikeshi. */
export type ReportDestination = { kind: 'confluence'; spaceKey: string } | { kind: 'local' };

export interface ReportPublisher {
  publish(report: Report): Promise<PublishedReport>;
}

/** Why publishing failed, in `AppError.details.reason`. */
export type ReportFailureReason =
  'auth' | 'space_not_found' | 'not_found' | 'validation' | 'conflict' | 'network' | 'unknown';
