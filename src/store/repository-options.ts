import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../domain/clock.js';

/** What every repository factory takes. */
export interface RepositoryOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
}
