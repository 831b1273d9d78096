/**
 * The incident use cases: turn signals into incidents (open, fold, acknowledge, resolve), and carry out
 * what people do (acknowledge, resolve, watch, note). Every transition is a pure function from
 * src/domain/incident.ts applied to the stored incident and written back with a conditional write on its
 * version, so two people (or two processes) acting at once produce one winner and a clear answer for the
 * other. Slack is told through the IncidentPublisher port and never blocks the caller.
 */
import { fingerprintOf, firingsOf, type AlertSignal, type Severity } from '../domain/alert.js';
import type { Clock } from '../domain/clock.js';
import {
  acknowledge as acknowledgeIncident,
  type AcknowledgeResult,
  type ResolveResult,
  type ToggleWatcherResult,
  addTimelineEntry,
  attachReport,
  attachSlackMessage,
  foldSignal,
  isOpen,
  openIncident,
  parseIncidentId,
  resolve as resolveIncident,
  systemActor,
  toggleWatcher,
  type Incident,
  type IncidentReport,
  type TimelineEntry,
} from '../domain/incident.js';
import { timelineReplyText } from '../blocks/timeline.js';
import { AppError, ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { IncidentsRepository } from '../store/incidents-repository.js';
import { createFoldBuffer } from './fold-buffer.js';
import { createIncidentWriter, type TransitionStep } from './incident-writer.js';
import { createKeyedLock } from './keyed-lock.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';

type IncidentRow = Incident & { [attribute: string]: unknown };
export type IncidentStore = IncidentsRepository<IncidentRow>;
/** The repository stores any record with an id; the domain type has no index signature, hence the cast. */
const row = (incident: Incident): IncidentRow => incident as IncidentRow;

export type IncidentEvent =
  | { type: 'opened'; incident: Incident }
  /**
   * A repeat was counted. `raisedFrom`: the repeat raised the severity, which was this before. Severity changes
   * only through a conditional write (a raise is never buffered: domain/fold.ts), so exactly one process emits
   * each raise.
   */
  | { type: 'folded'; incident: Incident; raisedFrom?: Severity }
  | { type: 'acknowledged'; incident: Incident }
  | { type: 'resolved'; incident: Incident }
  | { type: 'changed'; incident: Incident };

export type IngestOutcome =
  | {
      action: 'opened' | 'folded' | 'acknowledged' | 'resolved';
      incident: Incident;
      /** True when the signal updated an incident that was already open (no new message). */
      deduplicated: boolean;
    }
  /** An acknowledge or resolve signal for which no incident is open. */
  | { action: 'ignored'; reason: string; deduplicated: false };

type ChangeOutcome = Extract<IngestOutcome, { incident: Incident }>;

export type AcknowledgeOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_acknowledged'; by: string; incident: Incident }
  | { ok: false; reason: 'resolved'; incident: Incident };

export type ResolveOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_resolved'; by: string; incident: Incident };

export type WatchOutcome =
  | { ok: true; incident: Incident; watching: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'resolved'; incident: Incident };

export interface IncidentService {
  ingest(signal: AlertSignal): Promise<IngestOutcome>;
  openManual(input: { title: string; message?: string; severity: Severity; by: string }): Promise<Incident>;
  acknowledge(id: string, by: string): Promise<AcknowledgeOutcome>;
  resolve(id: string, by: string, note?: string): Promise<ResolveOutcome>;
  toggleWatch(id: string, userId: string): Promise<WatchOutcome>;
  /** Adds a timeline entry and its thread reply (analysis, report, escalation notes). */
  note(id: string, entry: Omit<TimelineEntry, 'at'>): Promise<Incident | undefined>;
  /** Stores the published report on the incident, with a `report` timeline entry and its thread reply. */
  recordReport(
    id: string,
    report: Omit<IncidentReport, 'publishedAt'>,
    by: string,
    target: string,
  ): Promise<Incident | undefined>;
  get(id: string): Promise<Incident | undefined>;
  /** `INC-42`, `inc-42`, `42`… or undefined when the text is not an incident id. */
  parseId(text: string): string | undefined;
  findByThread(channel: string, ts: string): Promise<Incident | undefined>;
  listOpen(): Promise<Incident[]>;
  /**
   * Records where the incident's Slack message was posted, rendered from version `rendered` (called by the
   * publisher).
   */
  attachMessage(id: string, slack: { channel: string; ts: string }, rendered: number): Promise<void>;
  /** Records that the Slack message now shows `version` (called by the publisher after an edit). */
  markShown(id: string, version: number): Promise<void>;
  /**
   * Finishes the Slack work a previous process left (a crash, a Slack outage, a shutdown's abandoned backlog):
   * posts the open incidents that have no message, and edits every message that is behind its incident.
   */
  resync(): Promise<{ posts: number; edits: number }>;
  subscribe(listener: (event: IncidentEvent) => void): () => void;
  /** Writes every buffered repeat now (see fold-buffer.ts); called on shutdown and before a Lambda returns. */
  flush(): Promise<void>;
}

/** Conditional writes that lose a race re-read and try again; more than this means something is wrong. */
const MAX_WRITE_ATTEMPTS = 20;
/** How long a folder waits for a concurrent opener (another process) to finish creating the incident. */
const OPENER_WAIT_MS = [10, 25, 50, 100, 200, 400, 800];
/** How long a storm's repeats are counted in memory before one write (a 202 means durable within 1 s). */
export const FOLD_FLUSH_INTERVAL_MS = 250;

export function createIncidentService(deps: {
  incidents: IncidentStore;
  publisher: IncidentPublisher;
  clock: Clock;
  logger: Logger;
  /** Default FOLD_FLUSH_INTERVAL_MS; 0 writes every repeat before answering (Lambda). */
  foldFlushIntervalMs?: number;
}): IncidentService {
  const { incidents, publisher, clock, logger } = deps;
  const fingerprintLock = createKeyedLock();
  const listeners = new Set<(event: IncidentEvent) => void>();
  // Repeats of a known open incident are counted here and written in batches (fold-buffer.ts).
  const folds = createFoldBuffer({
    write: (id, batch) => incidents.addFolds(id, batch),
    written: (incident) => {
      writer.saw(incident);
      publisher.sync(incident.id);
      emit({ type: 'folded', incident });
    },
    reroute: (fingerprint, signal, batch) =>
      fingerprintLock.run(fingerprint, async () => {
        const outcome = await open(signal, fingerprint);
        folds.remember(fingerprint, outcome.incident);
        // The open counted the latest signal's firings; the rest of the batch is added to them.
        const rest = batch.count - firingsOf(signal);
        if (rest <= 0) return;
        const saved = await incidents.addFolds(outcome.incident.id, { ...batch, count: rest });
        if (saved === undefined) throw new Error(`${outcome.incident.id} closed while re-ingesting repeats`);
        folds.refresh(saved);
        publisher.sync(saved.id);
      }),
    logger,
    flushIntervalMs: deps.foldFlushIntervalMs ?? FOLD_FLUSH_INTERVAL_MS,
  });

  const emit = (event: IncidentEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error({ err: error, event: event.type }, 'incident listener failed');
      }
    }
  };

  /** Posts the timeline entries `after` added since `before`, and refreshes the message. */
  const publishChange = (before: Incident | undefined, after: Incident) => {
    const known = before?.timeline.length ?? 0;
    const added = after.timeline.length >= known ? after.timeline.slice(known) : after.timeline.slice(-1);
    for (const entry of added) {
      if (entry.kind === 'opened') continue; // the message itself says it opened
      publisher.reply(after.id, timelineReplyText(after, entry));
    }
    publisher.sync(after.id);
  };

  /**
   * Read (or reuse the version this process last saw), apply a pure transition, write back on that version;
   * on a lost race, read again (incident-writer.ts). The transition may answer "no change" (a business outcome
   * such as already acknowledged).
   */
  const writer = createIncidentWriter({
    store: {
      get: (id) => incidents.get(id),
      put: (incident, options) => incidents.put(row(incident), options),
    },
    saved: (incident) => folds.refresh(incident),
  });
  const transition = <R>(id: string, apply: (current: Incident) => TransitionStep<R>) =>
    writer.transition(id, apply);

  async function foldInto(id: string, signal: AlertSignal): Promise<ChangeOutcome | undefined> {
    const done = await transition(id, (current) => {
      const folded = foldSignal(current, signal, clock.now());
      return folded.ok ? { next: folded.incident, result: true } : { result: false };
    });
    if (!done?.after) return undefined;
    publishChange(done.before, done.after);
    const raised = done.before.severity !== done.after.severity;
    emit({ type: 'folded', incident: done.after, ...(raised ? { raisedFrom: done.before.severity } : {}) });
    return { incident: done.after, deduplicated: true, action: 'folded' };
  }

  async function waitForIncident(id: string): Promise<Incident | undefined> {
    for (const delay of OPENER_WAIT_MS) {
      const found = await incidents.get(id);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return incidents.get(id);
  }

  async function open(signal: AlertSignal, fingerprint: string, openedBy?: string): Promise<ChangeOutcome> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
      const existing = await incidents.findOpenByFingerprint(fingerprint);
      if (existing) {
        const folded = await foldInto(existing.id, signal);
        if (folded) return folded;
        continue; // it was resolved meanwhile: open a new one
      }
      const number = await incidents.nextNumber();
      const incident = openIncident({
        number,
        signal,
        fingerprint,
        now: clock.now(),
        ...(openedBy === undefined ? {} : { openedBy }),
      });
      // Claim first, create second: the claim is the one conditional write that decides who opens.
      const winner = await incidents.claimFingerprint(fingerprint, incident.id);
      if (winner !== incident.id) {
        // Another process opened it a moment ago; fold into theirs (the number we drew stays unused).
        if (await waitForIncident(winner)) {
          const folded = await foldInto(winner, signal);
          if (folded) return folded;
        }
        continue;
      }
      await incidents.create(row(incident));
      logger.info(
        { incident: incident.id, severity: incident.severity, source: incident.source },
        'incident opened',
      );
      publisher.sync(incident.id, { poster: true });
      emit({ type: 'opened', incident });
      return { incident, deduplicated: false, action: 'opened' };
    }
    throw new AppError(ErrorCode.Conflict, `could not open an incident for fingerprint ${fingerprint}`);
  }

  async function acknowledge(id: string, by: string): Promise<AcknowledgeOutcome> {
    const done = await transition<AcknowledgeResult>(id, (current) => {
      const r = acknowledgeIncident(current, { by, now: clock.now() });
      if (r.ok) return { next: r.incident, result: r };
      return { result: r };
    });
    if (!done) return { ok: false, reason: 'not_found' };
    const r = done.result;
    if (r.ok && done.after) {
      publishChange(done.before, done.after);
      emit({ type: 'acknowledged', incident: done.after });
      return { ok: true, incident: done.after };
    }
    if (!r.ok && r.reason === 'already_acknowledged') return { ...r, incident: done.before };
    return { ok: false, reason: 'resolved', incident: done.before };
  }

  async function resolve(id: string, by: string, note?: string): Promise<ResolveOutcome> {
    // Repeats counted before the resolve belong to this incident: write them first, and stop buffering.
    await folds.retire(id);
    const done = await transition<ResolveResult>(id, (current) => {
      const r = resolveIncident(current, { by, now: clock.now(), ...(note === undefined ? {} : { note }) });
      if (r.ok) return { next: r.incident, result: r };
      return { result: r };
    });
    if (!done) return { ok: false, reason: 'not_found' };
    const r = done.result;
    if (!r.ok || !done.after) {
      return { ok: false, reason: 'already_resolved', by: r.ok ? by : r.by, incident: done.before };
    }
    // The next alert with this fingerprint opens a new incident.
    await incidents.releaseFingerprint(done.after.fingerprint, done.after.id);
    publishChange(done.before, done.after);
    emit({ type: 'resolved', incident: done.after });
    return { ok: true, incident: done.after };
  }

  return {
    async ingest(signal) {
      const fingerprint = fingerprintOf(signal);
      // A storm's repeat is counted in memory at once (no lock, no await), unless work on this fingerprint is
      // queued: then it waits its turn, so it cannot overtake an open or a resolve.
      if (signal.action === 'trigger' && !fingerprintLock.busy(fingerprint)) {
        const buffered = folds.buffer(fingerprint, signal, new Date(clock.now()).toISOString());
        if (buffered) return { action: 'folded', incident: buffered, deduplicated: true };
      }
      return fingerprintLock.run(fingerprint, async () => {
        if (signal.action === 'trigger') {
          const folded = await folds.fold(fingerprint, signal, new Date(clock.now()).toISOString());
          if (folded) return { action: 'folded', incident: folded, deduplicated: true };
          const outcome = await open(signal, fingerprint);
          folds.remember(fingerprint, outcome.incident);
          return outcome;
        }
        const existing = await incidents.findOpenByFingerprint(fingerprint);
        if (!existing) {
          return { action: 'ignored', reason: `no open incident to ${signal.action}`, deduplicated: false };
        }
        const actor = systemActor(signal);
        if (signal.action === 'acknowledge') {
          const r = await acknowledge(existing.id, actor);
          return {
            incident: 'incident' in r ? r.incident : existing,
            deduplicated: true,
            action: 'acknowledged',
          };
        }
        const r = await resolve(existing.id, actor);
        return { incident: 'incident' in r ? r.incident : existing, deduplicated: true, action: 'resolved' };
      });
    },

    async openManual({ title, message, severity, by }) {
      const signal: AlertSignal = {
        action: 'trigger',
        title,
        severity,
        source: 'slack',
        // A hand-opened incident never folds with another: its fingerprint is unique.
        dedupKey: `manual:${by}:${clock.now()}:${Math.random().toString(36).slice(2)}`,
        links: [],
        ...(message === undefined || message === '' ? {} : { message }),
      };
      const outcome = await open(signal, fingerprintOf(signal), by);
      return outcome.incident;
    },

    acknowledge,
    resolve,

    async toggleWatch(id, userId) {
      const done = await transition<ToggleWatcherResult>(id, (current) => {
        const r = toggleWatcher(current, userId, clock.now());
        return r.ok ? { next: r.incident, result: r } : { result: r };
      });
      if (!done) return { ok: false, reason: 'not_found' };
      const r = done.result;
      if (!r.ok || !done.after) return { ok: false, reason: 'resolved', incident: done.before };
      // Watching is shown on the message; a thread reply per click would be noise.
      publisher.sync(id);
      emit({ type: 'changed', incident: done.after });
      return { ok: true, incident: done.after, watching: r.watching };
    },

    async note(id, entry) {
      const done = await transition(id, (current) => ({
        next: addTimelineEntry(current, { ...entry, now: clock.now() }),
        result: true,
      }));
      if (!done?.after) return undefined;
      publishChange(done.before, done.after);
      return done.after;
    },

    async recordReport(id, report, by, target) {
      const done = await transition(id, (current) => ({
        next: attachReport(current, report, { by, now: clock.now(), target }),
        result: true,
      }));
      if (!done?.after) return undefined;
      publishChange(done.before, done.after);
      return done.after;
    },

    async attachMessage(id, slack, rendered) {
      await transition(id, (current) =>
        current.slack
          ? { result: false }
          : { next: attachSlackMessage(current, slack, rendered), result: true },
      );
    },

    markShown: (id, version) => incidents.markShown(id, version),

    get: (id) => incidents.get(id),
    parseId: parseIncidentId,

    async findByThread(channel, ts) {
      const open = await incidents.listOpen();
      return open.find((i) => i.slack?.channel === channel && i.slack.ts === ts);
    },

    async listOpen() {
      const open = await incidents.listOpen();
      return open.filter(isOpen).sort((a, b) => b.number - a.number);
    },

    async resync() {
      let posts = 0;
      let edits = 0;
      for (const incident of await incidents.listUnshown()) {
        if (incident.slack !== undefined) {
          // Resolved ones too: a message left showing live buttons on a closed incident is the worst kind of stale.
          publisher.sync(incident.id);
          edits += 1;
        } else if (isOpen(incident)) {
          // Maybe posted by the last process without being recorded: the publisher searches before posting.
          publisher.sync(incident.id, { poster: true, recovering: true });
          posts += 1;
        }
      }
      return { posts, edits };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    flush: () => folds.flush(),
  };
}
