/**
 * Signals in: each alert signal lands on the incident its fingerprint points at.
 * - A trigger folds into the open incident (plain repeats through the fold buffer, fold-buffer.ts); reopens the
 *   resolved one within the reopen window (src/domain/reopen.ts); or opens a new incident — linking the last one
 *   when it was resolved before the window. A re-notification of a firing already counted changes nothing.
 * - An acknowledge or resolve acts on the open incident, or is ignored.
 * During a storm, a new incident (and the reopen of one shown only by a storm digest) joins its channel-minute's
 * digest instead of getting a message of its own (incident-digests.ts, src/domain/digest.ts).
 * A trigger that a silence in force matches (silence-matcher.ts) lands the same way and is counted as usual, but the
 * incident it lands on is held (src/domain/silence.ts): no message, thread reply, digest, notice or phone chain.
 * Work on one fingerprint is queued in this process (a keyed lock); across processes every decision is a
 * conditional write: the fingerprint pointer's claim decides who opens, the old incident's version decides
 * between a reopen and its replacement.
 */
import { fingerprintOf, firingsOf, type AlertSignal } from '../domain/alert.js';
import { withRoute } from '../domain/incident-policy.js';
import type { Clock } from '../domain/clock.js';
import { inDigestOnly, placeReopened } from '../domain/digest.js';
import { openIncident, type Incident } from '../domain/incident.js';
import { foldSignal, isRenotification, type FoldResult } from '../domain/incident-repeats.js';
import {
  previousOf,
  reopenDecision,
  reopenIncident,
  supersede,
  type ReopenResult,
} from '../domain/reopen.js';
import { reheld, withHolds } from '../domain/silence.js';
import { AppError, ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { createFoldBuffer } from './fold-buffer.js';
import type { IncidentActions } from './incident-actions.js';
import type { IncidentChanges } from './incident-changes.js';
import type { IncidentDigests } from './incident-digests.js';
import type { IngestOutcome } from './incidents.js';
import { updateBySignal, waitForIncident } from './incident-signal-updates.js';
import { createKeyedLock } from './keyed-lock.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';
import type { IncidentStore } from './ports/incident-store.js';
import type { SilenceMatcher } from './silence-matcher.js';

/** Conditional writes that lose a race re-read and try again; more than this means something is wrong. */
const MAX_WRITE_ATTEMPTS = 20;

type Landed = Extract<IngestOutcome, { incident: Incident }>;

export interface IncidentIntake {
  ingest(signal: AlertSignal): Promise<IngestOutcome>;
  /** Opens a new incident from a signal that never folds (a hand-opened one), by `openedBy`. */
  openNew(signal: AlertSignal, openedBy: string): Promise<Incident>;
  /** The incident was changed elsewhere in this process (keeps the fold buffer's copy current). */
  saved(incident: Incident): void;
  /** Writes the repeats buffered for the incident and stops buffering them (before a resolve). */
  retire(incidentId: string): Promise<void>;
  /** Writes every buffered repeat now. */
  flush(): Promise<void>;
}

/** What the intake consults besides the store, each optional (the incident service passes them on). */
export interface IntakeOptions {
  /** Storm digests (incident-digests.ts); without them every incident gets its own message. */
  digests?: IncidentDigests;
  /** Silences in force (silence-matcher.ts); without them nothing is silenced. */
  silences?: SilenceMatcher;
  /** Routing (issue 19): the policy (and channel) of a new incident, ONCALL_CONFIG's first matching route. */
  route?: (signal: AlertSignal) => { policy: string; channel?: string } | undefined;
  /** Called before a new incident is stored: the escalation sweep's marker (src/services/policy-sweep.ts). */
  expectChain?: (incident: Incident) => Promise<void>;
}

export function createIncidentIntake(
  deps: {
    store: IncidentStore;
    changes: IncidentChanges;
    actions: Pick<IncidentActions, 'acknowledge' | 'resolve'>;
    publisher: IncidentPublisher;
    clock: Clock;
    logger: Logger;
    foldFlushIntervalMs: number;
    /** REOPEN_WINDOW_MINUTES, in ms: a resolved incident firing again within this is reopened. */
    reopenWindowMs: number;
  } & IntakeOptions,
): IncidentIntake {
  const { store, changes, publisher, clock, logger } = deps;
  const fingerprintLock = createKeyedLock();
  // Repeats of a known open incident are counted here and written in batches (fold-buffer.ts).
  const folds = createFoldBuffer({
    write: (id, batch) => store.addFolds(id, batch),
    written: (incident) => {
      changes.saw(incident);
      publisher.sync(incident.id);
      changes.emit({ type: 'folded', incident });
    },
    reroute: (fingerprint, signal, batch) =>
      fingerprintLock.run(fingerprint, async () => {
        const outcome = await land(signal, fingerprint, await silencing(signal, fingerprint));
        folds.remember(fingerprint, outcome.incident);
        // The landing counted the latest signal's firings; the rest of the batch is added to them.
        const rest = batch.count - firingsOf(signal);
        if (rest <= 0) return;
        const saved = await store.addFolds(outcome.incident.id, { ...batch, count: rest });
        if (saved === undefined) throw new Error(`${outcome.incident.id} closed while re-ingesting repeats`);
        folds.refresh(saved);
        publisher.sync(saved.id);
      }),
    logger,
    flushIntervalMs: deps.foldFlushIntervalMs,
  });

  const silencing = async (signal: AlertSignal, fingerprint: string): Promise<string[]> =>
    signal.action === 'trigger' ? ((await deps.silences?.silencing(signal, fingerprint)) ?? []) : [];

  /** A held landing edits a message the incident may have, and tells nobody (no reply, digest or event). */
  const heldLanding = (incident: Incident, action: Landed['action']): Landed => {
    publisher.sync(incident.id);
    return { incident, deduplicated: true, action, silenced: true };
  };

  const renotified = (incident: Incident): Landed => ({
    action: 'renotified',
    incident,
    deduplicated: true,
  });

  /** Undefined when the incident is resolved meanwhile: the caller looks again. */
  async function foldInto(id: string, signal: AlertSignal, held: string[]): Promise<Landed | undefined> {
    const done = await changes.transition<FoldResult>(id, (current) => {
      const folded = foldSignal(current, signal, clock.now());
      return folded.ok ? { next: withHolds(folded.incident, held), result: folded } : { result: folded };
    });
    if (!done) return undefined;
    if (!done.after) {
      const renotification = !done.result.ok && done.result.reason === 'renotified';
      return renotification ? renotified(done.before) : undefined;
    }
    if (held.length > 0) return heldLanding(done.after, 'folded');
    changes.publish(done.before, done.after);
    const raised = done.before.severity !== done.after.severity;
    const raisedFrom = raised ? { raisedFrom: done.before.severity } : {};
    changes.emit({ type: 'folded', incident: done.after, ...raisedFrom });
    return { incident: done.after, deduplicated: true, action: 'folded' };
  }

  /** Undefined when it can no longer be reopened (replaced meanwhile): the caller looks again. */
  async function reopenInto(
    last: Incident,
    signal: AlertSignal,
    held: string[],
  ): Promise<Landed | undefined> {
    const { id } = last;
    const windowMs = deps.reopenWindowMs;
    // A new firing of an incident shown only by a storm digest is placed as a new incident would be: in this
    // minute's digest during a storm, else in a message of its own (domain/digest.ts, placeReopened). A held
    // one stays where it is.
    const placed = inDigestOnly(last) && held.length === 0 ? await deps.digests?.place(last) : undefined;
    const done = await changes.transition<ReopenResult>(id, (current) => {
      const r = reopenIncident(current, signal, { now: clock.now(), windowMs });
      if (!r.ok) return { result: r };
      const fresh = reheld(r.incident, held);
      return { next: held.length > 0 ? fresh : placeReopened(fresh, placed, clock.now()), result: r };
    });
    if (!done) return undefined;
    const r = done.result;
    if (r.ok && done.after && held.length > 0) return heldLanding(done.after, 'reopened');
    if (r.ok && done.after) {
      const after = done.after;
      logger.info(
        { incident: after.id, reopens: after.reopenCount, flapping: after.flapping },
        'incident reopened',
      );
      changes.publish(done.before, after);
      // Reopened within its digest's own minute, it is a member already (a digest counts each incident once).
      if (inDigestOnly(after) && after.digest?.id !== done.before.digest?.id)
        await deps.digests?.joined(after);
      changes.emit({ type: 'reopened', incident: after });
      return { incident: after, deduplicated: true, action: 'reopened' };
    }
    if (!r.ok && r.reason === 'renotified') return renotified(done.before);
    if (!r.ok && r.reason === 'open') return foldInto(id, signal, held); // someone reopened it first
    return undefined;
  }

  /** Where a trigger lands: the fingerprint's incident (fold, reopen, re-notification) or a new one. */
  async function land(
    signal: AlertSignal,
    fingerprint: string,
    held: string[],
    openedBy?: string,
  ): Promise<Landed> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
      const last = await store.findByFingerprint(fingerprint);
      const decision =
        last === undefined
          ? undefined
          : reopenDecision(last, signal, { now: clock.now(), windowMs: deps.reopenWindowMs });
      if (
        last !== undefined &&
        decision !== undefined &&
        decision !== 'too_late' &&
        decision !== 'superseded'
      ) {
        if (decision === 'renotified') return renotified(last);
        const landed =
          decision === 'open' ? await foldInto(last.id, signal, held) : await reopenInto(last, signal, held);
        if (landed) return landed;
        continue; // it changed meanwhile: look again
      }
      const opening = withRoute(
        openIncident({
          number: await store.nextNumber(),
          signal,
          fingerprint,
          now: clock.now(),
          ...(openedBy === undefined ? {} : { openedBy }),
          ...(last === undefined ? {} : { previous: previousOf(last) }),
        }),
        deps.route?.(signal),
      );
      const incident = withHolds(opening, held);
      // Resolved too long ago: mark it replaced, on its version, so a concurrent reopen of it cannot also win.
      if (decision === 'too_late' && last !== undefined) {
        const marked = await changes.transition(last.id, (current) => {
          const next = supersede(current, incident.id);
          return next === undefined ? { result: false } : { next, result: true };
        });
        if (!marked?.after) continue; // reopened or replaced meanwhile: look again
      }
      // Claim first, create second: the claim is the one conditional write that decides who opens.
      const replacing = last === undefined ? undefined : { replacing: last.id };
      const winner = await store.claimFingerprint(fingerprint, incident.id, replacing);
      if (winner !== incident.id) {
        // Another process opened it a moment ago; land on theirs (the number we drew stays unused).
        if (await waitForIncident(store, winner)) {
          const folded = await foldInto(winner, signal, held);
          if (folded) return folded;
        }
        continue;
      }
      // During a storm it joins its channel-minute's digest (incident-digests.ts); a hand-opened one never does,
      // nor a held one (it shows nothing until its silence ends).
      const digest =
        openedBy === undefined && held.length === 0 ? await deps.digests?.place(incident) : undefined;
      const opened = digest === undefined ? incident : { ...incident, digest };
      // The marker first: a crash before the `opened` event starts its chain leaves it for the sweep.
      await deps.expectChain?.(opened);
      await store.create(opened);
      logger.info(
        {
          incident: opened.id,
          severity: opened.severity,
          source: opened.source,
          previous: last?.id,
          digest: digest?.id,
          silencedBy: opened.silencedBy,
        },
        'incident opened',
      );
      if (held.length > 0) return { incident: opened, deduplicated: false, action: 'opened', silenced: true };
      if (digest === undefined) publisher.sync(opened.id, { poster: true });
      else await deps.digests?.joined(opened);
      changes.emit({ type: 'opened', incident: opened });
      return { incident: opened, deduplicated: false, action: 'opened' };
    }
    throw new AppError(ErrorCode.Conflict, `could not open an incident for fingerprint ${fingerprint}`);
  }

  return {
    async ingest(signal) {
      const fingerprint = fingerprintOf(signal);
      const at = () => new Date(clock.now()).toISOString();
      const held = await silencing(signal, fingerprint);
      const marked = (outcome: IngestOutcome): IngestOutcome =>
        held.length > 0 && outcome.action !== 'ignored' ? { ...outcome, silenced: true } : outcome;
      // A storm's repeat is counted in memory at once (no lock, no await), unless work on this fingerprint is
      // queued: then it waits its turn, so it cannot overtake an open or a resolve. A firing this process
      // already saw counted is answered from memory too.
      if (signal.action === 'trigger' && !fingerprintLock.busy(fingerprint)) {
        const known = folds.known(fingerprint);
        if (known !== undefined && isRenotification(known, signal)) return marked(renotified(known));
        const buffered = folds.buffer(fingerprint, signal, at());
        if (buffered) return marked({ action: 'folded', incident: buffered, deduplicated: true });
      }
      return fingerprintLock.run(fingerprint, async () => {
        if (signal.action !== 'trigger') return updateBySignal(signal, fingerprint, deps);
        const folded = await folds.fold(fingerprint, signal, at());
        if (folded) return marked({ action: 'folded', incident: folded, deduplicated: true });
        // Not a plain repeat of the open incident this process knows (a raise, a new link, a new firing): a
        // versioned fold, without looking the fingerprint up again.
        const known = folds.known(fingerprint);
        const landed = known === undefined ? undefined : await foldInto(known.id, signal, held);
        const outcome = landed ?? (await land(signal, fingerprint, held));
        folds.remember(fingerprint, outcome.incident);
        return marked(outcome);
      });
    },

    async openNew(signal, openedBy) {
      return (await land(signal, fingerprintOf(signal), [], openedBy)).incident;
    },

    saved: (incident) => folds.refresh(incident),
    retire: (id) => folds.retire(id),
    flush: () => folds.flush(),
  };
}
