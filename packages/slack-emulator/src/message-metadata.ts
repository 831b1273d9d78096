/**
 * Message metadata (https://docs.slack.dev/messaging/message-metadata): `{event_type, event_payload}` on
 * chat.postMessage, read back only through conversations.history / conversations.replies with
 * `include_all_metadata=true`. What Slack checks, and how it answers:
 * - a `metadata` that is not JSON, or not a JSON object: `invalid_metadata_format` (the message is not posted);
 * - no `event_type` string or no `event_payload` object: `invalid_metadata_schema` (not posted);
 * - an `event_type` with anything but letters, digits, `_` and `-`: posted, with the metadata ignored and an
 *   `invalid_metadata_schema` warning (Slack's warnings: `warning` plus `response_metadata.warnings`).
 */
import { SlackApiError } from './api-error.js';
import { isObject, jsonField } from './json.js';
import type { JsonObject } from './types.js';

export type MetadataArgument =
  | { kind: 'none' }
  | { kind: 'valid'; metadata: JsonObject }
  | { kind: 'ignored'; warning: 'invalid_metadata_schema' };

const EVENT_TYPE = /^[A-Za-z0-9_-]+$/;

/** Reads the `metadata` argument; throws the SlackApiError Slack answers for a malformed one. */
export function readMetadata(args: JsonObject): MetadataArgument {
  const field = jsonField(args, 'metadata');
  if (field.kind === 'missing') return { kind: 'none' };
  if (field.kind === 'invalid' || !isObject(field.value)) throw new SlackApiError('invalid_metadata_format');
  const { event_type: eventType, event_payload: eventPayload } = field.value;
  if (typeof eventType !== 'string' || eventType === '' || !isObject(eventPayload)) {
    throw new SlackApiError('invalid_metadata_schema');
  }
  if (!EVENT_TYPE.test(eventType)) return { kind: 'ignored', warning: 'invalid_metadata_schema' };
  return { kind: 'valid', metadata: { event_type: eventType, event_payload: eventPayload } };
}

/** The fields a method adds to its answer for a warning, as Slack sends them. */
export function warningFields(metadata: MetadataArgument): JsonObject {
  return metadata.kind === 'ignored'
    ? { warning: metadata.warning, response_metadata: { warnings: [metadata.warning] } }
    : {};
}
