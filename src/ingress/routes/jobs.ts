/**
 * Job monitoring over HTTP.
 * - `POST /api/monitor/job-report`: exactly the seed's contract (job-monitor-snippet.md), so its Python
 *   snippet works unchanged: header `X-TC-Portal-Webhook-Secret` (or `Authorization: Bearer`) equal to
 *   JOB_REPORT_SECRET → 200 `{"success":true,"id","job_key"}`; 400 naming the field; 401; 500.
 * - `PUT|DELETE /api/monitor/jobs/:job_key`: declare or remove a job's schedule (missed-run detection).
 * - `GET /api/monitor/jobs[/:job_key]`: the jobs, their latest results and schedules (and a job's history).
 * Order on every request: secret (constant time, on the raw request) → JSON.parse → zod → act.
 */
import { badRequest } from '../../errors.js';
import { jobReportSchema, parseJobReport } from '../../domain/job.js';
import { nextExpectedAt, parseScheduleBody, type JobSchedule } from '../../domain/job-schedule.js';
import { isPlainObject } from '../../domain/sources/parse-result.js';
import type { JobOverview, StoredJobReport } from '../../domain/job-records.js';
import type { JobService } from '../../services/jobs.js';
import { bearerToken, unauthorized, type SharedSecret } from '../auth.js';
import { invalidField } from '../json-body.js';
import { json, type IngressRequest, type Route } from '../types.js';

export const JOB_SECRET_HEADER = 'x-tc-portal-webhook-secret';
const HISTORY_LIMIT = 20;

export interface JobRoutesDeps {
  jobs: JobService;
  /** JOB_REPORT_SECRET (built once in app.ts, with the local default in emulator mode). */
  secret: SharedSecret;
}

/** The seed's header, or a bearer token for new clients; either one matching is enough. */
function verifySecret(request: IngressRequest, secret: SharedSecret): void {
  const header = request.headers[JOB_SECRET_HEADER];
  const bearer = bearerToken(request.headers);
  if (secret.matches(header) || secret.matches(bearer)) return;
  const presented = (header ?? '') !== '' || bearer !== undefined;
  throw unauthorized(presented ? 'invalid secret' : 'missing X-TC-Portal-Webhook-Secret header');
}

/**
 * The body as a JSON object, or a 400 saying what is wrong with it. The content type is not checked: the
 * seed's clients all send application/json, and a report must not be lost over a header.
 */
function jsonObject(request: IngressRequest): Record<string, unknown> {
  // A UTF-8 byte order mark is not JSON, but Windows tools (PowerShell 5) may write one.
  const text = request.rawBody.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw badRequest('body is empty: expected a JSON object', { field: 'body' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw badRequest(`body is not valid JSON${detail}`, { field: 'body' });
  }
  if (!isPlainObject(parsed)) throw invalidField({ field: 'body', reason: 'must be a JSON object' });
  return parsed;
}

function jobKeyParam(request: IngressRequest): string {
  const result = jobReportSchema.shape.job_key.safeParse(request.params['job_key']);
  if (!result.success)
    throw invalidField({ field: 'job_key', reason: result.error.issues[0]?.message ?? 'invalid' });
  return result.data;
}

/** A schedule in the API's own words. */
export function scheduleJson(schedule: JobSchedule): Record<string, unknown> {
  return schedule.kind === 'period'
    ? { period_seconds: schedule.periodSeconds, grace_seconds: schedule.graceSeconds }
    : { cron: schedule.cron, tz: schedule.tz, grace_seconds: schedule.graceSeconds };
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function reportJson(report: StoredJobReport): Record<string, unknown> {
  return {
    id: report.id,
    status: report.status,
    title: report.title,
    finished_at: report.finishedAtRaw,
    message: report.message,
    received_at: iso(report.receivedAt),
  };
}

function jobJson(job: JobOverview): Record<string, unknown> {
  return {
    job_key: job.jobKey,
    title: job.title,
    latest: job.latest === undefined ? null : reportJson(job.latest),
    schedule: job.schedule === undefined ? null : scheduleJson(job.schedule),
    next_expected_at: iso(job.nextExpectedAt),
    late: job.late,
  };
}

export function jobRoutes({ jobs, secret }: JobRoutesDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/monitor/job-report',
      handler: async (request) => {
        verifySecret(request, secret);
        const result = parseJobReport(jsonObject(request));
        if (!result.ok) throw invalidField(result);
        const answer = await jobs.report(result.report);
        // Exactly the seed's keys: clients may compare the body as a whole.
        return json(200, { success: true, id: answer.id, job_key: answer.jobKey });
      },
    },
    {
      method: 'PUT',
      path: '/api/monitor/jobs/:job_key',
      handler: async (request) => {
        verifySecret(request, secret);
        const jobKey = jobKeyParam(request);
        const result = parseScheduleBody(jsonObject(request));
        if (!result.ok) throw invalidField(result);
        const state = await jobs.expect(jobKey, result.schedule);
        const job = await jobs.get(jobKey);
        return json(200, {
          success: true,
          job_key: jobKey,
          schedule: scheduleJson(state.schedule),
          next_expected_at: iso(job?.nextExpectedAt ?? nextExpectedAt(state.schedule, state.declaredAt)),
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/monitor/jobs/:job_key',
      handler: async (request) => {
        verifySecret(request, secret);
        const jobKey = jobKeyParam(request);
        return json(200, { success: true, job_key: jobKey, removed: await jobs.forget(jobKey) });
      },
    },
    {
      method: 'GET',
      path: '/api/monitor/jobs',
      handler: async (request) => {
        verifySecret(request, secret);
        return json(200, { jobs: (await jobs.list()).map(jobJson) });
      },
    },
    {
      method: 'GET',
      path: '/api/monitor/jobs/:job_key',
      handler: async (request) => {
        verifySecret(request, secret);
        const jobKey = jobKeyParam(request);
        const job = await jobs.get(jobKey);
        if (job === undefined) return json(404, { error: `no job ${jobKey}`, code: 'NOT_FOUND' });
        const history = await jobs.history(jobKey, HISTORY_LIMIT);
        return json(200, { job: jobJson(job), history: history.map(reportJson) });
      },
    },
  ];
}
