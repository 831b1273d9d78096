/**
 * Which silences in force match an alert, asked for every trigger (incident-intake.ts). The silences are read
 * from the store at most every REFRESH_MS (real time) and kept compiled in memory, so a storm's alerts cost no
 * store read each; a silence made or ended in this process is seen at once (`changed`), one made by another
 * process within REFRESH_MS. A failed read keeps the last list (alerts are never refused for it).
 */
import type { AlertSignal } from '../domain/alert.js';
import type { Clock } from '../domain/clock.js';
import type { Incident } from '../domain/incident.js';
import {
  compileSilence,
  fieldsOfIncident,
  fieldsOfSignal,
  silencesFor,
  stateOf,
  type CompiledSilence,
  type SilencedFields,
} from '../domain/silence.js';
import type { Logger } from '../logger.js';
import type { SilenceStore } from './ports/silence-store.js';

/** How stale this process's copy of the silences may be. */
export const SILENCE_REFRESH_MS = 5_000;

export interface SilenceMatcher {
  /** The ids of the silences in force that match this trigger; empty when none does. */
  silencing(signal: AlertSignal, fingerprint: string): Promise<string[]>;
  /** The same for a stored incident (a new silence holds the open incidents it matches). */
  silencingIncident(incident: Incident): Promise<string[]>;
  /** A silence was made or ended here: read them again at the next look. */
  changed(): void;
}

export function createSilenceMatcher(deps: {
  store: Pick<SilenceStore, 'list'>;
  clock: Clock;
  logger: Logger;
  refreshMs?: number;
}): SilenceMatcher {
  const refreshMs = deps.refreshMs ?? SILENCE_REFRESH_MS;
  let compiled: CompiledSilence[] = [];
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;
  let generation = 0;

  async function load(): Promise<void> {
    const started = generation;
    try {
      const now = deps.clock.now();
      const silences = await deps.store.list();
      // Ended ones can never match again; pending ones start matching on their own as the clock passes them.
      compiled = silences.filter((s) => stateOf(s, now) !== 'expired').map(compileSilence);
      if (started === generation) loadedAt = performance.now();
    } catch (error) {
      deps.logger.error({ err: error }, 'could not read the silences; matching with the last ones read');
      loadedAt = performance.now();
    }
  }

  async function current(): Promise<readonly CompiledSilence[]> {
    if (performance.now() - loadedAt >= refreshMs) {
      loading ??= load().finally(() => {
        loading = undefined;
      });
      await loading;
    }
    return compiled;
  }

  const match = async (fields: SilencedFields) => silencesFor(await current(), fields, deps.clock.now());

  return {
    silencing: (signal, fingerprint) => match(fieldsOfSignal(signal, fingerprint)),
    silencingIncident: (incident) => match(fieldsOfIncident(incident)),
    changed() {
      generation += 1;
      loadedAt = Number.NEGATIVE_INFINITY;
    },
  };
}
