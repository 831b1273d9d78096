/**
 * Phone escalation tests: the Connect and Chatwork fakes, the environment that points the real clients at
 * them (the SDK's AWS_ENDPOINT_URL_CONNECT and dummy credentials go into `process.env`, restored by
 * `close()`), an on-call list, the contact-flow endpoint, and a second app on the same store and Slack (two
 * processes, or the process after a restart).
 */
import type { HikeshiApp } from '../../src/app.js';
import { contactFlowEvent } from '../../src/domain/contact-flow.js';
import type { CallRecord } from '../../src/domain/call-record.js';
import type { Logger } from '../../src/logger.js';
import { startFakeChatwork, type FakeChatwork } from '../fakes/chatwork.js';
import { startFakeConnect, type FakeConnect } from '../fakes/connect.js';
import { startHikeshi, startPeer as startAppPeer, type TestHikeshi } from './hikeshi.js';

export const ALICE = { userId: 'U0ALICE01', phone: '+819012340001', priority: 1 };
export const BOB = { userId: 'U0BOB0001', phone: '+819012340002', priority: 2 };
export const CALLBACK_TOKEN = 'connect-callback-token-4f1e9a';
export const SOURCE_PHONE = '+815012345678';
const CHATWORK_TOKEN = 'cw-token-escalation-77aa';

export interface PhoneFakes {
  connect: FakeConnect;
  chatwork: FakeChatwork;
  /** Hikeshi's settings: the four CONNECT ids, the callback token, Chatwork. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startPhoneFakes(): Promise<PhoneFakes> {
  const [connect, chatwork] = await Promise.all([
    startFakeConnect(),
    startFakeChatwork({ apiToken: CHATWORK_TOKEN }),
  ]);
  const saved = new Map<string, string | undefined>();
  const set = (name: string, value: string) => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    process.env[name] = value;
  };
  set('AWS_ENDPOINT_URL_CONNECT', connect.url);
  set('AWS_ACCESS_KEY_ID', 'AKIDFAKECONNECT01');
  set('AWS_SECRET_ACCESS_KEY', 'fake-connect-secret-access-key');
  set('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  return {
    connect,
    chatwork,
    env: {
      CONNECT_INSTANCE_REGION: 'ap-northeast-1',
      CONNECT_INSTANCE_ID: 'inst-0f2d',
      CONNECT_CONTACT_FLOW_ID: 'flow-9c1b',
      CONNECT_SOURCE_PHONE: SOURCE_PHONE,
      CONNECT_CALLBACK_TOKEN: CALLBACK_TOKEN,
      CHATWORK_API_TOKEN: CHATWORK_TOKEN,
      CHATWORK_ROOM_ID: '424242',
      CHATWORK_API_URL: `${chatwork.url}/v2`,
    },
    async close() {
      await Promise.all([connect.close(), chatwork.close()]);
      for (const [name, value] of saved) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
    },
  };
}

export async function startEscalationHikeshi(
  fakes: PhoneFakes,
  options: { env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestHikeshi> {
  const h = await startHikeshi({
    env: { ...fakes.env, ...options.env },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await h.app.services.oncall.replace([ALICE, BOB]);
  return h;
}

/** A peer process (helpers/hikeshi.ts `startPeer`) with the phone fakes' settings. */
export function startPeer(
  h: TestHikeshi,
  fakes: PhoneFakes,
  options: { env?: Record<string, string>; logger?: Logger } = {},
): Promise<HikeshiApp> {
  return startAppPeer(h, { ...options, env: { ...fakes.env, ...options.env } });
}

/** Posts a contact-flow event to the app, as the emulator's phone panel (or a non-Lambda deploy) does. */
export async function postContactFlow(
  baseUrl: string,
  body: unknown,
  /** null: no Authorization header. */
  token: string | null = CALLBACK_TOKEN,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/api/connect/contact-flow`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The responder pressing a key (or not) on the call Connect placed. */
export function respond(
  h: TestHikeshi,
  dial: { contactId: string; attributes: Record<string, string> },
  response: string,
) {
  return postContactFlow(
    h.baseUrl,
    contactFlowEvent({
      contactId: dial.contactId,
      attributes: dial.attributes,
      action: 'response',
      response,
    }),
  );
}

export async function history(h: TestHikeshi, incidentId: string): Promise<CallRecord[]> {
  return (await h.app.services.escalation.calls(incidentId)).records;
}

export const SECOND = 1000;
