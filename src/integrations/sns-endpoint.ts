/**
 * What an Amazon SNS HTTP(S) endpoint fetches from AWS: the signing certificate named by `SigningCertURL`
 * (cached by URL, as AWS recommends: the certificate changes rarely and every message names it) and the
 * `SubscribeURL` of a SubscriptionConfirmation. Only URLs that pass the trust rules of sns-signature.ts are
 * ever fetched; the route checks first and this adapter checks again, so a mistake in one place cannot make
 * Hikeshi call an arbitrary host. Failures become `AppError`s with a 502, which makes SNS retry.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
import {
  isTrustedSigningCertUrl,
  isTrustedSubscribeUrl,
  type TrustedCertUrlOptions,
} from '../domain/sources/sns-signature.js';
import { AppError, ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SnsEndpointClient } from '../services/ports/sns-endpoint.js';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface SnsEndpointOptions {
  /** Default: the global fetch. Tests may pass their own. */
  fetch?: FetchLike;
  /**
   * Replaces the "SNS host over https" rule, for a local fake in tests. Never set in production: it is only
   * reachable through `AppOverrides`, not through the environment.
   */
  trust?: TrustedCertUrlOptions;
  timeoutMs?: number;
  logger: Logger;
}

export type { SnsEndpointClient } from '../services/ports/sns-endpoint.js';

/** A certificate is about 2 KB; anything far larger is not one. */
const MAX_CERTIFICATE_BYTES = 64 * 1024;
/** SNS uses a handful of certificate URLs; the cap only bounds memory if that ever changes. */
const MAX_CACHED_CERTIFICATES = 32;

function upstreamError(message: string, cause?: unknown): AppError {
  return new AppError(ErrorCode.Internal, message, {
    status: 502,
    userMessage: message,
    ...(cause === undefined ? {} : { cause }),
  });
}

export function createSnsEndpointClient(options: SnsEndpointOptions): SnsEndpointClient {
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const trust = options.trust ?? {};
  const timeoutMs = options.timeoutMs ?? 5_000;
  const certificates = new Map<string, Promise<string>>();

  async function get(url: string, what: string): Promise<Response> {
    try {
      // No redirects: a trusted URL must not hand us on to an untrusted one.
      return await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw upstreamError(`could not fetch the ${what}`, error);
    }
  }

  async function download(url: string): Promise<string> {
    const response = await get(url, 'SNS signing certificate');
    const body = await response.text();
    if (!response.ok) throw upstreamError(`SNS signing certificate: HTTP ${response.status}`);
    if (body.length > MAX_CERTIFICATE_BYTES || !body.includes('-----BEGIN CERTIFICATE-----')) {
      throw upstreamError('SNS signing certificate: the response is not a PEM certificate');
    }
    return body;
  }

  return {
    trust,
    certificate(url) {
      if (!isTrustedSigningCertUrl(url, trust)) {
        return Promise.reject(upstreamError('untrusted SNS signing certificate URL'));
      }
      const cached = certificates.get(url);
      if (cached !== undefined) return cached;
      if (certificates.size >= MAX_CACHED_CERTIFICATES) {
        const oldest = certificates.keys().next().value;
        if (oldest !== undefined) certificates.delete(oldest);
      }
      const pending = download(url);
      certificates.set(url, pending);
      // A failed download is forgotten, so the next message (or SNS's retry) tries again.
      pending.catch(() => certificates.delete(url));
      return pending;
    },

    async confirmSubscription(subscribeUrl) {
      if (!isTrustedSubscribeUrl(subscribeUrl, trust)) throw upstreamError('untrusted SNS SubscribeURL');
      const response = await get(subscribeUrl, 'SNS SubscribeURL');
      // Read the (small XML) body so the connection is released.
      await response.text();
      if (!response.ok) throw upstreamError(`SNS subscription confirmation: HTTP ${response.status}`);
      options.logger.info({ host: new URL(subscribeUrl).host }, 'SNS subscription confirmed');
    },
  };
}
