/**
 * Silences (src/domain/silence.ts) in the Silences table, one item per silence keyed by its id, expiring
 * SILENCE_KEPT_DAYS after its end (listed as expired until then, as Alertmanager keeps them). Ending one early,
 * applying it and claiming its end summary are conditional writes (services/ports/silence-store.ts).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Silence, SilenceSummary } from '../domain/silence.js';
import type { SilenceStore } from '../services/ports/silence-store.js';
import { live } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { scanItems } from './scan.js';
import { conditionalWrite, storeCall } from './store-errors.js';
import { TTL_ATTRIBUTE } from './tables.js';

export type SilencesRepository = SilenceStore;

/** How long an ended silence stays listed. */
export const SILENCE_KEPT_DAYS = 7;

const FIELDS = ['id', 'startsAt', 'endsAt', 'comment', 'createdBy', 'createdAt'] as const;
const OPTIONAL = ['fingerprint', 'incidentId', 'expiredAt', 'expiredBy', 'appliedAt'] as const;

function toSilence(item: Record<string, unknown>): Silence | undefined {
  if (FIELDS.some((f) => typeof item[f] !== 'string')) return undefined;
  const text = (f: string) => item[f] as string;
  const matchers = Array.isArray(item['matchers'])
    ? item['matchers'].filter((m): m is string => typeof m === 'string')
    : [];
  const silence: Silence = {
    id: text('id'),
    matchers,
    startsAt: text('startsAt'),
    endsAt: text('endsAt'),
    comment: text('comment'),
    createdBy: text('createdBy'),
    createdAt: text('createdAt'),
  };
  for (const f of OPTIONAL) if (typeof item[f] === 'string') silence[f] = text(f);
  const summary = item['summary'];
  if (typeof summary === 'object' && summary !== null) silence.summary = summary as SilenceSummary;
  return silence;
}

export function createSilencesRepository({ doc, tableName, clock }: RepositoryOptions): SilencesRepository {
  const ttlOf = (endsAt: string) => Math.ceil(Date.parse(endsAt) / 1000) + SILENCE_KEPT_DAYS * 86_400;
  // Every attribute through a name placeholder: DynamoDB reserves hundreds of words.
  const names = {
    '#id': 'id',
    '#ends': 'endsAt',
    '#expired': 'expiredAt',
    '#by': 'expiredBy',
    '#applied': 'appliedAt',
    '#s': 'summary',
    '#claimed': 'claimedAt',
    '#posted': 'postedAt',
    '#n': 'incidents',
    '#slack': 'slack',
  };
  const update = (
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'ExpressionAttributeNames'>,
  ) => {
    const used = `${input.UpdateExpression ?? ''} ${input.ConditionExpression ?? ''}`;
    const named = Object.fromEntries(Object.entries(names).filter(([k]) => used.includes(k)));
    return conditionalWrite('UpdateItem', tableName, () =>
      doc.send(new UpdateCommand({ TableName: tableName, ...input, ExpressionAttributeNames: named })),
    );
  };

  const get = async (id: string): Promise<Silence | undefined> => {
    const { Item } = await storeCall('GetItem', tableName, () =>
      doc.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true })),
    );
    const item = live(Item, clock);
    return item === undefined ? undefined : toSilence(item);
  };

  return {
    create: (silence) =>
      conditionalWrite('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...silence, [TTL_ATTRIBUTE]: ttlOf(silence.endsAt) },
            ConditionExpression: 'attribute_not_exists(#id)',
            ExpressionAttributeNames: { '#id': 'id' },
          }),
        ),
      ),

    get,

    async list() {
      const silences: Silence[] = [];
      for await (const item of scanItems(doc, { TableName: tableName, ConsistentRead: true })) {
        const silence = live(item, clock) === undefined ? undefined : toSilence(item);
        if (silence !== undefined) silences.push(silence);
      }
      return silences;
    },

    async expire(id, by, at) {
      const done = await update({
        Key: { id },
        UpdateExpression: 'SET #expired = :at, #by = :by',
        ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#expired) AND #ends > :at',
        ExpressionAttributeValues: { ':at': at, ':by': by },
      });
      return done ? get(id) : undefined;
    },

    markApplied: (id, at) =>
      update({
        Key: { id },
        UpdateExpression: 'SET #applied = :at',
        ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#applied)',
        ExpressionAttributeValues: { ':at': at },
      }),

    claimSummary: (id, at, staleBefore) =>
      update({
        Key: { id },
        UpdateExpression: 'SET #s = :claim',
        // A claim whose holder never recorded the post within the lease is taken over (it died mid-way).
        ConditionExpression:
          'attribute_exists(#id) AND (attribute_not_exists(#s) OR (#s.#claimed < :stale AND attribute_not_exists(#s.#posted)))',
        ExpressionAttributeValues: { ':claim': { claimedAt: at }, ':stale': staleBefore },
      }),

    async releaseSummary(id) {
      await update({
        Key: { id },
        UpdateExpression: 'REMOVE #s',
        ConditionExpression: 'attribute_exists(#s) AND attribute_not_exists(#s.#posted)',
      });
    },

    async recordSummary(id, summary) {
      await update({
        Key: { id },
        UpdateExpression: `SET #s.#posted = :posted, #s.#n = :n${summary.slack ? ', #s.#slack = :slack' : ''}`,
        ConditionExpression: 'attribute_exists(#s)',
        ExpressionAttributeValues: {
          ':posted': summary.postedAt,
          ':n': summary.incidents,
          ...(summary.slack ? { ':slack': summary.slack } : {}),
        },
      });
    },
  };
}
