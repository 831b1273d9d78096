/**
 * The members of a storm digest (src/domain/digest.ts), one small item each in the incidents table,
 * `DIGEST#<digest>#M#<incident>`, carrying `memberOf` and `number`, the keys of the sparse `digestMembers` index:
 * adding one is one PutItem whatever the storm's size, and "List all" reads a digest's members in order with a
 * Query on the index, a page at a time (it is eventually consistent: a member that joined a moment ago may show
 * on the next look, while the count, on the digest's own item, is exact).
 */
import { BatchGetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../domain/clock.js';
import type { DigestMember } from '../domain/digest.js';
import { live, ttlFromNow } from './expiry.js';
import { queryItems } from './scan.js';
import { storeCall } from './store-errors.js';
import { DIGEST_MEMBERS_INDEX, TTL_ATTRIBUTE } from './tables.js';

export const memberKey = (digestId: string, incidentId: string) => `DIGEST#${digestId}#M#${incidentId}`;

/** BatchGetItem's most keys per call. */
const BATCH_GET_MAX = 100;

export function toMember(item: Record<string, unknown>): DigestMember {
  const text = (name: string) => (typeof item[name] === 'string' ? { [name]: item[name] } : {});
  return {
    id: String(item['id']),
    number: Number(item['number']),
    title: String(item['title']),
    severity: item['severity'] as DigestMember['severity'],
    ...text('source'),
    ...text('label'),
    ...(item['reopened'] === true ? { reopened: true as const } : {}),
  };
}

export function createDigestMembers(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  ttlSeconds: number;
}) {
  const { doc, tableName, clock } = options;
  return {
    /** Writes the member's item (the same content every time: a repeat changes nothing). */
    async put(digestId: string, member: DigestMember): Promise<void> {
      await storeCall('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...member,
              pk: memberKey(digestId, member.id),
              entity: 'digest-member',
              [DIGEST_MEMBERS_INDEX.partitionKey]: digestId,
              [TTL_ATTRIBUTE]: ttlFromNow(clock, options.ttlSeconds),
            },
          }),
        ),
      );
    },

    /** Which of these incidents have a member item in the digest (consistent reads, not the index). */
    async present(digestId: string, incidentIds: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (let i = 0; i < incidentIds.length; i += BATCH_GET_MAX) {
        let keys: Record<string, unknown>[] = incidentIds
          .slice(i, i + BATCH_GET_MAX)
          .map((id) => ({ pk: memberKey(digestId, id) }));
        while (keys.length > 0) {
          const answer = await storeCall('BatchGetItem', tableName, () =>
            doc.send(
              new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
            ),
          );
          for (const item of answer.Responses?.[tableName] ?? [])
            if (live(item, clock) !== undefined) found.add(String(item['id']));
          keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return found;
    },

    /** Members `offset` to `offset + limit` in the order they opened (a paginated Query on the index). */
    async list(digestId: string, range: { offset: number; limit: number }): Promise<DigestMember[]> {
      const members: DigestMember[] = [];
      if (range.limit <= 0) return members;
      let skip = range.offset;
      for await (const item of queryItems(doc, {
        TableName: tableName,
        IndexName: DIGEST_MEMBERS_INDEX.name,
        KeyConditionExpression: '#of = :digest',
        ExpressionAttributeNames: { '#of': DIGEST_MEMBERS_INDEX.partitionKey },
        ExpressionAttributeValues: { ':digest': digestId },
        // Pages no larger than what is wanted: "List all" reads up to its page, never the rest of the storm.
        Limit: range.offset + range.limit,
      })) {
        if (live(item, clock) === undefined) continue;
        if (skip > 0) skip -= 1;
        else members.push(toMember(item));
        if (members.length >= range.limit) break;
      }
      return members;
    },
  };
}
