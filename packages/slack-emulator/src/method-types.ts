/** The contract between the Web API router and the method implementations. */
import type { Workspace } from './workspace.js';
import type { AnswerOf, WebApiMethod, WireArguments } from './web-api-types.js';

export interface MethodContext<M extends WebApiMethod = WebApiMethod> {
  /** Decoded arguments: form fields (strings) or the JSON body, without the token, by the library's names. */
  args: WireArguments<M>;
  workspace: Workspace;
  /** The request's Host header, so URLs handed out (Socket Mode) point back at this emulator. */
  host: string;
  /** Where the emulator is mounted ('' at the root). */
  basePath: string;
  /** Issues a single-use Socket Mode connection ticket. */
  issueSocketTicket(): string;
}

export interface MethodSpec<M extends WebApiMethod> {
  /** Which token the method accepts: bot (xoxb-) for everything but apps.connections.open (xapp-). */
  token: 'bot' | 'app';
  /** Returns the success body without `ok`; throws SlackApiError for `{ok:false}`. */
  handler(ctx: MethodContext<M>): AnswerOf<M>;
}

/** Methods by the names @slack/web-api gives them, each typed with the library's arguments and response. */
export type MethodTable = { [M in WebApiMethod]?: MethodSpec<M> };
