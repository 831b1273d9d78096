/**
 * Job reports (`POST /api/monitor/job-report`), one partition per job (`pk = JOB#<job_key>`):
 * - `sk = LATEST`                           the last report, overwritten, never expires;
 * - `sk = H#<finished ms, 15 digits>#<id>`  history rows, expiring; the zero-padded time makes the string
 *                                           sort chronological, and the id keeps two reports in one ms apart.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { badRequest } from '../errors.js';
import { scanItems } from './scan.js';
import { storeCall } from './store-errors.js';
import { isExpired, live, ttlFromNowDays } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { TTL_ATTRIBUTE } from './tables.js';
import type { JobReportRecord, JobReportStore, StoredJobReport } from '../services/ports/job-store.js';

export type { JobReportRecord, StoredJobReport };
export type JobReportsRepository<R extends JobReportRecord = JobReportRecord> = JobReportStore<R>;

const LATEST = 'LATEST';
const HISTORY_PREFIX = 'H#';
const jobPk = (jobKey: string) => `JOB#${jobKey}`;

function finishedMs(value: string | number): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0)
    throw badRequest('finished_at is not a valid time', { finishedAt: value });
  return Math.trunc(ms);
}

export function historySortKey(report: JobReportRecord): string {
  return `${HISTORY_PREFIX}${String(finishedMs(report.finishedAt)).padStart(15, '0')}#${report.id}`;
}

export function createJobReportsRepository<R extends JobReportRecord = JobReportRecord>({
  doc,
  tableName,
  clock,
}: RepositoryOptions): JobReportsRepository<R> {
  const strip = (item: Record<string, unknown>): StoredJobReport<R> => {
    const { pk: _pk, sk: _sk, ...rest } = item;
    return rest as StoredJobReport<R>;
  };

  const put = async (item: Record<string, unknown>) => {
    await storeCall('PutItem', tableName, () =>
      doc.send(new PutCommand({ TableName: tableName, Item: item })),
    );
  };

  return {
    putLatest: (jobKey, report) =>
      put({ ...report, jobKey, pk: jobPk(jobKey), sk: LATEST, updatedAt: clock.now() }),

    appendHistory: (jobKey, report, ttlDays) =>
      put({
        ...report,
        jobKey,
        pk: jobPk(jobKey),
        sk: historySortKey(report),
        [TTL_ATTRIBUTE]: ttlFromNowDays(clock, ttlDays),
      }),

    getLatest: async (jobKey) => {
      const { Item } = await storeCall('GetItem', tableName, () =>
        doc.send(new GetCommand({ TableName: tableName, Key: { pk: jobPk(jobKey), sk: LATEST } })),
      );
      const item = live(Item, clock);
      return item === undefined ? undefined : strip(item);
    },

    listLatest: async () => {
      const latest: StoredJobReport<R>[] = [];
      const items = scanItems(doc, {
        TableName: tableName,
        FilterExpression: 'sk = :latest',
        ExpressionAttributeValues: { ':latest': LATEST },
      });
      for await (const item of items) if (!isExpired(item, clock)) latest.push(strip(item));
      return latest;
    },

    history: async (jobKey, limit) => {
      const rows: StoredJobReport<R>[] = [];
      if (limit <= 0) return rows;
      let startKey: Record<string, unknown> | undefined;
      // Expired rows are skipped here rather than with a FilterExpression: Limit applies before a filter,
      // so pages are read until `limit` live rows are found.
      do {
        const page = await storeCall('Query', tableName, () =>
          doc.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeValues: { ':pk': jobPk(jobKey), ':prefix': HISTORY_PREFIX },
              ScanIndexForward: false,
              Limit: limit,
              ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
            }),
          ),
        );
        for (const item of page.Items ?? []) {
          if (isExpired(item, clock)) continue;
          rows.push(strip(item));
          if (rows.length >= limit) return rows;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return rows;
    },
  };
}
