/**
 * Deep links into the AWS console. Pure.
 *
 * The CloudWatch console reads its log group and log stream names from the URL fragment, URI-encoded twice
 * with every `%` then written as `$`: `/aws/lambda/api` → `$252Faws$252Flambda$252Fapi`, and a Lambda stream
 * `2026/01/01/[$LATEST]0a1b…` → `2026$252F01$252F01$252F$255B$2524LATEST$255D0a1b…`. A name encoded once, or
 * not at all, opens the console on an empty list with no error. (No AWS page documents it; it is what the
 * console itself writes in the address bar when you open a stream, and what every tool that links there does.)
 */

/** The console's host for a region: China and GovCloud have their own. */
export function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `${region}.console.amazonaws-us-gov.com`;
  return `${region}.console.aws.amazon.com`;
}

/**
 * One name as the CloudWatch console's fragment wants it. `encodeURIComponent` leaves `!'()*` alone; they are
 * escaped too, so no character a stream name may hold can end the fragment's path segment early.
 */
export function cloudWatchFragment(value: string): string {
  const strict = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return strict(strict(value)).replace(/%/g, '$');
}

/** Regions look like `ap-northeast-1`; anything else is not put into a host name. */
export function isRegion(value: string): boolean {
  return /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/.test(value);
}

/** The console page of one log stream, or of the log group when there is no stream. */
export function logStreamConsoleUrl(region: string, logGroup: string, logStream?: string): string {
  const base = `https://${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${cloudWatchFragment(logGroup)}`;
  return logStream === undefined || logStream === ''
    ? base
    : `${base}/log-events/${cloudWatchFragment(logStream)}`;
}
