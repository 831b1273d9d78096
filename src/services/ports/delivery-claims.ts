/**
 * Delivery claims port: every inbound event (a Slack retry, an SNS message id, X-GitHub-Delivery, GitLab's
 * Idempotency-Key, a job report's job_key + finished_at) is claimed before it is processed, so a redelivery is
 * a no-op. Implemented by the store's dedup table (store/dedup-repository.ts) with a conditional write.
 */
export interface DeliveryClaims {
  /** True the first time `key` is claimed; false while an unexpired claim exists. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets a claim, e.g. when processing failed and a redelivery should be processed again. */
  release(key: string): Promise<void>;
}
