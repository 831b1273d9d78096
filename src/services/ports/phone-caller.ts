/**
 * Phone caller port: places one outbound call that runs the Hikeshi contact flow. Amazon Connect in
 * production (integrations/amazon-connect.ts), an in-memory phone for `npm start` without Connect
 * (integrations/local-phone.ts). A failure is an `AppError(CallFailed)` whose `details.kind` is a
 * CallErrorKind; it never resolves without a contactId.
 */
export interface CallRequest {
  /** E.164. The only place a full number travels. */
  phone: string;
  /** Contact attributes the flow reads (incident id, title, severity, responder id, attempt). */
  attributes: Record<string, string>;
  /** Idempotency key: the same token places the call once, however often it is sent. */
  clientToken: string;
}

export interface PhoneCaller {
  /** `connect` or `local`, for logs and `/incident calls`. */
  readonly kind: 'connect' | 'local';
  startCall(request: CallRequest): Promise<{ contactId: string }>;
}
