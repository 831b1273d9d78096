/**
 * The IncidentPublisher of a cluster's HTTP worker (src/cluster/): it tells the primary process what changed,
 * and the primary's Slack publisher posts and edits. One publisher per deployment keeps Slack's pacing (one edit
 * a second per message, one post a second per channel) instead of one per process, and the post claims see no
 * race at all between workers.
 */
import type { IncidentPublisher, PublisherBacklog } from '../services/ports/incident-publisher.js';

/** What a worker's publisher sends the primary (the primary calls the same method on its own publisher). */
export type PublishForward =
  | { op: 'sync'; incidentId: string; options?: { poster?: boolean; recovering?: boolean } }
  | { op: 'reply'; incidentId: string; text: string }
  | { op: 'syncDigest'; digestId: string; options?: { recovering?: boolean } };

export function createForwardingPublisher(send: (message: PublishForward) => void): IncidentPublisher {
  const none: PublisherBacklog = { posts: 0, edits: 0, replies: 0 };
  return {
    sync: (incidentId, options) => send({ op: 'sync', incidentId, ...(options ? { options } : {}) }),
    reply: (incidentId, text) => send({ op: 'reply', incidentId, text }),
    syncDigest: (digestId, options) => send({ op: 'syncDigest', digestId, ...(options ? { options } : {}) }),
    // The primary holds the work: a worker has nothing of its own to wait for.
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(none),
  };
}

/** The primary's side: one forwarded change applied to its own publisher. */
export function applyForwarded(publisher: IncidentPublisher, message: PublishForward): void {
  if (message.op === 'sync') publisher.sync(message.incidentId, message.options);
  else if (message.op === 'reply') publisher.reply(message.incidentId, message.text);
  else publisher.syncDigest(message.digestId, message.options);
}
