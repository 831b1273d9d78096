/**
 * The members of a storm digest (src/domain/digest.ts), a page of DIGEST_MEMBERS_PER_PAGE per item in the incidents
 * table, `DIGEST#<digest>#P#<page>`: a member's slot (the digest's count when it joined, from 0) says its page, and
 * it is an attribute of its own there (`M#<incident>`), so adding one is one write that needs no read and no
 * condition, and rewrites at most a page (a few KB), however large the storm. "List all" reads one item per page it
 * shows, consistently; a restart reads the pages to tell a member written from one never added. No index needed.
 */
import {
  BatchGetCommand,
  GetCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../domain/clock.js';
import { DIGEST_MEMBERS_PER_PAGE, type DigestMember } from '../domain/digest.js';
import { live, ttlFromNow } from './expiry.js';
import { storeCall } from './store-errors.js';
import { TTL_ATTRIBUTE } from './tables.js';

const pageKey = (digestId: string, page: number) => `DIGEST#${digestId}#P#${page}`;
const MEMBER = 'M#';
/** BatchGetItem's most keys per call. */
const BATCH_GET_MAX = 100;

const pageOf = (slot: number) => Math.floor(slot / DIGEST_MEMBERS_PER_PAGE);

export function toMember(value: unknown): DigestMember | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const item = value as Record<string, unknown>;
  if (typeof item['id'] !== 'string' || typeof item['number'] !== 'number') return undefined;
  const text = (name: 'source' | 'label') => (typeof item[name] === 'string' ? { [name]: item[name] } : {});
  return {
    id: item['id'],
    number: item['number'],
    title: String(item['title']),
    severity: item['severity'] as DigestMember['severity'],
    ...text('source'),
    ...text('label'),
    ...(item['reopened'] === true ? { reopened: true as const } : {}),
  };
}

function membersOf(item: Record<string, unknown> | undefined): DigestMember[] {
  if (item === undefined) return [];
  return Object.entries(item)
    .filter(([name]) => name.startsWith(MEMBER))
    .map(([, value]) => toMember(value))
    .filter((m): m is DigestMember => m !== undefined);
}

export function createDigestPages(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  ttlSeconds: number;
}) {
  const { doc, tableName, clock } = options;
  return {
    /** Writes the member on its slot's page (the same content every time: a repeat changes nothing). */
    async put(digestId: string, slot: number, member: DigestMember): Promise<void> {
      await storeCall('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: pageKey(digestId, pageOf(slot)) },
            UpdateExpression: 'SET #entity = :entity, #m = :member, #ttl = if_not_exists(#ttl, :ttl)',
            ExpressionAttributeNames: {
              '#entity': 'entity',
              '#m': `${MEMBER}${member.id}`,
              '#ttl': TTL_ATTRIBUTE,
            },
            ExpressionAttributeValues: {
              ':entity': 'digest-page',
              ':member': member,
              ':ttl': ttlFromNow(clock, options.ttlSeconds),
            },
          }),
        ),
      );
    },

    /** The members on page `page`, in the order they opened. */
    async page(digestId: string, page: number): Promise<DigestMember[]> {
      const { Item } = await storeCall('GetItem', tableName, () =>
        doc.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: pageKey(digestId, page) },
            ConsistentRead: true,
          }),
        ),
      );
      return membersOf(live(Item, clock)).sort((a, b) => a.number - b.number);
    },

    /** The ids of every member written on the digest's `pages` pages (a restart's look, BatchGetItem). */
    async written(digestId: string, pages: number): Promise<Set<string>> {
      const ids = new Set<string>();
      for (let first = 0; first < pages; first += BATCH_GET_MAX) {
        let keys: Record<string, unknown>[] = Array.from(
          { length: Math.min(BATCH_GET_MAX, pages - first) },
          (_, i) => ({ pk: pageKey(digestId, first + i) }),
        );
        while (keys.length > 0) {
          const answer = await storeCall('BatchGetItem', tableName, () =>
            doc.send(
              new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
            ),
          );
          for (const item of answer.Responses?.[tableName] ?? [])
            for (const member of membersOf(live(item, clock))) ids.add(member.id);
          keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return ids;
    },
  };
}
