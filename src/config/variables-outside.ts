/**
 * Phone escalation (Amazon Connect) and the outside systems: Confluence, the Bedrock agent, Chatwork (variables.ts).
 */
import * as z from '../domain/zod.js';
import { SEVERITIES } from '../domain/alert.js';
import { isE164 } from '../domain/phone.js';
import { Invalid, got, field, text, oneOf, integer, baseUrl, secret, type VariableSpec } from './fields.js';

export const OUTSIDE_VARIABLES = {
  CONNECT_INSTANCE_REGION: {
    schema: z.optional(text),
    description:
      'Region of the Amazon Connect instance. The four CONNECT_* ids: all or none (none: no phone).',
  },
  CONNECT_INSTANCE_ID: { schema: z.optional(text), description: 'Amazon Connect instance id.' },
  CONNECT_CONTACT_FLOW_ID: {
    schema: z.optional(text),
    description: 'Id of the imported Hikeshi contact flow (docs/connect-contact-flow.json).',
  },
  CONNECT_SOURCE_PHONE: {
    schema: z.optional(
      field((value) =>
        isE164(value)
          ? value
          : new Invalid('expected an E.164 number claimed in the instance, e.g. +815012345678'),
      ),
    ),
    description: 'Caller number (E.164) claimed in the Connect instance.',
  },
  CONNECT_CALLBACK_TOKEN: {
    schema: z.optional(secret()),
    secretKey: 'connect_callback_token',
    secret: true,
    description:
      'Bearer token of POST /api/connect/contact-flow; required with CONNECT_INSTANCE_ID in production off Lambda (the Lambda handler needs none).',
  },
  ESCALATE_SEVERITY: {
    schema: oneOf(SEVERITIES),
    default: 'critical',
    description: 'Incidents at least this severe are phoned about: critical, error, warning or info.',
  },
  ESCALATE_AFTER_SECONDS: {
    schema: integer(0, 86_400, 'a whole number of seconds from 0 to 86400'),
    default: '300',
    description: 'How long an incident may stay unacknowledged before the first call.',
  },
  CALL_RETRY_SECONDS: {
    schema: integer(0, 3_600, 'a whole number of seconds from 0 to 3600'),
    default: '30',
    description: 'Pause after a declined or unanswered call before the next responder is called.',
  },
  ESCALATION_ROUNDS: {
    schema: integer(1, 10, 'a whole number from 1 to 10'),
    default: '3',
    description: 'How many times the whole on-call list is called before "nobody answered".',
  },
  ESCALATION_TICK_SECONDS: {
    schema: integer(1, 3_600, 'a whole number of seconds from 1 to 3600'),
    default: '15',
    description: 'How often the in-process scheduler advances phone escalations.',
  },
  CALL_ANSWER_TIMEOUT_SECONDS: {
    schema: integer(10, 3_600, 'a whole number of seconds from 10 to 3600'),
    default: '120',
    description: 'A call with no answer from the contact flow after this long counts as no answer.',
  },
  WIKI_URL: {
    schema: z.optional(baseUrl),
    secretKey: 'wiki_url',
    description: 'Confluence URL, e.g. https://example.atlassian.net/wiki.',
  },
  WIKI_USER: { schema: z.optional(text), secretKey: 'wiki_user', description: 'Confluence user (email).' },
  WIKI_API_KEY: {
    schema: z.optional(secret()),
    secretKey: 'wiki_api_key',
    secret: true,
    description: 'Confluence API token.',
  },
  CONFLUENCE_SPACE: { schema: z.optional(text), description: 'Confluence space key reports are written to.' },
  CONFLUENCE_PARENT_ID: {
    schema: z.optional(text),
    description: 'Confluence page id reports are created under.',
  },
  BEDROCK_AGENT_ID: {
    schema: z.optional(text),
    secretKey: 'bedrock_agent',
    description: 'Bedrock Agent id.',
  },
  BEDROCK_AGENT_ALIAS_ID: {
    schema: z.optional(text),
    secretKey: 'bedrock_agent_alias',
    description: 'Bedrock Agent alias id.',
  },
  CHATWORK_API_TOKEN: {
    schema: z.optional(secret()),
    secretKey: 'CHATWORK_API_TOKEN',
    secret: true,
    description: 'Chatwork API token for error notices.',
  },
  CHATWORK_ROOM_ID: {
    schema: z.optional(
      field((value) =>
        /^\d+$/.test(value)
          ? value
          : new Invalid(`expected a numeric room id (the digits after rid), ${got(value)}`),
      ),
    ),
    secretKey: 'CHATWORK_ROOM_ID',
    description: 'Chatwork room id (the digits after rid in the room URL).',
  },
  CHATWORK_API_URL: {
    schema: baseUrl,
    default: 'https://api.chatwork.com/v2',
    description: 'Chatwork API base URL.',
  },
} as const satisfies Record<string, VariableSpec>;
