/**
 * Table definitions: the single source of the table names, keys and TTL attribute, shared by `ensureTables`
 * (local dynalite / DynamoDB Local) and by the serverless.yml test that checks production matches.
 *
 * The first four tables keep the layout and environment variables of the ConnectOutboundCaller Lambda
 * (see shared/seeds/connect-outbound-caller.md) so an existing deployment's tables keep working.
 * The others are Hikeshi's own.
 */

/** DynamoDB TTL attribute on every table that expires items: a Number, epoch seconds. */
export const TTL_ATTRIBUTE = 'ttl';

export interface TableNames {
  readonly callStatus: string;
  readonly inProgress: string;
  readonly responders: string;
  readonly callHistory: string;
  readonly incidents: string;
  readonly jobReports: string;
  readonly dedup: string;
  readonly oncall: string;
  readonly escalations: string;
  readonly contacts: string;
  readonly silences: string;
}

export type TableId = keyof TableNames;

export interface TableDefinition {
  /** Name used when neither the table's variable nor TABLE_PREFIX is set. */
  readonly defaultName: string;
  /** Environment variable holding the full table name; it wins over TABLE_PREFIX. */
  readonly envVar: string;
  /** Partition key, always a String attribute. */
  readonly partitionKey: string;
  /** Sort key, a String attribute, when the table has one. */
  readonly sortKey?: string;
  /** Present when items expire; always TTL_ATTRIBUTE. */
  readonly ttlAttribute?: typeof TTL_ATTRIBUTE;
  /** A global secondary index (all attributes projected): a String partition key and a Number sort key. */
  readonly index?: { readonly name: string; readonly partitionKey: string; readonly sortKey: string };
}

/** The Escalations table's index of due work: partition `dueShard`, sort `dueAt` (epoch ms); sparse. */
export const DUE_INDEX = { name: 'due', partitionKey: 'dueShard', sortKey: 'dueAt' } as const;

export const TABLE_DEFINITIONS: Readonly<Record<TableId, TableDefinition>> = {
  // Seed: one item per call run, keyed by the incident/error id.
  callStatus: {
    defaultName: 'CallStatus',
    envVar: 'CALL_STATUS_TABLE',
    partitionKey: 'statusId',
    ttlAttribute: TTL_ATTRIBUTE,
  },
  // Seed: "someone is already on it" marker per error.
  inProgress: {
    defaultName: 'InProgress',
    envVar: 'IN_PROGRESS_TABLE',
    partitionKey: 'errorId',
    ttlAttribute: TTL_ATTRIBUTE,
  },
  // Seed: one item per group holding its ordered responder list; never expires.
  responders: { defaultName: 'Responders', envVar: 'RESPONDERS_TABLE', partitionKey: 'groupId' },
  // Seed: single-key layout, one item per error with the attempts as a list (TTL, HISTORY_TTL_DAYS).
  callHistory: {
    defaultName: 'CallHistory',
    envVar: 'CALL_HISTORY_TABLE',
    partitionKey: 'errorId',
    ttlAttribute: TTL_ATTRIBUTE,
  },
  // Single-table: `INC#<id>` incidents, `FP#<fingerprint>` open-incident pointers, `COUNTER#incident`, storm
  // digests `DIGEST#<id>` and their members, a page of them per item, `DIGEST#<id>#P#<page>` (digest-pages.ts).
  incidents: {
    defaultName: 'Incidents',
    envVar: 'INCIDENTS_TABLE',
    partitionKey: 'pk',
    ttlAttribute: TTL_ATTRIBUTE,
  },
  // `JOB#<job_key>`: sk `LATEST` (no ttl) and history rows `H#<finished ms>#<id>` (ttl).
  jobReports: {
    defaultName: 'JobReports',
    envVar: 'JOB_REPORTS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: TTL_ATTRIBUTE,
  },
  // Idempotency keys of inbound events (Slack retries, X-GitHub-Delivery, …), expiring.
  dedup: { defaultName: 'Dedup', envVar: 'DEDUP_TABLE', partitionKey: 'key', ttlAttribute: TTL_ATTRIBUTE },
  // On-call schedules (issue 18): `OVERRIDES#<schedule>` (one item per schedule, versioned), `SWAP#<id>` swap
  // requests (ttl) and `HANDOFF#<schedule>#<start>#<step>` handoff claims (ttl).
  oncall: { defaultName: 'Oncall', envVar: 'ONCALL_TABLE', partitionKey: 'pk', ttlAttribute: TTL_ATTRIBUTE },
  // Escalation policies (issue 19): `CHAIN#<incident>` per-incident escalation state, `LINE#<user>` one phone
  // line per person (pending pages, the call in progress, or the flat list's call holding it) and `START#<incident>`
  // the sweep's marker for a chain not yet started. Only items with work due carry `dueShard`, so the tick's Query
  // on the `due` index reads due work and nothing else.
  escalations: {
    defaultName: 'Escalations',
    envVar: 'ESCALATIONS_TABLE',
    partitionKey: 'pk',
    ttlAttribute: TTL_ATTRIBUTE,
    index: DUE_INDEX,
  },
  // People's own phone numbers (issue 19, `/oncall phone`), keyed by Slack user id; never expire.
  contacts: { defaultName: 'Contacts', envVar: 'CONTACTS_TABLE', partitionKey: 'userId' },
  // Silences and maintenance windows (issue 20), one item per silence, kept SILENCE_KEPT_DAYS after their end.
  silences: {
    defaultName: 'Silences',
    envVar: 'SILENCES_TABLE',
    partitionKey: 'id',
    ttlAttribute: TTL_ATTRIBUTE,
  },
};

export const TABLE_IDS = Object.keys(TABLE_DEFINITIONS) as TableId[];

/** The key attribute names of a table, partition key first. */
export function keyAttributesOf(id: TableId): string[] {
  const def = TABLE_DEFINITIONS[id];
  return def.sortKey === undefined ? [def.partitionKey] : [def.partitionKey, def.sortKey];
}

/**
 * Table names from the environment. A per-table variable (e.g. CALL_STATUS_TABLE) is the full name and wins;
 * otherwise TABLE_PREFIX (e.g. `hikeshi-prod-`) is prepended to the default name. Blank values count as unset.
 */
export function resolveTableNames(env: Record<string, string | undefined>): TableNames {
  const prefix = env['TABLE_PREFIX']?.trim() ?? '';
  const name = (id: TableId): string => {
    const def = TABLE_DEFINITIONS[id];
    const explicit = env[def.envVar]?.trim();
    return explicit ? explicit : `${prefix}${def.defaultName}`;
  };
  return {
    callStatus: name('callStatus'),
    inProgress: name('inProgress'),
    responders: name('responders'),
    callHistory: name('callHistory'),
    incidents: name('incidents'),
    jobReports: name('jobReports'),
    dedup: name('dedup'),
    oncall: name('oncall'),
    escalations: name('escalations'),
    contacts: name('contacts'),
    silences: name('silences'),
  };
}
