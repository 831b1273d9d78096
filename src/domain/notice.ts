/**
 * What an out-of-Slack notice says (Chatwork's error and warning layouts): the domain's own types, which the
 * Notifier port (services/ports/notifier.ts) sends and domain/chatwork-format.ts renders.
 */
export interface WarningNotice {
  /** The system the notice is about, e.g. `校正AIシステム` or `Hikeshi`; an empty string means the notifier's default. */
  system: string;
  occurredAt: Date;
  message: string;
  /** Shown as `   - key: value` lines, in insertion order. */
  details: Record<string, string | number>;
  /**
   * Closing lines, e.g. who to contact and where the logs are: Hikeshi's own layout, sent as written. Never put
   * sender text here; everything else in a notice is shown as plain text (domain/chatwork-format.ts).
   */
  footer?: string[];
}

export interface ErrorNotice extends WarningNotice {
  /** An ErrorKind from domain/classify.ts, or another upper-case code. */
  kind: string;
}
