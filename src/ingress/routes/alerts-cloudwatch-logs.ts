/**
 * `POST /api/alerts/cloudwatch-logs`: a CloudWatch Logs subscription delivery over HTTP, the body being the
 * event the `logs` Lambda function receives (`{"awslogs": {"data": "<base64 of gzip of JSON>"}}`,
 * src/domain/sources/cloudwatch-logs.ts). It is how a local run (or anything that forwards such deliveries)
 * gets Lambda error logs in; on AWS the subscription filter invokes the `logs` function (src/lambda.ts).
 *
 * Bearer ALERTS_API_TOKEN first, then the content type, JSON, base64, gzip (bounded: 413 past
 * DECOMPRESSED_MAX_BYTES) and the schema; a refused delivery stores nothing. A CONTROL_MESSAGE answers 200
 * and does nothing. Each distinct error of the batch is ingested in order, and the answer lists what became
 * of each (202), or 200 when the batch held no error.
 */
import { firingsOf } from '../../domain/alert.js';
import {
  parseCloudWatchLogsEvent,
  signalsFromLogsData,
  type LogsFailure,
} from '../../domain/sources/cloudwatch-logs.js';
import { AppError, ErrorCode } from '../../errors.js';
import type { IncidentService } from '../../services/incidents.js';
import { requireBearer, type SharedSecret } from '../auth.js';
import { invalidField, jsonBody } from '../json-body.js';
import { json, type Route } from '../types.js';
import { ingestResult, type AlertResult } from './alert-results.js';

export const CLOUDWATCH_LOGS_PATH = '/api/alerts/cloudwatch-logs';

export interface CloudWatchLogsRouteDeps {
  incidents: IncidentService;
  /** ALERTS_API_TOKEN. */
  token: SharedSecret;
  /** The region of the log groups (AWS_REGION), for the console links: deliveries do not name it. */
  region: string;
}

export function logsFailure(failure: LogsFailure): AppError {
  if (failure.status === 413) {
    const message = `${failure.field}: ${failure.reason}`;
    return new AppError(ErrorCode.PayloadTooLarge, message, {
      userMessage: message,
      details: { field: failure.field },
    });
  }
  return invalidField(failure);
}

export function cloudWatchLogsRoutes(deps: CloudWatchLogsRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: CLOUDWATCH_LOGS_PATH,
      handler: async (request) => {
        requireBearer(request, deps.token);
        const parsed = parseCloudWatchLogsEvent(jsonBody(request));
        if (!parsed.ok) throw logsFailure(parsed);
        const { data } = parsed;
        const { events, errors, signals } = signalsFromLogsData(data, deps.region);
        const results: (AlertResult & { title: string; count: number })[] = [];
        for (const signal of signals) {
          const outcome = await deps.incidents.ingest(signal);
          results.push({ title: signal.title, count: firingsOf(signal), ...ingestResult(outcome) });
        }
        return json(results.length === 0 ? 200 : 202, {
          message_type: data.messageType,
          log_group: data.logGroup,
          log_stream: data.logStream,
          events,
          errors,
          results,
        });
      },
    },
  ];
}
