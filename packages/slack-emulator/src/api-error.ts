/** A Web API failure: answered as HTTP 200 `{ok:false, error, ...extra}`, exactly as Slack answers it. */
import type { JsonObject } from './types.js';

export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: JsonObject = {},
  ) {
    super(code);
    this.name = 'SlackApiError';
  }

  /** An error with Slack's `response_metadata.messages` detail lines (invalid_blocks, invalid_arguments). */
  static withMessages(code: string, messages: string[]): SlackApiError {
    return new SlackApiError(code, { response_metadata: { messages } });
  }
}
