/**
 * `POST /api/alerts`: Hikeshi's own alert format (src/domain/sources/generic.ts). Bearer token first, then the
 * content type, JSON and the schema; only a valid alert reaches the incident service.
 *
 * 202 `{incident_id, status, deduplicated}`, plus `"reopened": true` when a resolved incident fired again, and
 * `"silenced": true` when a silence in force matched it (stored and counted, shown and paged nowhere). An
 * acknowledge or resolve with no open incident answers 202 `{"status":"ignored", …}`: the sender did nothing
 * wrong, and a retry would change nothing.
 */
import { parseGenericAlert } from '../../domain/sources/generic.js';
import type { IncidentService } from '../../services/incidents.js';
import { requireBearer, type SharedSecret } from '../auth.js';
import { invalidField, jsonBody } from '../json-body.js';
import { json, type Route } from '../types.js';
import { ingestResult } from './alert-results.js';

export interface GenericAlertRouteDeps {
  incidents: IncidentService;
  /** ALERTS_API_TOKEN. */
  token: SharedSecret;
}

export function genericAlertRoutes(deps: GenericAlertRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/alerts',
      handler: async (request) => {
        requireBearer(request, deps.token);
        const parsed = parseGenericAlert(jsonBody(request));
        if (!parsed.ok) throw invalidField(parsed);
        const result = ingestResult(await deps.incidents.ingest(parsed.signal));
        if (result.action === 'ignored') {
          return json(202, { incident_id: null, status: 'ignored', reason: result.reason });
        }
        // 202: the incident is stored; its Slack message follows asynchronously.
        return json(202, {
          incident_id: result.incident_id,
          status: result.status,
          deduplicated: result.deduplicated,
          ...(result.action === 'reopened' ? { reopened: true } : {}),
          ...(result.silenced === true ? { silenced: true } : {}),
        });
      },
    },
  ];
}
