/**
 * GitHub webhook signatures, checked where the request arrives: verify before parse, so the webhook route calls
 * `verifyGitHubSignature` on the raw body, then `JSON.parse`.
 */
import { verify } from '@octokit/webhooks-methods';
import { AppError, ErrorCode } from '../errors.js';

/**
 * Checks `X-Hub-Signature-256` (`sha256=<hex>` HMAC of the raw body) in constant time with
 * @octokit/webhooks-methods. False for a missing or empty header or body; throws only for a missing secret.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
export async function verifyGitHubSignature(
  secret: string,
  rawBody: string,
  signatureHeader: string | undefined,
): Promise<boolean> {
  if (secret === '') {
    throw new AppError(ErrorCode.ConfigInvalid, 'GITHUB_WEBHOOK_SECRET is not set');
  }
  if (signatureHeader === undefined || signatureHeader === '' || rawBody === '') return false;
  return verify(secret, rawBody, signatureHeader);
}
