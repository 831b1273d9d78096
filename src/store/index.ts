/**
 * The store: every table's repository behind one object, built by the composition root.
 * - `embedded`: dynalite in this process (LevelDB under `<dataDir>/dynamodb`, or memory), reached without a
 *   socket (embedded.ts), tables created on start, and a sweeper deleting expired items because dynalite has no
 *   TTL.
 * - `dynamodb`: AWS DynamoDB; tables come from serverless.yml and are not touched here (call `ensureTables`
 *   yourself for DynamoDB Local). The endpoint follows the SDK's resolution (AWS_ENDPOINT_URL_DYNAMODB).
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import { createCallHistoryRepository, type CallHistoryRepository } from './call-history-repository.js';
import { createCallStatusRepository, type CallStatusRepository } from './call-status-repository.js';
import { createDedupRepository, type DedupRepository } from './dedup-repository.js';
import { createDigestsRepository, type DigestsRepository } from './digests-repository.js';
import { LOCAL_CREDENTIALS, createDynamoClients } from './dynamo.js';
import { ensureTables } from './table-setup.js';
import { startEmbeddedDynamo, type EmbeddedDynamo, type WireRequest, type WireResponse } from './embedded.js';
import { probeFailure } from './store-errors.js';
import { withBatchedGets } from './get-batcher.js';
import { withBatchedPuts } from './write-batcher.js';
import { createInProcessHandler } from './in-process-transport.js';
import { TABLE_DEFINITIONS, TABLE_IDS, keyAttributesOf, type TableNames } from './tables.js';
import { startExpirySweeper, sweepExpired, type ExpirySweeper } from './expiry.js';
import { createInProgressRepository, type InProgressRepository } from './in-progress-repository.js';
import { createIncidentsRepository, type IncidentsRepository } from './incidents-repository.js';
import { createJobReportsRepository, type JobReportsRepository } from './job-reports-repository.js';
import { createJobSchedulesRepository, type JobSchedulesRepository } from './job-schedules-repository.js';
import { createRespondersRepository, type RespondersRepository } from './responders-repository.js';
import { createSilencesRepository, type SilencesRepository } from './silences-repository.js';

export * from './tables.js';
export * from './dynamo.js';
export * from './table-setup.js';
export * from './embedded.js';
export * from './expiry.js';
export * from './dedup-repository.js';
export * from './responders-repository.js';
export * from './call-status-repository.js';
export * from './in-progress-repository.js';
export * from './call-history-repository.js';
export * from './incidents-repository.js';
export * from './digests-repository.js';
export * from './job-reports-repository.js';
export * from './job-schedules-repository.js';
export * from './silences-repository.js';
export type { RepositoryOptions } from './repository-options.js';

export type StoreMode = 'embedded' | 'dynamodb';

export interface StoreOptions {
  mode: StoreMode;
  /** Embedded mode persists under `<dataDir>/dynamodb`. */
  dataDir: string;
  region: string;
  tables: TableNames;
  clock: Clock;
  logger: Logger;
  /** Embedded mode: how often expired items are deleted. Default one minute. */
  sweepIntervalMs?: number;
  /** Embedded mode: keep everything in memory instead of under dataDir (tests, demos). */
  inMemory?: boolean;
  /**
   * Embedded mode, tests only (the app never sets it): also serve the store's DynamoDB on a loopback port
   * (`endpoint`) for other clients.
   */
  listen?: boolean;
  /**
   * Embedded mode in an HTTP worker of a cluster (src/cluster.ts): the primary process owns the dynalite, and this
   * process sends it each request (over the cluster's IPC channel) instead of opening one of its own. The primary
   * created the tables and sweeps expired items.
   */
  remote?: (request: WireRequest) => Promise<WireResponse>;
}

/** The answer of `Store.probe`: whether a real read came back, and if not, why (safe to show). */
export type StoreProbe = { ok: true } | { ok: false; reason: string };

export interface Store {
  mode: StoreMode;
  /** The embedded dynalite's URL with `listen` (tests); otherwise undefined: the app's store has no port. */
  endpoint: string | undefined;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tables: TableNames;
  dedup: DedupRepository;
  responders: RespondersRepository;
  callStatus: CallStatusRepository;
  inProgress: InProgressRepository;
  callHistory: CallHistoryRepository;
  incidents: IncidentsRepository;
  /** Storm digests, in the incidents table (`DIGEST#<channel>/<minute>`). */
  digests: DigestsRepository;
  jobReports: JobReportsRepository;
  /** Declared job schedules, in the job reports table (`sk = SCHEDULE`). */
  jobSchedules: JobSchedulesRepository;
  /** Silences and maintenance windows (issue 20), in their own table. */
  silences: SilencesRepository;
  /** Deletes expired items of every TTL table now (what the embedded sweeper does on its timer). */
  sweepExpired(): Promise<number>;
  /** A real read (GetItem of a key nobody writes) that must answer within `timeoutMs`: `GET /health`. */
  probe(timeoutMs?: number): Promise<StoreProbe>;
  /** Embedded mode in the process that owns the dynalite: one request handed to it (the cluster's workers). */
  exchange?: (request: WireRequest) => Promise<WireResponse>;
  close(): Promise<void>;
}

export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

/** The SDK needs an endpoint to build requests; the in-process transport never resolves it (`.invalid`). */
const IN_PROCESS_ENDPOINT = 'http://embedded-dynamodb.invalid';

export async function createStore(options: StoreOptions): Promise<Store> {
  const { mode, tables, clock, logger } = options;
  let embedded: EmbeddedDynamo | undefined;
  let sweeper: ExpirySweeper | undefined;

  const remote = mode === 'embedded' ? options.remote : undefined;
  if (mode === 'embedded' && remote === undefined) {
    embedded = await startEmbeddedDynamo({
      dataDir: options.inMemory === true ? undefined : options.dataDir,
      // dynalite's CPU on another core than the app's (dynalite-worker.ts).
      worker: true,
      listen: options.listen === true,
      logger,
    });
  }
  const exchange = remote ?? embedded?.exchange;
  const { client, doc } = createDynamoClients(
    exchange === undefined
      ? { region: options.region }
      : {
          region: options.region,
          endpoint: IN_PROCESS_ENDPOINT,
          credentials: LOCAL_CREDENTIALS,
          maxAttempts: 2,
          // No socket between this process and its own dynalite (in-process-transport.ts).
          requestHandler: createInProcessHandler(exchange),
          embedded: true,
        },
  );

  if (embedded !== undefined) {
    try {
      await ensureTables(client, tables, { logger });
    } catch (error) {
      client.destroy();
      await embedded.close();
      throw error;
    }
    sweeper = startExpirySweeper({
      doc,
      tables,
      clock,
      logger,
      intervalMs: options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    });
    logger.info({ persistent: options.inMemory !== true }, 'embedded DynamoDB started');
  }

  // Embedded: concurrent reads, and concurrent plain writes, go out together (get-batcher.ts, write-batcher.ts);
  // a single call costs dynalite about as much as a batch of five.
  const keys = new Map(TABLE_IDS.map((id) => [tables[id], keyAttributesOf(id)] as const));
  const repoDoc = exchange === undefined ? doc : withBatchedGets(withBatchedPuts(doc, keys), keys);
  const repo = { doc: repoDoc, clock };
  let closing: Promise<void> | undefined;
  return {
    mode,
    endpoint: embedded?.endpoint,
    ...(embedded ? { exchange: embedded.exchange } : {}),
    client,
    doc,
    tables,
    dedup: createDedupRepository({ ...repo, tableName: tables.dedup }),
    responders: createRespondersRepository({ ...repo, tableName: tables.responders }),
    callStatus: createCallStatusRepository({ ...repo, tableName: tables.callStatus }),
    inProgress: createInProgressRepository({ ...repo, tableName: tables.inProgress }),
    callHistory: createCallHistoryRepository({ ...repo, tableName: tables.callHistory }),
    incidents: createIncidentsRepository({ ...repo, tableName: tables.incidents }),
    digests: createDigestsRepository({ ...repo, tableName: tables.incidents }),
    jobReports: createJobReportsRepository({ ...repo, tableName: tables.jobReports }),
    jobSchedules: createJobSchedulesRepository({ ...repo, tableName: tables.jobReports }),
    silences: createSilencesRepository({ ...repo, tableName: tables.silences }),
    sweepExpired: async () => {
      if (sweeper !== undefined) return sweeper.sweepNow();
      let total = 0;
      for (const id of TABLE_IDS) {
        if (TABLE_DEFINITIONS[id].ttlAttribute === undefined) continue;
        total += await sweepExpired(doc, tables[id], keyAttributesOf(id), clock);
      }
      return total;
    },
    probe: (timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) => probeStore(client, tables.dedup, timeoutMs),
    close: () => {
      closing ??= (async () => {
        sweeper?.stop();
        // Destroying the client first frees its keep-alive sockets, so dynalite's close is immediate.
        client.destroy();
        await embedded?.close();
      })();
      return closing;
    },
  };
}

/** The dedup table is read by every process that serves HTTP (and granted to the ingress function's role). */
async function probeStore(client: DynamoDBClient, table: string, timeoutMs: number): Promise<StoreProbe> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const [key] = keyAttributesOf('dedup');
  const read = client
    .send(new GetItemCommand({ TableName: table, Key: { [key ?? 'key']: { S: 'hikeshi-health-probe' } } }), {
      abortSignal: abort.signal,
    })
    .then(
      () => ({ ok: true }) as const,
      (error: unknown) => ({ ok: false, reason: probeFailure(error) }) as const,
    );
  try {
    const outcome = await Promise.race([read, timedOut]);
    if (outcome !== 'timeout') return outcome;
    abort.abort();
    return { ok: false, reason: `no answer within ${timeoutMs} ms` };
  } finally {
    clearTimeout(timer);
  }
}
