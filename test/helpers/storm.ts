/**
 * Storm digests over the wire: send many distinct alerts to `POST /api/alerts` the way a sender does, and read
 * from the emulator what Slack shows: incidents with a message of their own, and digests with their "+N".
 */
import type { StoredMessage } from '@hikeshi/slack-emulator';
import { DIGEST_MESSAGE_EVENT, INCIDENT_MESSAGE_EVENT } from '../../src/integrations/slack-message-lookup.js';
import { DIGEST_MEMBERS_PER_PAGE, type DigestMember } from '../../src/domain/digest.js';
import type { DigestStore } from '../../src/services/ports/digest-store.js';
import { ALERT_CHANNEL, post } from './alerts.js';
import type { TestHikeshi } from './hikeshi.js';

export const STORM_TOKEN = 'storm-alerts-token-5d2e';

/** Production pacing: one post a second per channel, Tier 3 edits, a digest edited at most every 2 s. */
export const SLACK_PACING = {
  minUpdateIntervalMs: 1_000,
  channelPostIntervalMs: 1_000,
  updatesPerMinute: 50,
  digestUpdateIntervalMs: 2_000,
};

const SOURCES = ['grafana', 'alertmanager', 'cloudwatch'];
const ALERTNAMES = ['DiskFull', 'Http5xx', 'HighLatency', 'PodCrashLooping'];

/** The n-th distinct alert of a storm (its own dedup key, so it opens its own incident). */
export function stormAlert(prefix: string, n: number, severity = 'warning'): Record<string, unknown> {
  return {
    title: `${ALERTNAMES[n % ALERTNAMES.length]} on host ${prefix}-${n}`,
    severity,
    source: SOURCES[n % SOURCES.length],
    dedup_key: `${prefix}-${n}`,
    details: { alertname: ALERTNAMES[n % ALERTNAMES.length], instance: `${prefix}-${n}` },
  };
}

/**
 * Sends `count` distinct alerts, `concurrency` at a time; calls `halfway` once half of them were answered.
 * Answers the incident ids, in the order sent.
 */
export async function sendStorm(
  h: TestHikeshi,
  options: { prefix: string; count: number; concurrency?: number; severity?: string; halfway?: () => void },
): Promise<string[]> {
  const ids: string[] = new Array<string>(options.count);
  let next = 0;
  let answered = 0;
  const worker = async () => {
    while (next < options.count) {
      const n = next;
      next += 1;
      const res = await post(`${h.baseUrl}/api/alerts`, stormAlert(options.prefix, n, options.severity), {
        token: STORM_TOKEN,
      });
      if (res.status !== 202) throw new Error(`alert ${n}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[n] = String(res.body['incident_id']);
      answered += 1;
      if (answered === Math.floor(options.count / 2)) options.halfway?.();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 20 }, worker));
  return ids;
}

const metadataOf = (m: StoredMessage) =>
  m.metadata as { event_type?: string; event_payload?: Record<string, string> } | undefined;

export interface SlackStormView {
  /** Incidents with a top-level message of their own. */
  own: Set<string>;
  /** The digest messages: their id, ts and the "+N" they show. */
  digests: { id: string; ts: string; shown: number; message: StoredMessage }[];
}

/** What the alert channel shows now. */
export function stormView(h: TestHikeshi, channel = ALERT_CHANNEL): SlackStormView {
  const own = new Set<string>();
  const digests: SlackStormView['digests'] = [];
  for (const m of h.emulator.workspace.messages(channel)) {
    const meta = metadataOf(m);
    if (meta?.event_type === INCIDENT_MESSAGE_EVENT) own.add(String(meta.event_payload?.['incident_id']));
    if (meta?.event_type === DIGEST_MESSAGE_EVENT) {
      const shown = Number(/\+(\d+) incidents?/.exec(m.text)?.[1] ?? 0);
      digests.push({ id: String(meta.event_payload?.['digest_id']), ts: m.ts, shown, message: m });
    }
  }
  return { own, digests };
}

/** Every member of the digest, page by page as "List all" reads them. */
export async function allMembers(digests: DigestStore, id: string): Promise<DigestMember[]> {
  const count = (await digests.get(id))?.count ?? 0;
  const pages = Math.ceil(count / DIGEST_MEMBERS_PER_PAGE);
  const members: DigestMember[] = [];
  for (let page = 0; page < pages; page += 1) members.push(...(await digests.page(id, page)));
  return members;
}

/**
 * Every incident of `ids` shown in Slack: with a message of its own, or counted by a digest message whose stored
 * members it is in (what "List all" lists).
 */
export async function allShown(h: TestHikeshi, ids: readonly string[]): Promise<boolean> {
  const view = stormView(h);
  const shown = new Set(view.own);
  for (const digest of view.digests) {
    const stored = await h.app.store.digests.get(digest.id);
    if (!stored || stored.count !== digest.shown) return false;
    const members = await allMembers(h.app.store.digests, digest.id);
    if (members.length !== stored.count) return false;
    for (const member of members) shown.add(member.id);
  }
  return ids.every((id) => shown.has(id));
}

/** The most calls of `method` in any 60 s window, and how many were answered 429. */
export function callFigures(h: TestHikeshi, method: string): { maxPerMinute: number; rateLimited: number } {
  const calls = h.emulator.workspace.calls.filter((c) => c.method === method);
  const at = calls.filter((c) => c.ok).map((c) => c.at);
  let maxPerMinute = 0;
  for (let i = 0, j = 0; i < at.length; i += 1) {
    while (at[i]! - at[j]! >= 60_000) j += 1;
    maxPerMinute = Math.max(maxPerMinute, i - j + 1);
  }
  return { maxPerMinute, rateLimited: calls.filter((c) => c.error === 'ratelimited').length };
}
