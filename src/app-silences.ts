/**
 * The silences part of the composition root (issue 20), split out of src/app.ts for size: app.ts builds the
 * matcher before the incident service (every trigger asks it), then calls `buildSilences` once the incident and
 * escalation services exist. Nothing else builds these.
 */
import type { WebClient } from '@slack/web-api';
import type { Config } from './config/index.js';
import type { Clock } from './domain/clock.js';
import type { SharedSecret } from './ingress/auth.js';
import { silenceRoutes } from './ingress/routes/silences.js';
import type { Route } from './ingress/types.js';
import { createSlackSilenceAnnouncer } from './integrations/slack-silence-announcer.js';
import type { Logger } from './logger.js';
import type { EscalationService } from './services/escalation.js';
import type { IncidentService } from './services/incidents.js';
import { createSilenceMatcher, type SilenceMatcher } from './services/silence-matcher.js';
import { createSilenceService, type SilenceService } from './services/silences.js';
import type { Store } from './store/index.js';

export function buildSilenceMatcher(deps: { store: Store; clock: Clock; logger: Logger }): SilenceMatcher {
  return createSilenceMatcher({
    store: deps.store.silences,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'silences' }),
  });
}

export function buildSilences(
  config: Config,
  deps: {
    store: Store;
    matcher: SilenceMatcher;
    client: WebClient;
    incidents: IncidentService;
    escalation: EscalationService;
    clock: Clock;
    logger: Logger;
  },
): { service: SilenceService; routes(token: SharedSecret): Route[] } {
  const logger = deps.logger.child({ component: 'silences' });
  const service = createSilenceService({
    store: deps.store.silences,
    matcher: deps.matcher,
    incidents: deps.incidents,
    escalation: deps.escalation,
    announcer: createSlackSilenceAnnouncer({ client: deps.client, channel: config.slack.alertChannel }),
    clock: deps.clock,
    logger,
  });
  return {
    service,
    routes: (token) =>
      silenceRoutes({
        silences: service,
        clock: deps.clock,
        token,
      }),
  };
}
