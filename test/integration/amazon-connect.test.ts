/**
 * The Connect adapter: the real @aws-sdk/client-connect, found through AWS_ENDPOINT_URL_CONNECT, against the
 * Connect fake — the request it sends, ClientToken idempotency across SDK retries, and how each refusal is
 * classified and worded (numbers masked).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConnectCaller, type ConnectCaller } from '../../src/integrations/amazon-connect.js';
import { createLocalPhone } from '../../src/integrations/local-phone.js';
import { AppError } from '../../src/errors.js';
import { CONNECT_ERRORS } from '../fakes/connect.js';
import { startPhoneFakes, type PhoneFakes } from '../helpers/escalation.js';

const PHONE = '+819012340001';
let fakes: PhoneFakes;
let caller: ConnectCaller;
let once: ConnectCaller;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  const ids = {
    region: 'ap-northeast-1',
    instanceId: 'inst-1',
    contactFlowId: 'flow-1',
    sourcePhone: '+815012345678',
  };
  caller = createConnectCaller(ids);
  once = createConnectCaller({ ...ids, maxAttempts: 1 });
});
afterAll(async () => {
  caller.close();
  once.close();
  await fakes.close();
});
beforeEach(() => {
  fakes.connect.dials.length = 0;
  fakes.connect.received.length = 0;
});

const request = (clientToken: string) => ({ phone: PHONE, attributes: { incidentId: 'INC-1' }, clientToken });

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('createConnectCaller', () => {
  it('starts an outbound voice contact; the same ClientToken rings once', async () => {
    const first = await caller.startCall(request('tok-1'));
    const again = await caller.startCall(request('tok-1'));
    expect(again.contactId).toBe(first.contactId);
    expect(fakes.connect.dials).toEqual([
      expect.objectContaining({
        contactId: first.contactId,
        instanceId: 'inst-1',
        contactFlowId: 'flow-1',
        sourcePhone: '+815012345678',
        destinationPhone: PHONE,
        attributes: { incidentId: 'INC-1' },
        clientToken: 'tok-1',
      }),
    ]);
  });

  it('lets the SDK retry a throttled call with the same ClientToken', async () => {
    fakes.connect.failNext(1, CONNECT_ERRORS.throttled);
    const { contactId } = await caller.startCall(request('tok-2'));
    expect(contactId).toBe(fakes.connect.dials[0]?.contactId);
    expect(fakes.connect.received.map((r) => r.clientToken)).toEqual(['tok-2', 'tok-2']);
    expect(fakes.connect.dials).toHaveLength(1);
  });

  it.each([
    ['throttled', CONNECT_ERRORS.throttled, 'THROTTLING'],
    ['invalidNumber', CONNECT_ERRORS.invalidNumber, 'INVALID_NUMBER'],
    ['notAllowed', CONNECT_ERRORS.notAllowed, 'INVALID_NUMBER'],
    ['limit', CONNECT_ERRORS.limit, 'LIMIT_EXCEEDED'],
  ] as const)('wraps %s into CALL_FAILED with its kind', async (_name, error, kind) => {
    fakes.connect.failNext(1, { ...error, message: `${error.message}: ${PHONE}` });
    const e = await failure(once.startCall(request(`tok-${kind}`)));
    expect(e.code).toBe('CALL_FAILED');
    expect(e.details).toMatchObject({ kind, name: error.type });
    expect(e.message).toContain('+81-***-***-0001');
    expect(e.message).not.toContain(PHONE);
    expect(fakes.connect.dials).toHaveLength(0);
  });

  it('classifies an unreachable Connect as SERVICE_UNAVAILABLE', async () => {
    const saved = process.env['AWS_ENDPOINT_URL_CONNECT'];
    process.env['AWS_ENDPOINT_URL_CONNECT'] = 'http://127.0.0.1:9';
    const down = createConnectCaller({
      region: 'ap-northeast-1',
      instanceId: 'i',
      contactFlowId: 'f',
      sourcePhone: '+815012345678',
      maxAttempts: 1,
    });
    try {
      expect((await failure(down.startCall(request('tok-down')))).details).toMatchObject({
        kind: 'SERVICE_UNAVAILABLE',
      });
    } finally {
      down.close();
      process.env['AWS_ENDPOINT_URL_CONNECT'] = saved;
    }
  });
});

describe('createLocalPhone', () => {
  it('records calls masked, tells listeners, and honours ClientToken like Connect', async () => {
    const phone = createLocalPhone({ now: () => 42 });
    const seen: string[] = [];
    const unsubscribe = phone.onCall((call) => seen.push(call.contactId));
    const first = await phone.startCall(request('tok-a'));
    expect(await phone.startCall(request('tok-a'))).toEqual(first);
    await phone.startCall(request('tok-b'));
    unsubscribe();
    await phone.startCall(request('tok-c'));
    expect(phone.calls().map((c) => c.phone)).toEqual([
      '+81-***-***-0001',
      '+81-***-***-0001',
      '+81-***-***-0001',
    ]);
    expect(phone.calls()[0]).toMatchObject({
      contactId: first.contactId,
      at: 42,
      attributes: { incidentId: 'INC-1' },
    });
    expect(seen).toHaveLength(2);
    expect(JSON.stringify(phone.calls())).not.toContain(PHONE);
  });
});
