/**
 * The `Contacts` table (issue 19): people's own phone numbers, one item per Slack user id (`userId`), written by
 * `/oncall phone`. Numbers are E.164, checked on write and on read.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isE164 } from '../domain/phone.js';
import type { Contact, ContactStore } from '../services/ports/contact-store.js';
import type { RepositoryOptions } from './repository-options.js';
import { storeCall } from './store-errors.js';

function toContact(item: Record<string, unknown> | undefined): Contact | undefined {
  if (item === undefined) return undefined;
  const { userId, phone, updatedAt } = item;
  if (typeof userId !== 'string' || typeof phone !== 'string' || !isE164(phone)) return undefined;
  return { userId, phone, updatedAt: typeof updatedAt === 'number' ? updatedAt : 0 };
}

export function createContactsRepository({ doc, tableName }: RepositoryOptions): ContactStore {
  const get = async (userId: string) => {
    const { Item } = await storeCall('GetItem', tableName, () =>
      doc.send(new GetCommand({ TableName: tableName, Key: { userId }, ConsistentRead: true })),
    );
    return toContact(Item);
  };
  return {
    get,
    async getMany(userIds) {
      // Concurrent reads go out as one batch on the embedded store (get-batcher.ts).
      const found = await Promise.all([...new Set(userIds)].map((id) => get(id)));
      return new Map(found.filter((c) => c !== undefined).map((c) => [c.userId, c]));
    },
    async put(contact) {
      if (!isE164(contact.phone)) throw new Error('a contact phone number must be E.164');
      await storeCall('PutItem', tableName, () =>
        doc.send(new PutCommand({ TableName: tableName, Item: { ...contact } })),
      );
    },
  };
}
