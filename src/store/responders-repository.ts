/**
 * Responders: one item per group (`groupId`) holding its responder list, as the ConnectOutboundCaller seed
 * stores it. Edits are optimistic: the item carries a `version` and a save names the version it read, so two
 * admins editing the same rota at once cannot silently overwrite each other.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod.js';
import { isE164 } from '../domain/phone.js';
import { AppError, ErrorCode, badRequest } from '../errors.js';
import { conflict, isConditionFailed, storeCall } from './store-errors.js';
import type { RepositoryOptions } from './repository-options.js';
import type { Responder, RespondersGroup, RespondersStore } from '../services/ports/responders-store.js';

export type { Responder, RespondersGroup, RespondersStore } from '../services/ports/responders-store.js';
/** The flat list's port, kept in the seed's Responders table. */
export type RespondersRepository = RespondersStore;

const responderSchema = z.object({
  userId: z.string().check(z.minLength(1)),
  phone: z.string().check(z.refine(isE164, 'phone must be E.164, e.g. +819012340001')),
  priority: z.int().check(z.nonnegative()),
  name: z.optional(z.string()),
});
const storedSchema = z.object({
  responders: z._default(z.array(responderSchema), []),
  version: z._default(z.int().check(z.nonnegative()), 0),
});

function toResponder(parsed: z.infer<typeof responderSchema>): Responder {
  const { name, ...rest } = parsed;
  return name === undefined ? rest : { ...rest, name };
}

// Stable sort: equal priorities keep the order they were saved in.
const byPriority = (a: Responder, b: Responder): number => a.priority - b.priority;

export function createRespondersRepository({
  doc,
  tableName,
  clock,
}: RepositoryOptions): RespondersRepository {
  const get = async (groupId: string): Promise<RespondersGroup> => {
    const { Item } = await storeCall('GetItem', tableName, () =>
      doc.send(new GetCommand({ TableName: tableName, Key: { groupId }, ConsistentRead: true })),
    );
    if (Item === undefined) return { responders: [], version: 0 };
    const parsed = storedSchema.safeParse(Item);
    if (!parsed.success) {
      // A hand-edited item must not silently drop someone from the call rota: fail loudly instead.
      throw new AppError(ErrorCode.StoreUnavailable, `Responders item for group ${groupId} is malformed`, {
        details: { groupId, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
      });
    }
    return {
      responders: parsed.data.responders.map(toResponder).sort(byPriority),
      version: parsed.data.version,
    };
  };

  return {
    get,
    list: async (groupId) => (await get(groupId)).responders,
    save: async (groupId, responders, expectedVersion) => {
      const parsed = z.array(responderSchema).safeParse(responders);
      if (!parsed.success) {
        throw badRequest('Invalid responders', { issues: parsed.error.issues.map((i) => i.message) });
      }
      const list = parsed.data.map(toResponder).sort(byPriority);
      const values: Record<string, unknown> = { ':list': list, ':one': 1, ':now': clock.now() };
      let condition: string | undefined;
      if (expectedVersion === 0) condition = 'attribute_not_exists(groupId)';
      else if (expectedVersion !== undefined) {
        condition = '#version = :expected';
        values[':expected'] = expectedVersion;
      }
      try {
        const result = await storeCall('UpdateItem', tableName, () =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { groupId },
              // ADD keeps the version monotonic even for unconditional saves.
              UpdateExpression: 'SET responders = :list, updatedAt = :now ADD #version :one',
              ...(condition === undefined ? {} : { ConditionExpression: condition }),
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: values,
              ReturnValues: 'UPDATED_NEW',
            }),
          ),
        );
        const version = result.Attributes?.['version'];
        return typeof version === 'number' ? version : (expectedVersion ?? 0) + 1;
      } catch (error) {
        if (isConditionFailed(error)) {
          throw conflict(`Responders of group ${groupId} changed since version ${String(expectedVersion)}`, {
            groupId,
            expectedVersion,
          });
        }
        throw error;
      }
    },
  };
}
