/** The thread replies of Reporting: the placeholder, then the link (or what went wrong). Pure. */
import type { ThreadText } from './kit.js';
import { actorText, escapeMrkdwn, mrkdwnLink } from './format.js';

export type ReportTarget = 'confluence' | 'local';

const WHERE: Record<ReportTarget, string> = { confluence: 'Confluence', local: 'a local HTML report' };

export function writingReportReply(
  incidentId: string,
  requestedBy: string,
  target: ReportTarget,
): ThreadText {
  return {
    text: `📝 Writing the report on *${incidentId}* to ${WHERE[target]}… · asked by ${actorText(requestedBy)}`,
  };
}

export function reportPublishedReply(input: {
  incidentId: string;
  title: string;
  url: string;
  version: number;
  created: boolean;
  target: ReportTarget;
}): ThreadText {
  const what = input.created ? 'created' : `updated (version ${input.version})`;
  return {
    text: `📄 Report on *${input.incidentId}* ${what} in ${WHERE[input.target]}: ${mrkdwnLink(input.url, input.title)}`,
  };
}

export function reportFailedReply(incidentId: string, userMessage: string): ThreadText {
  return { text: `⚠️ The report on *${incidentId}* could not be published: ${escapeMrkdwn(userMessage)}` };
}
