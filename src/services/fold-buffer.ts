/**
 * The fold buffer: repeats of an open incident's alert counted in memory and written as one atomic add per
 * incident, so an alert storm costs a few store writes a second instead of a read and a write per request.
 *
 * Durability contract: a 202 for a repeat means "counted, durable within 1 s". A repeat arriving when its
 * incident had no write in the last `flushIntervalMs` is written before the answer (so a lone repeat is
 * durable when answered, as before); during a storm, repeats join a batch that is written `flushIntervalMs`
 * (250 ms) after its first repeat. `flush()` writes everything now; the app calls it on shutdown and on
 * Lambda before a handler returns (where the interval is 0, so nothing waits anyway).
 *
 * What it knows: fingerprint → the open incident (as last read or written by this process). A repeat is
 * buffered only if it is a plain repeat (src/domain/fold.ts); anything else, or an unknown fingerprint, takes
 * the ordinary path in the incident service, which then tells the buffer what it found. An entry is dropped
 * when its incident is resolved here (after writing what was buffered), and when a write finds the incident
 * closed by another process: those repeats are then ingested again (into the next incident).
 */
import type { AlertSignal } from '../domain/alert.js';
import { addToBatch, isPlainRepeat, mergeBatches, withBatches, type FoldBatch } from '../domain/fold.js';
import { isOpen, type Incident } from '../domain/incident.js';
import type { Logger } from '../logger.js';

export interface FoldBufferDeps {
  /** One atomic add (incidents.addFolds); undefined when the incident is closed or gone. */
  write(id: string, batch: FoldBatch): Promise<Incident | undefined>;
  /** A batch was written: re-render the message, tell listeners. */
  written(incident: Incident): void;
  /** Repeats that found their incident closed by someone else: ingest them again (the latest signal, `count` times). */
  reroute(fingerprint: string, signal: AlertSignal, batch: FoldBatch): Promise<void>;
  logger: Logger;
  /** How long a storm's repeats wait to be written together. 0 writes every repeat before answering. */
  flushIntervalMs: number;
  /** Fingerprints remembered at most (the least recently used idle ones are forgotten). */
  maxEntries?: number;
}

export interface FoldBuffer {
  /**
   * The storm path, synchronous: counts a plain repeat of a known open incident that had a write in the last
   * interval, and returns the incident as it now reads; undefined when `fold` (or the ordinary path) must decide.
   */
  buffer(fingerprint: string, signal: AlertSignal, at: string): Incident | undefined;
  /**
   * Counts a repeat of a known open incident and returns the incident as it now reads; undefined when the
   * ordinary path must handle it (unknown fingerprint, not a plain repeat, incident closed meanwhile).
   */
  fold(fingerprint: string, signal: AlertSignal, at: string): Promise<Incident | undefined>;
  /** The open incident this process last saw for the fingerprint, if it remembers one. */
  known(fingerprint: string): Incident | undefined;
  /** The incident service found or changed this incident: remember it (or forget it when it is closed). */
  remember(fingerprint: string, incident: Incident): void;
  /** Like `remember`, for an incident already known here; unknown incidents are ignored. */
  refresh(incident: Incident): void;
  /** Stops buffering for the incident and writes what it has buffered (before a resolve). */
  retire(incidentId: string): Promise<void>;
  /** Writes every buffered repeat now, and waits for repeats being re-ingested. */
  flush(): Promise<void>;
  /** Buffered repeats not yet written (tests, metrics). */
  pending(): number;
}

interface Entry {
  fingerprint: string;
  incident: Incident;
  /** Repeats waiting for the next write. */
  batch?: FoldBatch | undefined;
  /** The latest buffered signal (its message and details are what a reroute ingests). */
  signal?: AlertSignal | undefined;
  /** The batch being written, counted in answers until the write lands. */
  writing?: FoldBatch | undefined;
  inflight?: Promise<void> | undefined;
  timer?: NodeJS.Timeout | undefined;
  lastWriteAt: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

export function createFoldBuffer(deps: FoldBufferDeps): FoldBuffer {
  const { logger, flushIntervalMs } = deps;
  const maxEntries = deps.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const entries = new Map<string, Entry>();
  const byIncident = new Map<string, Entry>();
  /** Entries with repeats not yet written, including ones no longer remembered (retired, replaced). */
  const unsettled = new Set<Entry>();
  const reroutes = new Set<Promise<void>>();

  const drop = (entry: Entry) => {
    if (entries.get(entry.fingerprint) === entry) entries.delete(entry.fingerprint);
    if (byIncident.get(entry.incident.id) === entry) byIncident.delete(entry.incident.id);
  };

  const arm = (entry: Entry, delay: number) => {
    entry.timer ??= setTimeout(() => {
      entry.timer = undefined;
      void writeBatch(entry, true);
    }, delay);
  };

  const reroute = (entry: Entry, signal: AlertSignal, batch: FoldBatch) => {
    logger.info(
      { incident: entry.incident.id, repeats: batch.count },
      'incident closed meanwhile; ingesting its buffered repeats again',
    );
    const task = deps
      .reroute(entry.fingerprint, signal, batch)
      .catch((error: unknown) =>
        logger.error({ err: error, repeats: batch.count }, 'ingesting buffered repeats again failed'),
      )
      .finally(() => reroutes.delete(task));
    reroutes.add(task);
  };

  /**
   * Writes the entry's batch (after any write in flight). A closed incident drops the entry and, when
   * `rerouteClosed`, re-ingests the batch (not awaited: the caller may hold the fingerprint's lock). A failed
   * write keeps the batch for the next try.
   */
  async function writeBatch(entry: Entry, rerouteClosed: boolean): Promise<void> {
    while (entry.inflight) await entry.inflight;
    const batch = entry.batch;
    const signal = entry.signal;
    if (batch === undefined || signal === undefined) return;
    entry.batch = undefined;
    entry.writing = batch;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.inflight = (async () => {
      try {
        const saved = await deps.write(entry.incident.id, batch);
        entry.lastWriteAt = performance.now();
        if (saved === undefined) {
          drop(entry);
          if (rerouteClosed) reroute(entry, signal, batch);
          return;
        }
        entry.incident = saved;
        if (!isOpen(saved)) drop(entry);
        deps.written(saved);
      } catch (error) {
        // Kept for the next try: nothing is lost while the process lives.
        entry.batch = mergeBatches(batch, entry.batch);
        entry.signal ??= signal;
        logger.warn(
          { err: error, incident: entry.incident.id, repeats: batch.count },
          'writing buffered repeats failed; retrying',
        );
        arm(entry, Math.max(flushIntervalMs, 1_000));
      } finally {
        entry.writing = undefined;
        entry.inflight = undefined;
        if (entry.batch === undefined) unsettled.delete(entry);
      }
    })();
    await entry.inflight;
  }

  /**
   * A lone repeat is written before the answer, as durable as an ordinary fold: a failed write fails the
   * request (nothing counted, the sender retries); a closed incident leaves the repeat to the ordinary path.
   */
  async function writeThrough(entry: Entry, signal: AlertSignal, at: string): Promise<Incident | undefined> {
    const batch = addToBatch(undefined, signal, at);
    let settle = () => {};
    entry.writing = batch;
    entry.inflight = new Promise<void>((resolve) => (settle = resolve));
    try {
      const saved = await deps.write(entry.incident.id, batch);
      entry.lastWriteAt = performance.now();
      if (saved === undefined) {
        drop(entry);
        return undefined;
      }
      entry.incident = saved;
      if (!isOpen(saved)) drop(entry);
      deps.written(saved);
      return withBatches(saved, [entry.batch]);
    } finally {
      entry.writing = undefined;
      entry.inflight = undefined;
      settle();
    }
  }

  /** No write for the last interval and none waiting: the next repeat is written through. */
  const quiet = (entry: Entry) =>
    entry.batch === undefined &&
    entry.inflight === undefined &&
    performance.now() - entry.lastWriteAt >= flushIntervalMs;

  function addRepeat(entry: Entry, signal: AlertSignal, at: string): Incident {
    entry.batch = addToBatch(entry.batch, signal, at);
    entry.signal = signal;
    unsettled.add(entry);
    arm(entry, flushIntervalMs);
    return withBatches(entry.incident, [entry.writing, entry.batch]);
  }

  function evictIdle(): void {
    for (const entry of entries.values()) {
      if (entries.size <= maxEntries) return;
      if (!unsettled.has(entry)) drop(entry);
    }
  }

  return {
    buffer(fingerprint, signal, at) {
      const entry = entries.get(fingerprint);
      if (entry === undefined || quiet(entry) || !isPlainRepeat(entry.incident, signal)) return undefined;
      return addRepeat(entry, signal, at);
    },

    async fold(fingerprint, signal, at) {
      const entry = entries.get(fingerprint);
      if (entry === undefined || !isPlainRepeat(entry.incident, signal)) return undefined;
      entries.delete(fingerprint); // most recently used last
      entries.set(fingerprint, entry);
      if (quiet(entry)) return writeThrough(entry, signal, at);
      return addRepeat(entry, signal, at);
    },

    known: (fingerprint) => entries.get(fingerprint)?.incident,

    remember(fingerprint, incident) {
      const known = entries.get(fingerprint);
      if (!isOpen(incident)) {
        if (known?.incident.id === incident.id) drop(known);
        return;
      }
      if (known !== undefined && known.incident.id === incident.id) {
        if (incident.version >= known.incident.version) known.incident = incident;
        return;
      }
      // A new incident for this fingerprint: an old entry still writes (or re-ingests) what it buffered.
      if (known !== undefined) drop(known);
      const entry: Entry = { fingerprint, incident, lastWriteAt: Number.NEGATIVE_INFINITY };
      entries.set(fingerprint, entry);
      byIncident.set(incident.id, entry);
      evictIdle();
    },

    refresh(incident) {
      const entry = byIncident.get(incident.id);
      if (entry === undefined) return;
      // The newer version wins; a stale one would hide a status change.
      if (incident.version >= entry.incident.version) entry.incident = incident;
      if (!isOpen(incident)) drop(entry);
    },

    async retire(incidentId) {
      const entry = byIncident.get(incidentId);
      if (entry === undefined) return;
      drop(entry);
      await writeBatch(entry, true);
    },

    async flush() {
      await Promise.all([...unsettled].map((entry) => writeBatch(entry, true)));
      while (reroutes.size > 0) await Promise.all([...reroutes]);
    },

    pending() {
      let total = 0;
      for (const entry of unsettled) total += (entry.batch?.count ?? 0) + (entry.writing?.count ?? 0);
      return total;
    },
  };
}
