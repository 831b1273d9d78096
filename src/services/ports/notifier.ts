/**
 * Notifier port: out-of-Slack notices for people who watch another tool (Chatwork). Delivery is best effort:
 * implementations never throw to the caller — a failed notice is logged, and the flow that sent it carries on.
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

export interface Notifier {
  error(notice: ErrorNotice): Promise<void>;
  warning(notice: WarningNotice): Promise<void>;
}
