/**
 * `GET /metrics`: the process's figures in the Prometheus text format (src/integrations/prometheus-metrics.ts;
 * what to alert on is in docs/RELIABILITY.md). Protected by `Authorization: Bearer <METRICS_TOKEN>`
 * (Prometheus `scrape_config.authorization`). Unset, it is open in local emulator mode and refused with 401
 * in any other mode, like every other credential.
 */
import type { Logger } from '../../logger.js';
import { LOCAL_DEV_TOKEN, createSharedSecret, requireBearer, type RevealableSecret } from '../auth.js';
import type { Route } from '../types.js';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteDeps {
  render(): Promise<string>;
  contentType: string;
  /** METRICS_TOKEN. */
  token: RevealableSecret | undefined;
  /** Local emulator mode: an unset METRICS_TOKEN leaves the endpoint open. */
  openWhenUnset: boolean;
  logger: Logger;
}

export function metricsRoutes(deps: MetricsRouteDeps): Route[] {
  const token =
    deps.token === undefined && deps.openWhenUnset
      ? undefined
      : createSharedSecret({
          variable: 'METRICS_TOKEN',
          value: deps.token,
          localDefault: LOCAL_DEV_TOKEN,
          allowLocalDefault: false,
          logger: deps.logger,
          credentialName: 'bearer token',
        });
  return [
    {
      method: 'GET',
      path: METRICS_PATH,
      handler: async (request) => {
        if (token !== undefined) requireBearer(request, token);
        return {
          status: 200,
          headers: { 'content-type': deps.contentType, 'cache-control': 'no-store' },
          body: await deps.render(),
        };
      },
    },
  ];
}
