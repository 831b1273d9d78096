/**
 * Incidents, single-table (partition key `pk`):
 * - `INC#<id>`            an incident: its own attributes plus `version` (optimistic locking) and `entity`;
 * - `FP#<fingerprint>`    pointer to the latest incident for an alert fingerprint, open or resolved: created
 *                         conditionally, so two concurrent alerts with one fingerprint agree on one incident (no
 *                         transactions here: dynalite has no TransactWriteItems). It stays when the incident is
 *                         resolved, so the next alert can reopen it (src/domain/reopen.ts); a new incident takes it
 *                         over only by naming the one it replaces (`claimFingerprint(…, { replacing })`), or from
 *                         an opener that died (incident-fingerprints.ts).
 * - `COUNTER#incident`    the human incident number sequence (atomic ADD).
 * The incident's shape belongs to the domain; this file only relies on `id` and an optional `status`.
 */
import { PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentStore } from '../services/ports/incident-store.js';
import { createFingerprintPointers } from './incident-fingerprints.js';
import { createAddFolds, type FoldWrite } from './incident-folds.js';
import { createNumberDrawer } from './incident-numbers.js';
import { createShownTracking } from './incident-shown.js';
import { conflict, isConditionFailed, storeCall } from './store-errors.js';
import { getLiveItem, live } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { addChanges } from './update-expression.js';

export interface IncidentRecord {
  id: string;
  status?: string;
  [attribute: string]: unknown;
}

export type Versioned<T> = T & { version: number };

export interface IncidentsRepository<T extends IncidentRecord = IncidentRecord> {
  /** The next incident number: 1, 2, 3… unique even under concurrent calls. */
  nextNumber(): Promise<number>;
  get(id: string): Promise<Versioned<T> | undefined>;
  /** Stores a new incident at version 1; false when the id is taken. */
  create(incident: T): Promise<boolean>;
  /** Replaces the whole incident if its stored version is `expectedVersion`; else AppError(Conflict). */
  put(incident: T, options: { expectedVersion: number }): Promise<Versioned<T>>;
  /** Sets some attributes (undefined removes one) if the version matches; else AppError(Conflict). */
  update(id: string, changes: Partial<T>, options: { expectedVersion: number }): Promise<Versioned<T>>;
  /**
   * Points `fingerprint` at `incidentId`, and resolves to the incident id that won. An absent (or expired)
   * pointer is created; one pointing at `options.replacing` is taken over; any other pointer wins, whatever the
   * state of its incident (an incident that does not exist yet is still being created by its winner, unless the
   * claim is ORPHANED_CLAIM_MS old: its winner died; a closed one is for the caller to reopen or replace by name).
   */
  claimFingerprint(
    fingerprint: string,
    incidentId: string,
    options?: { replacing?: string; ttlSeconds?: number },
  ): Promise<string>;
  /** The incident the fingerprint points at, open or closed, if any. */
  findByFingerprint(fingerprint: string): Promise<Versioned<T> | undefined>;
  /** The open incident the fingerprint points at, if any. */
  findOpenByFingerprint(fingerprint: string): Promise<Versioned<T> | undefined>;
  /** Removes the pointer if it still points at `incidentId` (true), so the next alert opens a new one. */
  releaseFingerprint(fingerprint: string, incidentId: string): Promise<boolean>;
  /**
   * Adds `write.count` repeats to an open incident in one atomic update, without reading it or knowing its
   * version (see incident-folds.ts); undefined when the incident is closed or gone.
   */
  addFolds(id: string, write: FoldWrite): Promise<Versioned<T> | undefined>;
  /** Every open incident (a Scan: fine for the hundreds of incidents a team has, not for millions). */
  listOpen(): Promise<Versioned<T>[]>;
  /** Records that the incident's Slack message shows `version` (incident-shown.ts); `version` does not move. */
  markShown(id: string, version: number): Promise<void>;
  /**
   * Incidents whose Slack message is missing or behind (incident-shown.ts), open or not: what a restart must
   * still post or edit. A Scan, like listOpen.
   */
  listUnshown(): Promise<Versioned<T>[]>;
}

/**
 * The repository as the incident service's port. It stores the domain's incidents unchanged; the cast only says
 * so, because the repository's record type is open (any attributes) and the domain type has no index signature.
 */
export function incidentStoreOf(repository: IncidentsRepository): IncidentStore {
  return repository as unknown as IncidentStore;
}

export interface IncidentsRepositoryOptions extends RepositoryOptions {
  /** Statuses that mean closed; default `resolved` and `closed`. */
  closedStatuses?: readonly string[];
}

export { ORPHANED_CLAIM_MS } from './incident-fingerprints.js';

const incidentKey = (id: string) => `INC#${id}`;
const COUNTER_KEY = 'COUNTER#incident';
// Attributes the repository owns inside an incident item.
const INTERNAL = new Set(['pk', 'entity', 'version', 'id']);

export function createIncidentsRepository<T extends IncidentRecord = IncidentRecord>(
  options: IncidentsRepositoryOptions,
): IncidentsRepository<T> {
  const { doc, tableName, clock } = options;
  const closed = new Set(options.closedStatuses ?? ['resolved', 'closed']);
  const isOpen = (incident: IncidentRecord) => incident.status === undefined || !closed.has(incident.status);

  const toIncident = (item: Record<string, unknown>): Versioned<T> => {
    const { pk: _pk, entity: _entity, ...rest } = item;
    return rest as Versioned<T>;
  };

  const getItem = (pk: string) => getLiveItem(doc, tableName, pk, clock);

  const get = async (id: string) => {
    const item = await getItem(incidentKey(id));
    return item === undefined ? undefined : toIncident(item);
  };

  const putVersioned = async (incident: T, expectedVersion: number): Promise<Versioned<T>> => {
    const version = expectedVersion + 1;
    const item = { ...incident, pk: incidentKey(incident.id), entity: 'incident', version };
    await storeCall('PutItem', tableName, () =>
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      ),
    );
    return { ...incident, version };
  };

  const pointers = createFingerprintPointers<Versioned<T>>({ doc, tableName, clock, getItem, get });

  const versionConflict = (id: string, expectedVersion: number) =>
    conflict(`Incident ${id} changed since version ${expectedVersion}`, { incidentId: id, expectedVersion });

  return {
    addFolds: createAddFolds({
      doc,
      tableName,
      key: incidentKey,
      closedStatuses: closed,
      toRecord: toIncident,
    }),

    nextNumber: createNumberDrawer({ doc, tableName, key: COUNTER_KEY }),

    ...createShownTracking({ doc, tableName, clock, key: incidentKey, toRecord: toIncident }),

    get,

    create: async (incident) => {
      try {
        await putVersioned(incident, 0);
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },

    put: async (incident, { expectedVersion }) => {
      try {
        return await putVersioned(incident, expectedVersion);
      } catch (error) {
        if (isConditionFailed(error)) throw versionConflict(incident.id, expectedVersion);
        throw error;
      }
    },

    update: async (id, changes, { expectedVersion }) => {
      const names: Record<string, string> = { '#version': 'version' };
      const values: Record<string, unknown> = { ':expected': expectedVersion, ':next': expectedVersion + 1 };
      const sets = ['#version = :next'];
      const removes: string[] = [];
      addChanges({ names, values, sets, removes }, changes, INTERNAL);
      try {
        const result = await storeCall('UpdateItem', tableName, () =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: incidentKey(id) },
              UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
              ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return toIncident(result.Attributes ?? {});
      } catch (error) {
        if (isConditionFailed(error)) throw versionConflict(id, expectedVersion);
        throw error;
      }
    },

    ...pointers,

    findOpenByFingerprint: async (fingerprint) => {
      const incident = await pointers.findByFingerprint(fingerprint);
      return incident !== undefined && isOpen(incident) ? incident : undefined;
    },

    listOpen: async () => {
      const open: Versioned<T>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await storeCall('Scan', tableName, () =>
          doc.send(
            new ScanCommand({
              TableName: tableName,
              FilterExpression: 'entity = :incident',
              ExpressionAttributeValues: { ':incident': 'incident' },
              ConsistentRead: true,
              ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
            }),
          ),
        );
        for (const item of page.Items ?? []) {
          if (live(item, clock) === undefined) continue;
          const incident = toIncident(item);
          if (isOpen(incident)) open.push(incident);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return open;
    },
  };
}
