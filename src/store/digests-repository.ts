/**
 * Storm digests (src/domain/digest.ts) in the incidents table, one small item per channel-minute, `DIGEST#<id>`,
 * its members a page per item (digest-pages.ts). The item stays bounded however large the storm, so each write of
 * it (DynamoDB rewrites, and bills, the whole item) costs as much for the 5,000th member as for the first:
 * - `opened`: an atomic counter of the incidents that opened in the channel that minute (the ordinal that decides
 *   who is shown one by one, agreed on by every process);
 * - `count`, `groups` (at most DIGEST_GROUPS_KEPT, counted by source and label, the rest in `ungrouped`) and
 *   `first` (the first DIGEST_FIRST_KEPT members): what the message shows, moved on by each member's one write;
 * - `pending`: the members counted but maybe not yet written on their page (a few: those in flight), each with its
 *   slot, so that a member is counted once though there are no transactions (dynalite has none): it is counted
 *   (and put in `pending` with the count before it, its slot) in one conditional write, written on its page, then
 *   taken out of `pending` by the digest's next write (digest-settled.ts). A restart tells from `pending` and the
 *   pages which members a dead process counted, wrote or neither (`recover`);
 * - `version`, `slack`, `slackShownVersion`: the message and how far behind it is, as for incidents
 *   (incident-shown.ts), so a restart finishes a digest the last process left unposted or unedited.
 * Items expire after DIGEST_TTL_SECONDS; their incidents keep working without them (they are listed as usual).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  DIGEST_FIRST_KEPT,
  DIGEST_MEMBERS_PER_PAGE,
  groupKeyOf,
  type Digest,
  type DigestMember,
} from '../domain/digest.js';
import type { DigestStore } from '../services/ports/digest-store.js';
import { groupWrite, numberOf, toGroup, type GroupWay } from './digest-groups.js';
import { createDigestPages, toMember } from './digest-pages.js';
import { createSettledMembers, removeFromPending } from './digest-settled.js';
import { live, ttlFromNow } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { scanItems } from './scan.js';
import { conditionalWrite, isConditionFailed, storeCall } from './store-errors.js';
import { TTL_ATTRIBUTE } from './tables.js';

export type DigestsRepository = DigestStore;

/** A digest outlives its storm by far: its list is what people open incidents from. */
export const DIGEST_TTL_SECONDS = 30 * 86_400;

const digestKey = (id: string) => `DIGEST#${id}`;
const SHOWN = 'slackShownVersion';
/** Digests whose groups this process remembers (a storm's current minute and the last few). */
const DIGESTS_REMEMBERED = 16;

const mapOf = (value: unknown) =>
  typeof value === 'object' && value !== null && !(value instanceof Set)
    ? Object.values(value as Record<string, Record<string, unknown>>)
    : [];

function toDigest(item: Record<string, unknown>): Digest {
  return {
    id: String(item['id']),
    channel: String(item['channel']),
    minute: String(item['minute']),
    opened: numberOf(item['opened']),
    count: numberOf(item['count']),
    first: mapOf(item['first'])
      .map(toMember)
      .filter((m): m is DigestMember => m !== undefined),
    groups: mapOf(item['groups']).map(toGroup),
    ungrouped: numberOf(item['ungrouped']),
    version: numberOf(item['version']),
    ...(typeof item['slack'] === 'object' && item['slack'] !== null
      ? { slack: item['slack'] as { channel: string; ts: string } }
      : {}),
    ...(typeof item[SHOWN] === 'number' ? { slackShownVersion: item[SHOWN] } : {}),
  };
}

export function createDigestsRepository({ doc, tableName, clock }: RepositoryOptions): DigestsRepository {
  const pages = createDigestPages({ doc, tableName, clock, ttlSeconds: DIGEST_TTL_SECONDS });
  // Which groups each recent digest keeps and whether it has room for more, learnt from this process's writes, so
  // that a member's one write is usually the right one at the first try.
  const seen = new Map<string, { kept: Set<string>; full: boolean }>();
  const seenOf = (id: string) => {
    if (!seen.has(id)) seen.set(id, { kept: new Set(), full: false });
    if (seen.size > DIGESTS_REMEMBERED) seen.delete(seen.keys().next().value ?? '');
    return seen.get(id) ?? { kept: new Set<string>(), full: false };
  };

  const update = (input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) =>
    conditionalWrite('UpdateItem', tableName, () =>
      doc.send(new UpdateCommand({ TableName: tableName, ...input })),
    );

  const getItem = async (id: string) => {
    const { Item } = await storeCall('GetItem', tableName, () =>
      doc.send(new GetCommand({ TableName: tableName, Key: { pk: digestKey(id) }, ConsistentRead: true })),
    );
    const item = live(Item, clock);
    return item === undefined || item['entity'] !== 'digest' ? undefined : item;
  };
  const get = async (id: string) => {
    const item = await getItem(id);
    return item === undefined ? undefined : toDigest(item);
  };

  /** Takes members out of `pending` (written on their page), and keeps one among the first when asked. */
  async function settle(id: string, memberIds: readonly string[], first?: DigestMember): Promise<void> {
    const { remove, names } = removeFromPending(memberIds);
    await update({
      Key: { pk: digestKey(id) },
      UpdateExpression: `${remove}${first ? ' SET #first.#m = :member' : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: {
        '#pending': 'pending',
        ...names,
        ...(first ? { '#first': 'first', '#m': first.id } : {}),
      },
      ...(first ? { ExpressionAttributeValues: { ':member': first } } : {}),
    });
  }
  const settled = createSettledMembers({ flush: (id, ids) => settle(id, ids), delayMs: 500 });

  /**
   * Counts the member, its group, the version (and in the minute, `opened`) in one conditional write; answers its
   * slot, or undefined: not counted.
   */
  async function count(id: string, member: DigestMember, way: GroupWay, opened: boolean) {
    const group = groupWrite(way, member);
    // Members this process wrote on their pages since, out of `pending` in the same write.
    const done = settled.take(id).filter((m) => m !== member.id);
    const { remove, names: removes } = removeFromPending(done);
    try {
      const result = await storeCall('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: digestKey(id) },
            // `#count` on the right is the count before this write: the member's slot.
            UpdateExpression: `SET #pending.#m = #count${group.set} ADD #count :one, #version :one${opened ? ', #opened :one' : ''}${group.add}${remove && ` ${remove}`}`,
            // Never on a digest that is not there (expired), nor twice at once for one member.
            ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#pending.#m) AND ${group.condition}`,
            ExpressionAttributeNames: {
              '#count': 'count',
              '#version': 'version',
              '#pending': 'pending',
              '#m': member.id,
              ...(opened ? { '#opened': 'opened' } : {}),
              ...group.names,
              ...removes,
            },
            ExpressionAttributeValues: {
              ':one': 1,
              ...group.values,
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return numberOf(result.Attributes?.['count']) - 1;
    } catch (error) {
      settled.giveBack(id, done);
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  async function addMember(id: string, member: DigestMember, opened = false): Promise<boolean> {
    const known = seenOf(id);
    const key = groupKeyOf(member);
    const ways: GroupWay[] = known.kept.has(key)
      ? ['kept', 'new', 'past']
      : known.full
        ? ['past', 'kept', 'new']
        : ['new', 'kept', 'past'];
    // Twice round: a group another process made (or filled the last room with) between two tries.
    for (const way of [...ways, ...ways]) {
      const slot = await count(id, member, way, opened);
      if (slot === undefined) continue;
      if (way === 'past') known.full = true;
      else known.kept.add(key);
      await pages.put(id, slot, member);
      if (slot < DIGEST_FIRST_KEPT) await settle(id, [member.id], member);
      else settled.add(id, member.id);
      return true;
    }
    return false; // being counted already (a restart finishing it), or the digest is gone
  }

  return {
    async countOpened({ id, channel, minute }) {
      const result = await storeCall('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: digestKey(id) },
            UpdateExpression:
              'SET #entity = :entity, #id = :id, #channel = :channel, #minute = :minute, #ttl = if_not_exists(#ttl, :ttl), ' +
              '#count = if_not_exists(#count, :zero), #groups = if_not_exists(#groups, :none), ' +
              '#first = if_not_exists(#first, :none), #pending = if_not_exists(#pending, :none) ADD #opened :one',
            ExpressionAttributeNames: {
              '#entity': 'entity',
              '#id': 'id',
              '#channel': 'channel',
              '#minute': 'minute',
              '#ttl': TTL_ATTRIBUTE,
              '#count': 'count',
              '#groups': 'groups',
              '#first': 'first',
              '#pending': 'pending',
              '#opened': 'opened',
            },
            ExpressionAttributeValues: {
              ':entity': 'digest',
              ':id': id,
              ':channel': channel,
              ':minute': minute,
              ':ttl': ttlFromNow(clock, DIGEST_TTL_SECONDS),
              ':zero': 0,
              ':none': {},
              ':one': 1,
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      const opened = result.Attributes?.['opened'];
      return typeof opened === 'number' ? opened : 1;
    },

    async openedIn(id) {
      return (await get(id))?.opened ?? 0;
    },

    async addMember(id, member, options) {
      await addMember(id, member, options?.opened === true);
    },

    async recover(id, candidates) {
      const item = await getItem(id);
      if (item === undefined) return 0;
      const pending = (item['pending'] ?? {}) as Record<string, unknown>;
      const count = numberOf(item['count']);
      const written = await pages.written(id, Math.ceil(count / DIGEST_MEMBERS_PER_PAGE));
      let changed = 0;
      for (const member of candidates) {
        const slot = pending[member.id];
        if (typeof slot === 'number') {
          // Counted, not yet taken out of `pending`; written on its page unless its process died first. Finish it,
          // without counting it again.
          if (!written.has(member.id)) await pages.put(id, slot, member);
          await settle(id, [member.id], slot < DIGEST_FIRST_KEPT ? member : undefined);
          if (!written.has(member.id)) changed += 1;
        } else if (!written.has(member.id) && (await addMember(id, member))) changed += 1;
      }
      return changed;
    },

    get,

    page: (id, page) => pages.page(id, page),

    attach: (id, slack, rendered) =>
      update({
        Key: { pk: digestKey(id) },
        UpdateExpression: 'SET #slack = :slack, #shown = :rendered',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#slack)',
        ExpressionAttributeNames: { '#slack': 'slack', '#shown': SHOWN },
        ExpressionAttributeValues: { ':slack': slack, ':rendered': rendered },
      }),

    async markShown(id, version) {
      await update({
        Key: { pk: digestKey(id) },
        UpdateExpression: 'SET #shown = :v',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#shown) OR #shown < :v)',
        ExpressionAttributeNames: { '#shown': SHOWN },
        ExpressionAttributeValues: { ':v': version },
      });
    },

    async listUnshown() {
      const behind: Digest[] = [];
      for await (const item of scanItems(doc, {
        TableName: tableName,
        FilterExpression:
          '#entity = :digest AND #count > :none AND (attribute_not_exists(#slack) OR #shown < #version)',
        ExpressionAttributeNames: {
          '#entity': 'entity',
          '#count': 'count',
          '#slack': 'slack',
          '#shown': SHOWN,
          '#version': 'version',
        },
        ExpressionAttributeValues: { ':digest': 'digest', ':none': 0 },
        ConsistentRead: true,
      })) {
        if (live(item, clock) !== undefined) behind.push(toDigest(item));
      }
      return behind;
    },
  };
}
