/**
 * The Web API's own types, from @slack/web-api: every emulated method is named as the library names it, and its
 * handler reads the arguments and answers the fields the library declares for it (`ChatPostMessageArguments`,
 * `ChatPostMessageResponse`, …), so a misspelt argument or a response field Slack does not have fails the type
 * check. Values still arrive untyped over the wire and are checked at run time, as Slack checks them.
 */
import type { WebClient } from '@slack/web-api';

type AnyMethod = (...args: never[]) => Promise<unknown>;

/** The namespaces the emulator covers. */
type Covered = Pick<WebClient, 'apps' | 'auth' | 'chat' | 'conversations' | 'usergroups' | 'users' | 'views'>;

type Paths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends AnyMethod
    ? `${Prefix}${K}`
    : T[K] extends object
      ? Paths<T[K], `${Prefix}${K}.`>
      : never;
}[keyof T & string];

/** `chat.postMessage`, `usergroups.users.update`, …: every method of the covered namespaces. */
export type WebApiMethod = Paths<Covered>;

type At<T, M extends string> = M extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? At<T[Head], Rest>
    : never
  : M extends keyof T
    ? T[M]
    : never;

type MethodOf<M extends WebApiMethod> = At<Covered, M> extends AnyMethod ? At<Covered, M> : never;

/** The library's `…Arguments` for the method. */
export type ArgumentsOf<M extends WebApiMethod> = NonNullable<Parameters<MethodOf<M>>[0]>;
/** The library's `…Response` for the method. */
export type ResponseOf<M extends WebApiMethod> = Awaited<ReturnType<MethodOf<M>>>;

/** Fields every response may carry, added by the router rather than the handler. */
type Envelope = 'ok' | 'error' | 'warning' | 'needed' | 'provided';

/** What a handler answers: only fields the library's response type declares (values checked by the tests). */
export type AnswerOf<M extends WebApiMethod> = {
  [K in Exclude<keyof ResponseOf<M>, Envelope>]?: unknown;
};

/** Every key of every member of a union (the `…Arguments` types are unions of the ways to call a method). */
type KeysOfUnion<T> = T extends unknown ? keyof T & string : never;

/** The names of the method's arguments, as the library declares them (reads of other names fail the check). */
export type ArgumentName<M extends WebApiMethod> = Exclude<KeysOfUnion<ArgumentsOf<M>>, 'token'>;

/** The arguments as they arrive: the library's names, values not yet checked. */
export type WireArguments<M extends WebApiMethod> = { readonly [K in ArgumentName<M>]?: unknown };
