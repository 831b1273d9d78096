/**
 * PhoneCaller over Amazon Connect: StartOutboundVoiceContact with the instance, the Hikeshi contact flow
 * (docs/connect-contact-flow.json) and the claimed source number.
 *
 * - Endpoint: the SDK resolves `AWS_ENDPOINT_URL_CONNECT` itself (tests point it at test/fakes/connect.ts),
 *   so there is no endpoint option here.
 * - Idempotency: the caller's ClientToken is always passed. The SDK would otherwise fill in a random one,
 *   and its own retries (throttling, 5xx) or our re-send after a crash would then ring the phone twice.
 *   Connect remembers a token for 7 days.
 * - Failures become `AppError(CallFailed)` with `details.kind` (INVALID_NUMBER, THROTTLING, …) and a
 *   message whose phone numbers are masked, because it ends up in the call history shown in Slack.
 * https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundVoiceContact.html
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import { classifyCallError } from '../domain/call-record.js';
import { maskPhonesInText } from '../domain/phone.js';
import { AppError, ErrorCode } from '../errors.js';
import type { CallRequest, PhoneCaller } from '../services/ports/phone-caller.js';

export interface ConnectCallerOptions {
  /** CONNECT_INSTANCE_REGION: the instance's region, which may differ from the app's. */
  region: string;
  instanceId: string;
  contactFlowId: string;
  /** CONNECT_SOURCE_PHONE: a number claimed in the instance, E.164. */
  sourcePhone: string;
  /** Pass one to share it, or in tests; otherwise one is built (and `close()` destroys it). */
  client?: ConnectClient;
  /** SDK attempts per call (its retries reuse our ClientToken, so they are safe). Default 3. */
  maxAttempts?: number;
  /** Per-request timeout in ms. Default 10 s: a tick must not hang on one call. */
  timeoutMs?: number;
}

export interface ConnectCaller extends PhoneCaller {
  close(): void;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : error.message;
  return String(error);
}

/** Wraps any StartOutboundVoiceContact failure into a coded AppError. */
export function toCallError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const kind = classifyCallError(error);
  const name = error instanceof Error ? error.name : 'Error';
  return new AppError(
    ErrorCode.CallFailed,
    `StartOutboundVoiceContact failed (${name}): ${maskPhonesInText(messageOf(error))}`,
    { cause: error, details: { kind, name } },
  );
}

export function createConnectCaller(options: ConnectCallerOptions): ConnectCaller {
  const ownsClient = options.client === undefined;
  let created = options.client;
  // Loaded and built on the first call, not at start-up: most Lambda invocations (and most processes) never
  // place one, and a Lambda cold start compiles only what its entry imports statically (scripts/build-lambda.ts).
  const connectSdk = () => import('./amazon-connect-sdk.js');
  const client = async (): Promise<ConnectClient> => {
    const { ConnectClient } = await connectSdk();
    return (created ??= new ConnectClient({
      region: options.region,
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: { requestTimeout: options.timeoutMs ?? 10_000 },
    }));
  };

  return {
    kind: 'connect',
    async startCall(request: CallRequest) {
      let contactId: string | undefined;
      try {
        const { StartOutboundVoiceContactCommand } = await connectSdk();
        const output = await (
          await client()
        ).send(
          new StartOutboundVoiceContactCommand({
            InstanceId: options.instanceId,
            ContactFlowId: options.contactFlowId,
            SourcePhoneNumber: options.sourcePhone,
            DestinationPhoneNumber: request.phone,
            Attributes: request.attributes,
            ClientToken: request.clientToken,
          }),
        );
        contactId = output.ContactId;
      } catch (error) {
        throw toCallError(error);
      }
      if (contactId === undefined || contactId === '') {
        throw new AppError(ErrorCode.CallFailed, 'StartOutboundVoiceContact answered without a ContactId', {
          details: { kind: 'UNKNOWN' },
        });
      }
      return { contactId };
    },
    close() {
      if (ownsClient) created?.destroy();
    },
  };
}
