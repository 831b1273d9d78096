/**
 * A fake Amazon Connect speaking the real wire format of StartOutboundVoiceContact, for the real
 * @aws-sdk/client-connect pointed at it through AWS_ENDPOINT_URL_CONNECT:
 * `PUT /contact/outbound-voice`, SigV4-signed JSON body → `{"ContactId": "…"}`.
 * - ClientToken idempotency like Connect's: the same token answers the first call's ContactId and dials
 *   nobody again (`dials` counts real rings, `requests` every request).
 * - Scripted errors (`failNext`) answer the way Connect does: the status, `x-amzn-ErrorType` and
 *   `{"message"}`, e.g. ThrottlingException 429, InvalidParameterException 400,
 *   DestinationNotAllowedException 403.
 * https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundVoiceContact.html
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeConnectCall {
  contactId: string;
  instanceId: string;
  contactFlowId: string;
  sourcePhone: string;
  destinationPhone: string;
  attributes: Record<string, string>;
  clientToken: string | undefined;
  at: number;
}

export interface ScriptedConnectError {
  status: number;
  type: string;
  message?: string;
}

export interface FakeConnect {
  url: string;
  /** Every call that rang a phone, oldest first. */
  dials: FakeConnectCall[];
  /** Every request received, including idempotent repeats and scripted failures. */
  requests: number;
  /** The well-formed StartOutboundVoiceContact requests, repeats and failures included, oldest first. */
  received: {
    clientToken: string | undefined;
    destinationPhone: string;
    attributes: Record<string, string>;
  }[];
  /** The next `count` requests fail with `error` (and dial nobody). */
  failNext(count: number, error: ScriptedConnectError): void;
  /** Requests to a destination fail with `error` until cleared (a number Connect may not dial). */
  failFor(destinationPhone: string, error: ScriptedConnectError | undefined): void;
  close(): Promise<void>;
}

export const CONNECT_ERRORS = {
  throttled: { status: 429, type: 'ThrottlingException', message: 'Rate exceeded' },
  invalidNumber: {
    status: 400,
    type: 'InvalidParameterException',
    message: 'The phone number is not valid',
  },
  notAllowed: {
    status: 403,
    type: 'DestinationNotAllowedException',
    message: 'Outbound calls to this destination are not allowed',
  },
  limit: { status: 429, type: 'LimitExceededException', message: 'Concurrent call limit exceeded' },
} satisfies Record<string, ScriptedConnectError>;

export async function startFakeConnect(): Promise<FakeConnect> {
  const byToken = new Map<string, string>();
  const failing = new Map<string, ScriptedConnectError>();
  let scripted: { count: number; error?: ScriptedConnectError } = { count: 0 };

  const fake: FakeConnect = {
    url: '',
    dials: [],
    requests: 0,
    received: [],
    failNext: (count, error) => {
      scripted = { count, error };
    },
    failFor: (destination, error) => {
      if (error === undefined) failing.delete(destination);
      else failing.set(destination, error);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      fake.requests += 1;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-amzn-requestid': randomUUID(),
          ...headers,
        });
        res.end(JSON.stringify(body));
      };
      const fail = (error: ScriptedConnectError) =>
        send(error.status, { message: error.message ?? error.type }, { 'x-amzn-ErrorType': error.type });

      if (req.method !== 'PUT' || req.url !== '/contact/outbound-voice') {
        return fail({ status: 404, type: 'UnknownOperationException', message: `${req.method} ${req.url}` });
      }
      if (!(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        return fail({ status: 403, type: 'MissingAuthenticationTokenException' });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return fail({ status: 400, type: 'SerializationException' });
      }
      const text = (key: string) => (typeof body[key] === 'string' ? body[key] : '');
      for (const required of ['InstanceId', 'ContactFlowId', 'DestinationPhoneNumber']) {
        if (text(required) === '') {
          return fail({ status: 400, type: 'InvalidParameterException', message: `${required} is required` });
        }
      }
      const destination = text('DestinationPhoneNumber');
      const token = typeof body['ClientToken'] === 'string' ? body['ClientToken'] : undefined;
      const attributes = (body['Attributes'] ?? {}) as Record<string, string>;
      fake.received.push({ clientToken: token, destinationPhone: destination, attributes });
      if (scripted.count > 0 && scripted.error !== undefined) {
        scripted.count -= 1;
        return fail(scripted.error);
      }
      const failure = failing.get(destination);
      if (failure !== undefined) return fail(failure);

      const known = token === undefined ? undefined : byToken.get(token);
      if (known !== undefined) return send(200, { ContactId: known });
      const contactId = randomUUID();
      if (token !== undefined) byToken.set(token, contactId);
      fake.dials.push({
        contactId,
        instanceId: text('InstanceId'),
        contactFlowId: text('ContactFlowId'),
        sourcePhone: text('SourcePhoneNumber'),
        destinationPhone: destination,
        attributes,
        clientToken: token,
        at: Date.now(),
      });
      send(200, { ContactId: contactId });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
