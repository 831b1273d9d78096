/**
 * Where incidents are shown: one living message per incident plus its thread. The incident service
 * says *what* changed; the publisher decides *when* to call Slack (post once, coalesce edits to about one
 * per second per message, keep thread replies in order) and always renders the latest stored state.
 */
export interface IncidentPublisher {
  /**
   * The incident changed: post its message if it has none yet, otherwise schedule an edit. `poster`: this
   * process opened the incident (or is recovering unposted ones), so it posts at once; another process that
   * folds into or changes a new incident waits a while for that post before posting itself, so two processes
   * do not both post the message of one incident.
   */
  sync(incidentId: string, options?: { poster?: boolean }): void;
  /** Posts `text` in the incident's thread, after its message exists, in call order. */
  reply(incidentId: string, text: string): void;
  /** Resolves when every scheduled post, edit and reply has been attempted. */
  flush(): Promise<void>;
}
