/**
 * The Chatwork notices Hikeshi sends, as data (the layout itself is domain/chatwork-format.ts). Pure.
 * - an incident opened with severity error or critical (job failures included: their source is `job:<key>`),
 *   with its message under its title (a failed job's error text);
 * - an incident whose severity rose to error or critical after it opened below that: once per incident, since
 *   severity only ever rises;
 * - Hikeshi's own integration failures: the Bedrock agent call and report publishing.
 * `system: ''` means the notifier's default system name ("Hikeshi").
 */
import { severityAtLeast, type Severity } from './alert.js';
import type { ErrorKind } from './classify.js';
import type { Incident } from './incident.js';
import { clipText } from './storable.js';
import type { ErrorNotice } from './notice.js';

export const NOTICE_FOOTER = ['👨💻 対応が必要な場合は開発チームまでお知らせください。'];

/** Errors and criticals reach Chatwork; warnings and infos stay in Slack. */
export function shouldNotifyOpened(incident: Pick<Incident, 'severity'>): boolean {
  return severityAtLeast(incident.severity, 'error');
}

/** A severity change after opening that reaches Chatwork: from below the threshold to at or above it. */
export function shouldNotifyRaised(from: Severity, incident: Pick<Incident, 'severity'>): boolean {
  return !shouldNotifyOpened({ severity: from }) && shouldNotifyOpened(incident);
}

/** Characters of an incident's message a notice carries; the whole text is on the Slack message. */
export const NOTICE_MESSAGE_MAX = 2000;

/** The title, then the incident's message (a failed job's error text, an alert's description) under it. */
function titleAndMessage(incident: Pick<Incident, 'title' | 'message'>): string {
  const message = incident.message?.trim() ?? '';
  return message === '' ? incident.title : `${incident.title}\n${clipText(message, NOTICE_MESSAGE_MAX)}`;
}

function incidentNotice(
  incident: Incident,
  occurredAt: Date,
  slackLink: string | undefined,
  raisedFrom?: Severity,
): ErrorNotice {
  const link = slackLink ?? incident.links[0]?.url;
  const raised = raisedFrom === undefined ? '' : `重大度上昇 ${raisedFrom} → ${incident.severity}: `;
  return {
    system: '',
    occurredAt,
    kind: `${incident.source ?? 'alert'}/${incident.severity}`,
    message: `${raised}${titleAndMessage(incident)}`,
    details: {
      incident_id: incident.id,
      source: incident.source ?? 'alert',
      ...(raisedFrom === undefined ? {} : { previous_severity: raisedFrom }),
      count: incident.count,
      ...(link === undefined ? {} : { link }),
    },
    footer: NOTICE_FOOTER,
  };
}

/** `🔴 エラー種別: <source>/<severity>`, e.g. `alertmanager/critical` or `job:nightly-backup/error`. */
export function incidentOpenedNotice(incident: Incident, occurredAt: Date, slackLink?: string): ErrorNotice {
  return incidentNotice(incident, occurredAt, slackLink);
}

/**
 * Like the opened notice, saying that the incident was already open and how its severity rose:
 * `📝 メッセージ: 重大度上昇 warning → critical: <title>` and a `previous_severity` detail.
 */
export function incidentRaisedNotice(
  incident: Incident,
  from: Severity,
  occurredAt: Date,
  slackLink?: string,
): ErrorNotice {
  return incidentNotice(incident, occurredAt, slackLink, from);
}

export interface AnalysisFailure {
  incidentId: string;
  kind: ErrorKind;
  message: string;
  /** The agent that was called; absent for the local analyser. */
  agent?: { agentId: string; agentAliasId: string };
}

/** Named like the seed's notice: the failing function and the ids of what it called. */
export function analysisFailedNotice(failure: AnalysisFailure, occurredAt: Date): ErrorNotice {
  return {
    system: '',
    occurredAt,
    kind: failure.kind,
    message: `Bedrock エージェント呼び出しエラー: ${failure.message}`,
    details: {
      function_name: failure.agent === undefined ? 'localAnalysis' : 'invokeAgent',
      ...(failure.agent === undefined
        ? {}
        : { agent_id: failure.agent.agentId, agent_alias_id: failure.agent.agentAliasId }),
      incident_id: failure.incidentId,
    },
    footer: NOTICE_FOOTER,
  };
}

export interface ReportFailure {
  incidentId: string;
  /** ReportFailureReason, or `unknown`. */
  reason: string;
  /** What was being done, e.g. `create page`. */
  action: string;
  message: string;
  target: 'confluence' | 'local';
  spaceKey?: string;
}

/** `CONFLUENCE_AUTH`, `CONFLUENCE_SPACE_NOT_FOUND`, … or `LOCAL_REPORT_UNKNOWN`. */
export function reportFailedNotice(failure: ReportFailure, occurredAt: Date): ErrorNotice {
  const prefix = failure.target === 'confluence' ? 'CONFLUENCE' : 'LOCAL_REPORT';
  return {
    system: '',
    occurredAt,
    kind: `${prefix}_${failure.reason.toUpperCase()}`,
    message: `レポート作成エラー: ${failure.message}`,
    details: {
      function_name: failure.target === 'confluence' ? 'publishConfluenceReport' : 'writeLocalReport',
      action: failure.action,
      ...(failure.spaceKey === undefined ? {} : { space: failure.spaceKey }),
      incident_id: failure.incidentId,
    },
    footer: NOTICE_FOOTER,
  };
}
