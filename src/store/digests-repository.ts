/**
 * Storm digests (src/domain/digest.ts) in the incidents table, one item per channel-minute, `DIGEST#<id>`:
 * - `opened`: an atomic counter of the incidents that opened in the channel that minute (the ordinal that decides
 *   who is shown one by one, agreed on by every process);
 * - `members`: a map from incident id to what the digest shows of it, added once each (a conditional write, so a
 *   restart re-adding a member changes nothing);
 * - `version`, `slack`, `slackShownVersion`: the message and how far behind it is, as for incidents
 *   (incident-shown.ts), so a restart finishes a digest the last process left unposted or unedited.
 * Items expire after DIGEST_TTL_SECONDS; their incidents keep working without them (they are listed as usual).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Digest, DigestMember } from '../domain/digest.js';
import type { DigestStore } from '../services/ports/digest-store.js';
import { live, ttlFromNow } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { scanItems } from './scan.js';
import { conditionalWrite, storeCall } from './store-errors.js';
import { TTL_ATTRIBUTE } from './tables.js';

export type DigestsRepository = DigestStore;

/** A digest outlives its storm by far: its list is what people open incidents from. */
export const DIGEST_TTL_SECONDS = 30 * 86_400;

const digestKey = (id: string) => `DIGEST#${id}`;
const SHOWN = 'slackShownVersion';

function toDigest(item: Record<string, unknown>): Digest {
  const members = item['members'];
  return {
    id: String(item['id']),
    channel: String(item['channel']),
    minute: String(item['minute']),
    opened: typeof item['opened'] === 'number' ? item['opened'] : 0,
    members:
      typeof members === 'object' && members !== null
        ? Object.values(members as Record<string, DigestMember>)
        : [],
    version: typeof item['version'] === 'number' ? item['version'] : 0,
    ...(typeof item['slack'] === 'object' && item['slack'] !== null
      ? { slack: item['slack'] as { channel: string; ts: string } }
      : {}),
    ...(typeof item[SHOWN] === 'number' ? { slackShownVersion: item[SHOWN] } : {}),
  };
}

export function createDigestsRepository({ doc, tableName, clock }: RepositoryOptions): DigestsRepository {
  const update = (input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) =>
    conditionalWrite('UpdateItem', tableName, () =>
      doc.send(new UpdateCommand({ TableName: tableName, ...input })),
    );

  const get = async (id: string): Promise<Digest | undefined> => {
    const { Item } = await storeCall('GetItem', tableName, () =>
      doc.send(new GetCommand({ TableName: tableName, Key: { pk: digestKey(id) }, ConsistentRead: true })),
    );
    const item = live(Item, clock);
    return item === undefined || item['entity'] !== 'digest' ? undefined : toDigest(item);
  };

  return {
    async countOpened({ id, channel, minute }) {
      const result = await storeCall('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: digestKey(id) },
            UpdateExpression:
              'SET #entity = :entity, #id = :id, #channel = :channel, #minute = :minute, #ttl = if_not_exists(#ttl, :ttl) ADD #opened :one',
            ExpressionAttributeNames: {
              '#entity': 'entity',
              '#id': 'id',
              '#channel': 'channel',
              '#minute': 'minute',
              '#ttl': TTL_ATTRIBUTE,
              '#opened': 'opened',
            },
            ExpressionAttributeValues: {
              ':entity': 'digest',
              ':id': id,
              ':channel': channel,
              ':minute': minute,
              ':ttl': ttlFromNow(clock, DIGEST_TTL_SECONDS),
              ':one': 1,
            },
            // Only the counter comes back: the members map can be large.
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

    async addMember(id, member) {
      const names = { '#members': 'members', '#member': member.id, '#version': 'version' };
      const addTo = () =>
        update({
          Key: { pk: digestKey(id) },
          UpdateExpression: 'SET #members.#member = :member ADD #version :one',
          ConditionExpression: 'attribute_exists(#members) AND attribute_not_exists(#members.#member)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':member': member, ':one': 1 },
        });
      // The map does not exist until the first member: create it with that member, unless someone just did.
      const create = () =>
        update({
          Key: { pk: digestKey(id) },
          UpdateExpression: 'SET #members = :members ADD #version :one',
          // Never on a digest that is not there (expired): that would make an item without its channel and minute.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#members)',
          ExpressionAttributeNames: { '#members': 'members', '#version': 'version' },
          ExpressionAttributeValues: { ':members': { [member.id]: member }, ':one': 1 },
        });
      // Lost both ways round: the member is there already (a restart re-adding it), or the map appeared in between.
      if (!(await addTo()) && !(await create())) await addTo();
    },

    get,

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
          '#entity = :digest AND attribute_exists(#members) AND (attribute_not_exists(#slack) OR #shown < #version)',
        ExpressionAttributeNames: {
          '#entity': 'entity',
          '#members': 'members',
          '#slack': 'slack',
          '#shown': SHOWN,
          '#version': 'version',
        },
        ExpressionAttributeValues: { ':digest': 'digest' },
        ConsistentRead: true,
      })) {
        if (live(item, clock) !== undefined) behind.push(toDigest(item));
      }
      return behind;
    },
  };
}
