/**
 * The outside systems behind the analysis, report and notice ports, chosen from the configuration. Part of the
 * composition root: only app.ts calls `buildIntegrations`.
 * - Analysis: the Bedrock agent when BEDROCK_AGENT_ID/BEDROCK_AGENT_ALIAS_ID are set, else the local analyser.
 * - Reports: Confluence when WIKI_URL/WIKI_USER/WIKI_API_KEY and CONFLUENCE_SPACE are set, else HTML files under
 *   DATA_DIR/reports served at PUBLIC_URL/reports/….
 * - Notices: Chatwork when CHATWORK_API_TOKEN and CHATWORK_ROOM_ID are set, else nothing is sent.
 */
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { createLocalAnalysis } from '../domain/local-analyser.js';
import type { Logger } from '../logger.js';
import type { AnalysisPort } from '../services/ports/analysis.js';
import type { Notifier } from '../services/ports/notifier.js';
import type { ReportDestination, ReportPublisher } from '../services/ports/report-publisher.js';
import { createBedrockAgentAnalysis, type BedrockAgentOptions } from './bedrock-agent.js';
import { createChatworkNotifier, createNullNotifier } from './chatwork.js';
import { createConfluencePublisher } from './confluence.js';
import { createLocalReportPublisher } from './local-report.js';

export interface Integrations {
  analysis: AnalysisPort;
  /** Set when the Bedrock agent is configured: it also writes report summaries. */
  agent?: { port: AnalysisPort; ids: { agentId: string; agentAliasId: string } };
  reportPublisher: ReportPublisher;
  reportDestination: ReportDestination;
  /** Where local reports are written (served by `GET /reports/:file`). */
  reportsDir: string;
  notifier: Notifier;
  /** True when notices really go somewhere (Chatwork). */
  notifying: boolean;
  /** Sends what is queued (Chatwork notices), keeping connections: a Lambda calls it before returning. */
  flush(): Promise<void>;
  /** Sends what is queued and releases connections. */
  close(): Promise<void>;
}

/** Tuning that is no setting of its own: tests shorten the Bedrock timeout and retries with it. */
export interface IntegrationOptions {
  bedrock?: Pick<BedrockAgentOptions, 'timeoutMs' | 'maxAttempts' | 'retryBaseDelayMs'>;
}

export function buildIntegrations(
  config: Config,
  logger: Logger,
  options: IntegrationOptions = {},
): Integrations {
  const closers: (() => Promise<void> | void)[] = [];
  const flushers: (() => Promise<void>)[] = [];
  const log = logger.child({ component: 'integrations' });

  const { agentId, agentAliasId } = config.bedrock;
  let agent: Integrations['agent'];
  if (agentId !== undefined && agentAliasId !== undefined) {
    const bedrock = createBedrockAgentAnalysis({
      agentId,
      agentAliasId,
      region: config.awsRegion,
      ...options.bedrock,
    });
    closers.push(() => bedrock.close());
    agent = { port: bedrock, ids: { agentId, agentAliasId } };
  }

  const reportsDir = join(config.dataDir, 'reports');
  const { url: wikiUrl, user: wikiUser, apiKey } = config.wiki;
  const { spaceKey, parentId } = config.confluence;
  let reportPublisher: ReportPublisher;
  let reportDestination: ReportDestination;
  if (wikiUrl !== undefined && wikiUser !== undefined && apiKey !== undefined && spaceKey !== undefined) {
    reportPublisher = createConfluencePublisher({
      host: wikiUrl,
      email: wikiUser,
      apiToken: apiKey.reveal(),
      spaceKey,
      ...(parentId === undefined ? {} : { parentId }),
    });
    reportDestination = { kind: 'confluence', spaceKey };
  } else {
    if (wikiUrl !== undefined)
      log.warn('WIKI_URL is set but CONFLUENCE_SPACE is not: reports are written locally');
    reportPublisher = createLocalReportPublisher({ dir: reportsDir, baseUrl: config.publicUrl });
    reportDestination = { kind: 'local' };
  }

  const { apiToken, roomId } = config.chatwork;
  let notifier: Notifier = createNullNotifier();
  if (apiToken !== undefined && roomId !== undefined) {
    // The notifier keeps its own real-time clock: Chatwork's rate windows are wall-clock windows.
    const chatwork = createChatworkNotifier({
      apiUrl: config.chatwork.apiUrl,
      apiToken: apiToken.reveal(),
      roomId,
      system: 'Hikeshi',
      logger,
    });
    closers.push(() => chatwork.flush());
    flushers.push(() => chatwork.flush());
    notifier = chatwork;
  }

  return {
    analysis: agent?.port ?? createLocalAnalysis(),
    ...(agent === undefined ? {} : { agent }),
    reportPublisher,
    reportDestination,
    reportsDir,
    notifier,
    notifying: apiToken !== undefined && roomId !== undefined,
    async flush() {
      for (const flush of flushers) await flush();
    },
    async close() {
      for (const close of closers) await close();
    },
  };
}
