/**
 * Every item a Scan (or a Query) matches, page by page. Either returns at most 1 MB per call, and DynamoDB says a
 * page may hold none of the matches yet still have more after it, so callers must follow `LastEvaluatedKey` until
 * it is absent; this is the one place that loop is written. A caller that has enough stops iterating, and no
 * further page is read.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination
 */
import {
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { storeCall } from './store-errors.js';

interface Page {
  Items?: Record<string, unknown>[] | undefined;
  LastEvaluatedKey?: Record<string, unknown> | undefined;
}

async function* pages(
  operation: 'Scan' | 'Query',
  table: string,
  send: (startKey: { ExclusiveStartKey?: Record<string, unknown> }) => Promise<Page>,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await storeCall(operation, table, () =>
      send(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}

export function scanItems(
  doc: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'> & { TableName: string },
): AsyncGenerator<Record<string, unknown>> {
  return pages('Scan', input.TableName, (start) => doc.send(new ScanCommand({ ...input, ...start })));
}

export function queryItems(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'> & { TableName: string },
): AsyncGenerator<Record<string, unknown>> {
  return pages('Query', input.TableName, (start) => doc.send(new QueryCommand({ ...input, ...start })));
}
