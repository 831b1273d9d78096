import type { Health } from '../../services/health.js';
import { json, type Route } from '../types.js';

/**
 * The seed's health check: load balancers and uptime monitors expect exactly `{"status":"healthy"}` when
 * fine. When the store cannot serve, 503 says why, so a balancer takes the process out of rotation.
 */
export function healthRoutes(options: { check: () => Promise<Health> }): Route[] {
  return [
    {
      method: 'GET',
      path: '/health',
      handler: async () => {
        const health = await options.check();
        return health.healthy
          ? json(200, { status: 'healthy' })
          : json(503, { status: 'unhealthy', store: health.store }, { 'cache-control': 'no-store' });
      },
    },
  ];
}
