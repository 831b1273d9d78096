/** The contract between the Web API router and the method implementations. */
import type { Workspace } from './workspace.js';
import type { JsonObject } from './types.js';

export interface MethodContext {
  /** Decoded arguments: form fields (strings) or the JSON body, without the token. */
  args: JsonObject;
  workspace: Workspace;
  /** The request's Host header, so URLs handed out (Socket Mode) point back at this emulator. */
  host: string;
  /** Where the emulator is mounted ('' at the root). */
  basePath: string;
  /** Issues a single-use Socket Mode connection ticket. */
  issueSocketTicket(): string;
}

export interface MethodSpec {
  /** Which token the method accepts: bot (xoxb-) for everything but apps.connections.open (xapp-). */
  token: 'bot' | 'app';
  /** Returns the success body without `ok`; throws SlackApiError for `{ok:false}`. */
  handler(ctx: MethodContext): JsonObject;
}

export type MethodTable = Record<string, MethodSpec>;
