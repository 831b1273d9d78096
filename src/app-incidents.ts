/**
 * The incident capability: the Slack publisher (one message per incident and per storm digest, across
 * processes) and the incident service with its storm digests, metered.
 */
import type { chainMarkersFor, routeFor } from './app-policies.js';
import type { SilenceMatcher } from './services/silence-matcher.js';
import type { AppOverrides } from './app-types.js';
import type { Config } from './config/index.js';
import type { Clock } from './domain/clock.js';
import type { MetricsRegistry } from './integrations/prometheus-metrics.js';
import {
  createSlackIncidentPublisher,
  POST_ATTEMPT_MEMORY_SECONDS,
} from './integrations/slack-incident-publisher.js';
import type { Logger } from './logger.js';
import { createIncidentDigests } from './services/incident-digests.js';
import { createIncidentService, type IncidentService } from './services/incidents.js';
import { meterIncidents } from './services/metered.js';
import { incidentStoreOf, type Store } from './store/index.js';
import type { WebClient } from '@slack/web-api';

export function buildIncidents(
  config: Config,
  deps: {
    store: Store;
    slackClient: WebClient;
    clock: Clock;
    logger: Logger;
    metrics: MetricsRegistry;
    overrides: AppOverrides;
    /** Issue 19: each new incident's policy (and maybe a channel) from ONCALL_CONFIG's routes. */
    route: ReturnType<typeof routeFor>;
    /** Issue 19: the escalation sweep's marker for each new incident (app-policies.ts `chainMarkersFor`). */
    expectChain: ReturnType<typeof chainMarkersFor>;
    /** Silences (issue 20): every trigger asks the matcher. */
    silences: SilenceMatcher;
  },
) {
  const { store, clock, logger, metrics, overrides } = deps;
  // The publisher and the service refer to each other (the publisher renders stored incidents and records
  // where it posted them), so the publisher reaches the service through this late-bound reference.
  const late: { incidents?: IncidentService } = {};
  const incidentService = () => {
    if (!late.incidents) throw new Error('incident service not built yet');
    return late.incidents;
  };
  // A cluster's HTTP worker hands its changes to the primary's publisher: one publisher per deployment.
  const publisher =
    overrides.cluster?.publisher ??
    createSlackIncidentPublisher({
      client: deps.slackClient,
      channel: config.slack.alertChannel,
      load: (id) => incidentService().get(id),
      attach: (id, message, rendered) => incidentService().attachMessage(id, message, rendered),
      replace: (id, gone, message, rendered) => incidentService().replaceMessage(id, gone, message, rendered),
      shown: (id, version) => incidentService().markShown(id, version),
      // One message per incident across processes (two servers, Lambda containers) and crashes: durable claims.
      postClaims: {
        claim: (id, leaseSeconds) => store.dedup.claim(`slack-post:${id}`, leaseSeconds),
        release: (id) => store.dedup.release(`slack-post:${id}`),
        firstAttempt: (id) => store.dedup.claim(`slack-post-attempt:${id}`, POST_ATTEMPT_MEMORY_SECONDS),
      },
      // Storm digests: one message per channel-minute across processes and crashes, the same way.
      digests: {
        load: (id) => store.digests.get(id),
        attach: (id, message, rendered) => store.digests.attach(id, message, rendered),
        shown: (id, version) => store.digests.markShown(id, version),
        postClaims: {
          claim: (id, leaseSeconds) => store.dedup.claim(`slack-digest-post:${id}`, leaseSeconds),
          release: (id) => store.dedup.release(`slack-digest-post:${id}`),
          firstAttempt: (id) => store.dedup.claim(`slack-digest-attempt:${id}`, POST_ATTEMPT_MEMORY_SECONDS),
        },
      },
      logger: logger.child({ component: 'slack-publisher' }),
      metrics,
      ...overrides.slackPacing,
    });
  const incidents = meterIncidents(
    createIncidentService({
      silences: deps.silences,
      incidents: incidentStoreOf(store.incidents),
      publisher,
      clock,
      logger,
      reopenWindowMs: config.reopenWindowMinutes * 60_000,
      route: deps.route,
      expectChain: deps.expectChain,
      // A Lambda serves one request at a time and freezes after answering: write every repeat before answering.
      ...(overrides.runtime === 'lambda' ? { foldFlushIntervalMs: 0 } : {}),
      digests: createIncidentDigests({
        store: store.digests,
        publisher,
        channel: config.slack.alertChannel,
        digestAfter: config.slack.digestAfter,
        clock,
        logger: logger.child({ component: 'digests' }),
      }),
    }),
    metrics,
  );
  late.incidents = incidents;
  return { publisher, incidents };
}
