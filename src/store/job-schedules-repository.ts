/**
 * Declared job schedules (missed-run detection), kept in the job reports table beside the job's reports:
 * `pk = JOB#<job_key>`, `sk = SCHEDULE`. One item per job, never expiring, written with a conditional put on
 * its `version` so a report and the scheduler tick changing the same job at once cannot overwrite each other.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { scanItems } from './scan.js';
import { conditionalWrite, storeCall } from './store-errors.js';
import type { RepositoryOptions } from './repository-options.js';

export interface JobScheduleRecord {
  jobKey: string;
  /** Goes up by one on every write; the conditional put checks the value read. */
  version: number;
  [attribute: string]: unknown;
}

export interface JobSchedulesRepository<R extends JobScheduleRecord = JobScheduleRecord> {
  get(jobKey: string): Promise<R | undefined>;
  /** Every declared schedule (a Scan). */
  list(): Promise<R[]>;
  /**
   * Writes `record` (its `version` must be `expectedVersion + 1`, or 1 for a new item) if the stored version
   * is still `expectedVersion` (`undefined`: no item yet). False when someone else wrote first.
   */
  put(record: R, expectedVersion: number | undefined): Promise<boolean>;
  delete(jobKey: string): Promise<void>;
}

const SCHEDULE = 'SCHEDULE';
const jobPk = (jobKey: string) => `JOB#${jobKey}`;

export function createJobSchedulesRepository<R extends JobScheduleRecord = JobScheduleRecord>({
  doc,
  tableName,
}: RepositoryOptions): JobSchedulesRepository<R> {
  const strip = (item: Record<string, unknown>): R => {
    const { pk: _pk, sk: _sk, ...rest } = item;
    return rest as R;
  };

  return {
    get: async (jobKey) => {
      const { Item } = await storeCall('GetItem', tableName, () =>
        doc.send(new GetCommand({ TableName: tableName, Key: { pk: jobPk(jobKey), sk: SCHEDULE } })),
      );
      return Item === undefined ? undefined : strip(Item);
    },

    list: async () => {
      const records: R[] = [];
      const items = scanItems(doc, {
        TableName: tableName,
        FilterExpression: 'sk = :schedule',
        ExpressionAttributeValues: { ':schedule': SCHEDULE },
      });
      for await (const item of items) records.push(strip(item));
      return records;
    },

    put: (record, expectedVersion) =>
      conditionalWrite('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...record, pk: jobPk(record.jobKey), sk: SCHEDULE },
            ...(expectedVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#v = :expected',
                  ExpressionAttributeNames: { '#v': 'version' },
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                }),
          }),
        ),
      ),

    delete: async (jobKey) => {
      await storeCall('DeleteItem', tableName, () =>
        doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: jobPk(jobKey), sk: SCHEDULE } })),
      );
    },
  };
}
