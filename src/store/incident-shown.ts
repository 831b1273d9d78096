/**
 * Which version of an incident its Slack message shows (`slackShownVersion`), so that a restart can finish the
 * Slack work the last process left: a message never posted, or an edit never made (a bounded shutdown abandons
 * them, kill -9 loses them). The incident's `version` moves on every change; the message is behind while
 * `slackShownVersion < version`.
 *
 * `markShown` writes the attribute alone, without moving `version`: the mark is not a change of the incident,
 * and a versioned put prepared before it still succeeds. Such a put carries the copy's older mark, which can
 * only make the message look behind when it is not (one needless edit after a restart), never the reverse.
 * Incidents stored before this attribute existed have none and are never listed as behind.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../domain/clock.js';
import { live } from './expiry.js';
import { scanItems } from './scan.js';
import { conditionalWrite } from './store-errors.js';

export const SHOWN_ATTRIBUTE = 'slackShownVersion';

export function createShownTracking<R>(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  key: (id: string) => string;
  toRecord(item: Record<string, unknown>): R;
}): {
  markShown(id: string, version: number): Promise<void>;
  listUnshown(): Promise<R[]>;
} {
  const { doc, tableName, clock, key } = options;
  return {
    async markShown(id, version) {
      // A lost condition means the incident is gone or a later version is already marked: nothing to do.
      await conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: key(id) },
            UpdateExpression: 'SET #shown = :v',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#shown) OR #shown < :v)',
            ExpressionAttributeNames: { '#shown': SHOWN_ATTRIBUTE },
            ExpressionAttributeValues: { ':v': version },
          }),
        ),
      );
    },

    async listUnshown() {
      const behind: R[] = [];
      for await (const item of scanItems(doc, {
        TableName: tableName,
        FilterExpression: 'entity = :incident AND (attribute_not_exists(slack) OR #shown < #version)',
        ExpressionAttributeNames: { '#shown': SHOWN_ATTRIBUTE, '#version': 'version' },
        ExpressionAttributeValues: { ':incident': 'incident' },
        ConsistentRead: true,
      })) {
        if (live(item, clock) !== undefined) behind.push(options.toRecord(item));
      }
      return behind;
    },
  };
}
