/**
 * Where incidents are shown: one living message per incident plus its thread. The incident service
 * says *what* changed; the publisher decides *when* to call Slack (post once, coalesce edits to about one
 * per second per message, keep thread replies in order) and always renders the latest stored state.
 */
export interface IncidentPublisher {
  /**
   * The incident changed: post its message if it has none yet, otherwise schedule an edit. Across processes a
   * durable post claim decides which one posts (the others wait for its message). `poster`: this process
   * opened the incident (or is recovering unposted ones), so it tries at once; another process that folds into
   * or changes a new incident first gives the opener a while, so it rarely even asks for the claim.
   */
  sync(incidentId: string, options?: { poster?: boolean }): void;
  /** Posts `text` in the incident's thread, after its message exists, in call order. */
  reply(incidentId: string, text: string): void;
  /** Resolves when every scheduled post, edit and reply has been attempted. */
  flush(): Promise<void>;
}
