/**
 * Notifier port: out-of-Slack notices for people who watch another tool (Chatwork). Delivery is best effort:
 * implementations never throw to the caller — a failed notice is logged, and the flow that sent it carries on.
 */
import type { ErrorNotice, WarningNotice } from '../../domain/notice.js';

export type { ErrorNotice, WarningNotice };

export interface Notifier {
  error(notice: ErrorNotice): Promise<void>;
  warning(notice: WarningNotice): Promise<void>;
}
