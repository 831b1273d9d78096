/** Where a silence's end is told (src/integrations/slack-silence-announcer.ts: the alert channel). */
import type { Incident } from '../../domain/incident.js';
import type { Silence } from '../../domain/silence.js';

export interface SilenceAnnouncer {
  /** Posts the one summary of what the silence held that is still firing; answers where it was posted. */
  postSummary(silence: Silence, incidents: readonly Incident[]): Promise<{ channel: string; ts: string }>;
}
