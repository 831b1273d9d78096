import { json, type Route } from '../types.js';

/** The seed's health check: load balancers and uptime monitors expect exactly this body. */
export function healthRoutes(): Route[] {
  return [{ method: 'GET', path: '/health', handler: async () => json(200, { status: 'healthy' }) }];
}
