/**
 * `POST /api/connect/contact-flow`: the Amazon Connect contact-flow Lambda event over HTTP, for local runs
 * (the emulator's phone panel), tests, and deployments that are not on Lambda. On Lambda, Connect invokes
 * the `connectFlow` handler directly with the same event and no token.
 * Order: `Authorization: Bearer CONNECT_CALLBACK_TOKEN` (constant time, before parsing) → JSON.parse →
 * zod → the escalation service. Answers the flat string map Connect expects, e.g. `{"message": "…"}`.
 */
import type { EscalationService } from '../../services/escalation.js';
import { parseContactFlowEvent } from '../../domain/contact-flow.js';
import { requireBearer, type SharedSecret } from '../auth.js';
import { invalidField, jsonBody } from '../json-body.js';
import { json, type Route } from '../types.js';

export const CONTACT_FLOW_PATH = '/api/connect/contact-flow';

export function connectRoutes(deps: {
  escalation: Pick<EscalationService, 'handleContactFlow'>;
  /** CONNECT_CALLBACK_TOKEN (with the local default in emulator mode). */
  token: SharedSecret;
}): Route[] {
  return [
    {
      method: 'POST',
      path: CONTACT_FLOW_PATH,
      handler: async (request) => {
        requireBearer(request, deps.token);
        const parsed = parseContactFlowEvent(jsonBody(request));
        if (!parsed.ok) throw invalidField(parsed);
        return json(200, await deps.escalation.handleContactFlow(parsed.request));
      },
    },
  ];
}
