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
   * `recovering`: an earlier process left the incident unposted, and may have posted it without recording it.
   */
  sync(incidentId: string, options?: { poster?: boolean; recovering?: boolean }): void;
  /** Posts `text` in the incident's thread, after its message exists, in call order. */
  reply(incidentId: string, text: string): void;
  /** Resolves when every scheduled post, edit and reply has been attempted. */
  flush(): Promise<void>;
  /**
   * Shutdown: takes no new work, gives what is queued until `deadline` (epoch milliseconds), then abandons the
   * rest and answers what was left. Posts and edits left are finished by the next start (the incident service's
   * resync: the store knows which messages are missing or behind); thread replies left are dropped (the
   * incident's timeline keeps what they said, and its message shows the latest state).
   */
  close(deadline: number): Promise<PublisherBacklog>;
}

/** What a publisher left undone: messages not posted, messages not edited, thread replies not sent. */
export interface PublisherBacklog {
  posts: number;
  edits: number;
  replies: number;
}
