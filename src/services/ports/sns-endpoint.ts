/**
 * SNS endpoint port: what the SNS alert route needs from Amazon SNS itself, the signing certificates and the
 * subscription confirmation. Implemented over HTTPS in integrations/sns-endpoint.ts, against trusted hosts only.
 */
import type { TrustedCertUrlOptions } from '../../domain/sources/sns-signature.js';

export interface SnsEndpointClient {
  readonly trust: TrustedCertUrlOptions;
  /** The PEM certificate at a trusted `SigningCertURL`; cached, and shared by concurrent callers. */
  certificate(url: string): Promise<string>;
  /** GETs a trusted `SubscribeURL`, which confirms the subscription. */
  confirmSubscription(subscribeUrl: string): Promise<void>;
}
