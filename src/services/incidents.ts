/**
 * The incident use cases, in three parts:
 * - incident-intake.ts: signals in (fold, reopen, open; acknowledge and resolve by fingerprint);
 * - incident-actions.ts: what people do by id (acknowledge, resolve, watch, snooze, severity, notes, reports);
 * - incident-changes.ts: how each change is written (a pure transition from src/domain, written back with a
 *   conditional write on the version read, so two people or processes acting at once produce one winner) and
 *   told (thread replies, the message, in-process listeners).
 * This file holds the service's shape and puts the parts together, plus the read side and the Slack resync.
 * Slack is told through the IncidentPublisher port and never blocks the caller.
 */
import type { AlertSignal, Severity } from '../domain/alert.js';
import type { Clock } from '../domain/clock.js';
import {
  attachSlackMessage,
  isOpen,
  parseIncidentId,
  type Incident,
  type IncidentReport,
  type TimelineEntry,
} from '../domain/incident.js';
import { inDigestOnly } from '../domain/digest.js';
import { withoutOwnMessage } from '../domain/silence.js';
import type { Logger } from '../logger.js';
import { createIncidentActions } from './incident-actions.js';
import { createIncidentChanges } from './incident-changes.js';
import { createIncidentIntake, type IncidentIntake, type IntakeOptions } from './incident-intake.js';
import { createIncidentSilencing, type IncidentSilencing } from './incident-silencing.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';
import type { IncidentStore } from './ports/incident-store.js';

export type { IncidentStore } from './ports/incident-store.js';

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
  /** A new firing reopened the resolved incident (src/domain/reopen.ts). */
  | { type: 'reopened'; incident: Incident }
  | { type: 'changed'; incident: Incident };

export type IngestOutcome =
  | {
      /**
       * `reopened`: the resolved incident fired again within the reopen window. `renotified`: the signal repeats a
       * firing already counted (an Alertmanager re-notification), so nothing changed.
       */
      action: 'opened' | 'folded' | 'reopened' | 'renotified' | 'acknowledged' | 'resolved';
      incident: Incident;
      /** True when the signal landed on an existing incident (no new message). */
      deduplicated: boolean;
      /** A silence in force matched it: counted as usual, shown and paged nowhere (src/domain/silence.ts). */
      silenced?: true;
    }
  /** An acknowledge or resolve signal for which no incident is open. */
  | { action: 'ignored'; reason: string; deduplicated: false };

export type {
  AcknowledgeOutcome,
  PolicyOutcome,
  ResolveOutcome,
  SeverityOutcome,
  SnoozeOutcome,
  UnsnoozeOutcome,
  WatchOutcome,
} from '../domain/incident-outcomes.js';
import type {
  AcknowledgeOutcome,
  PolicyOutcome,
  ResolveOutcome,
  SeverityOutcome,
  SnoozeOutcome,
  UnsnoozeOutcome,
  WatchOutcome,
} from '../domain/incident-outcomes.js';

export interface IncidentService {
  ingest(signal: AlertSignal): Promise<IngestOutcome>;
  openManual(input: { title: string; message?: string; severity: Severity; by: string }): Promise<Incident>;
  acknowledge(id: string, by: string): Promise<AcknowledgeOutcome>;
  resolve(id: string, by: string, note?: string): Promise<ResolveOutcome>;
  toggleWatch(id: string, userId: string): Promise<WatchOutcome>;
  /** Pauses phone escalation for `durationMs` (src/domain/snooze.ts). */
  snooze(id: string, by: string, durationMs: number): Promise<SnoozeOutcome>;
  unsnooze(id: string, by: string): Promise<UnsnoozeOutcome>;
  /** Sets the severity by hand, up or down. */
  setSeverity(id: string, by: string, severity: Severity): Promise<SeverityOutcome>;
  /** Sets the escalation policy by hand (the caller checks it exists); the escalation restarts on it. */
  setPolicy(id: string, by: string, policy: string): Promise<PolicyOutcome>;
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
  /**
   * Records the fresh message posted for an incident whose message has gone (deleted, or its channel archived),
   * only while the incident still names the gone one; false when another process replaced it first.
   */
  replaceMessage(
    id: string,
    gone: { channel: string; ts: string },
    slack: { channel: string; ts: string },
    rendered: number,
  ): Promise<boolean>;
  /** Records that the Slack message now shows `version` (called by the publisher after an edit). */
  markShown(id: string, version: number): Promise<void>;
  /**
   * Finishes the Slack work a previous process left (a crash, a Slack outage, a shutdown's abandoned backlog):
   * posts the open incidents that have no message, and edits every message that is behind its incident; an
   * incident a storm digest shows is finished through its digest (incident-digests.ts), never posted on its own.
   */
  resync(): Promise<{ posts: number; edits: number; digests: number }>;
  subscribe(listener: (event: IncidentEvent) => void): () => void;
  /** A new silence holds the incident (src/domain/silence.ts): nothing more of it in Slack, no phone chain. */
  hold: IncidentSilencing['hold'];
  /** The silence ended: the incident is released (`listed`: its end summary lists it). */
  release: IncidentSilencing['release'];
  /** Writes every buffered repeat now (see fold-buffer.ts); called on shutdown and before a Lambda returns. */
  flush(): Promise<void>;
}

/** How long a storm's repeats are counted in memory before one write (a 202 means durable within 1 s). */
export const FOLD_FLUSH_INTERVAL_MS = 250;
/** REOPEN_WINDOW_MINUTES' default, in ms. */
export const DEFAULT_REOPEN_WINDOW_MS = 60 * 60_000;

export function createIncidentService(
  deps: {
    incidents: IncidentStore;
    publisher: IncidentPublisher;
    clock: Clock;
    logger: Logger;
    /** Default FOLD_FLUSH_INTERVAL_MS; 0 writes every repeat before answering (Lambda). */
    foldFlushIntervalMs?: number;
    /** Default DEFAULT_REOPEN_WINDOW_MS; 0 never reopens. */
    reopenWindowMs?: number;
  } & IntakeOptions,
): IncidentService {
  const { incidents, publisher, clock, logger, foldFlushIntervalMs, reopenWindowMs, ...options } = deps;
  // The parts refer to each other (a resolve retires buffered repeats; the intake acknowledges and resolves).
  const late: { intake?: IncidentIntake } = {};
  const changes = createIncidentChanges({
    store: incidents,
    publisher,
    clock,
    logger,
    saved: (incident) => late.intake?.saved(incident),
  });
  const actions = createIncidentActions({
    changes,
    clock,
    retire: async (id) => late.intake?.retire(id),
  });
  const intake = createIncidentIntake({
    store: incidents,
    changes,
    actions,
    publisher,
    clock,
    logger,
    foldFlushIntervalMs: foldFlushIntervalMs ?? FOLD_FLUSH_INTERVAL_MS,
    reopenWindowMs: reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS,
    ...options,
  });
  late.intake = intake;
  const silencing = createIncidentSilencing({ changes, publisher });

  return {
    ...actions,
    ingest: (signal) => intake.ingest(signal),

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
      return intake.openNew(signal, by);
    },

    async attachMessage(id, slack, rendered) {
      await changes.transition(id, (current) =>
        current.slack
          ? { result: false }
          : { next: attachSlackMessage(current, slack, rendered), result: true },
      );
    },

    async replaceMessage(id, gone, slack, rendered) {
      const done = await changes.transition(id, (current) =>
        current.slack?.channel === gone.channel && current.slack.ts === gone.ts
          ? { next: attachSlackMessage(current, slack, rendered), result: true }
          : { result: false },
      );
      return done?.result === true;
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
      const digested: Incident[] = [];
      for (const incident of await incidents.listUnshown()) {
        if (incident.slack !== undefined) {
          // Resolved ones too: a message left showing live buttons on a closed incident is the worst kind of stale.
          publisher.sync(incident.id);
          edits += 1;
        } else if (isOpen(incident) && inDigestOnly(incident)) {
          digested.push(incident); // shown by its digest, not by a message of its own
        } else if (isOpen(incident) && !withoutOwnMessage(incident)) {
          // (Not one a silence holds, nor one a silence's end summary lists: domain/silence.ts.)
          // Maybe posted by the last process without being recorded: the publisher searches before posting.
          publisher.sync(incident.id, { poster: true, recovering: true });
          posts += 1;
        }
      }
      const digests = (await deps.digests?.resync(digested)) ?? 0;
      return { posts, edits, digests };
    },

    subscribe: (listener) => changes.subscribe(listener),
    hold: (id, silenceIds) => silencing.hold(id, silenceIds),
    release: (id, silenceId, listed) => silencing.release(id, silenceId, listed),
    flush: () => intake.flush(),
  };
}
