/**
 * Declared job schedules (missed-run detection), kept in the job reports table beside the job's reports:
 * `pk = JOB#<job_key>`, `sk = SCHEDULE`. One item per job, never expiring, written with a conditional put on
 * its `version` so a report and the scheduler tick changing the same job at once cannot overwrite each other.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { scanItems } from './scan.js';
import { conditionalWrite, storeCall } from './store-errors.js';
import type { RepositoryOptions } from './repository-options.js';
import type { JobScheduleRecord, JobScheduleStore } from '../services/ports/job-store.js';

export type { JobScheduleRecord };
export type JobSchedulesRepository<R extends JobScheduleRecord = JobScheduleRecord> = JobScheduleStore<R>;

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
