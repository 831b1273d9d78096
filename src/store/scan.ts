/**
 * Every item a Scan matches, page by page. A Scan returns at most 1 MB per call, and DynamoDB says a page may
 * hold none of the matches yet still have more after it, so callers must follow `LastEvaluatedKey` until it is
 * absent; this is the one place that loop is written.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination
 */
import { ScanCommand, type DynamoDBDocumentClient, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { storeCall } from './store-errors.js';

export async function* scanItems(
  doc: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'> & { TableName: string },
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await storeCall('Scan', input.TableName, () =>
      doc.send(
        new ScanCommand({ ...input, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }),
      ),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}
