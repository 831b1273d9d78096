/**
 * Job reports: the body scheduled scripts send to `POST /api/monitor/job-report`, exactly as the seed
 * (job-monitor-snippet.md) defines it — `{job_key, title, status: "success"|"error", finished_at, message?}` —
 * validated into a `JobReport`, plus the report's id and idempotency key. Pure: no I/O, no clock.
 *
 * Leniency, chosen so the seed's snippet and its curl/PowerShell calls all work and garbage still fails:
 * - `finished_at` must be ISO 8601 with a zone: Python's `datetime.now(timezone.utc).isoformat()`
 *   (`2024-01-25T10:00:00.123456+00:00`), `Z`, PowerShell's `ToString("o")` (7 fraction digits), `+0900`.
 *   A time without a zone is refused: the job's local time would be guessed wrong.
 * - `message` may be absent or null (the snippet sends null); `title` may be empty (the key is shown instead).
 * - Unknown keys are ignored. `job_key` is trimmed and capped at 255 characters because it is a storage key;
 *   an over-long title or message is shortened rather than refused, so a long traceback is never lost whole.
 */
import { createHash } from 'node:crypto';
import * as z from './zod.js';
import { firstIssue, type ParseFailure } from './sources/parse-result.js';

export const JOB_STATUSES = ['success', 'error'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_KEY_MAX = 255;
export const JOB_TITLE_MAX = 500;
/** Longest message stored and shown; longer ones keep their start and their end (where a traceback ends). */
export const JOB_MESSAGE_MAX = 4000;

export interface JobReport {
  jobKey: string;
  title: string;
  status: JobStatus;
  /** `finished_at` as the job sent it (display, idempotency key). */
  finishedAtRaw: string;
  /** `finished_at` normalised to ISO 8601 UTC with milliseconds. */
  finishedAt: string;
  message: string | null;
}

const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Epoch milliseconds of an ISO 8601 date-time with a zone, or undefined. Parsed by hand rather than with
 * `Date.parse`, which accepts many non-ISO forms and rolls Feb 30 over into March.
 */
export function parseIsoWithZone(text: string): number | undefined {
  const m = ISO_WITH_ZONE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zulu, sign, oh = '0', om = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetMinutes = zulu !== undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (Number(oh) > 23 || Number(om) > 59) return undefined;
  const local = Date.UTC(
    year,
    month - 1,
    day,
    hour,
    minute,
    second,
    Number(fraction.padEnd(3, '0').slice(0, 3)),
  );
  // Date.UTC rolls over (Feb 30 → Mar 1); a rolled-over date was not a real one.
  if (new Date(local).getUTCDate() !== day) return undefined;
  return local - offsetMinutes * 60_000;
}

const required = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : expected;

export const jobReportSchema = z.object({
  job_key: z.string({ error: required('must be a string') }).check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(JOB_KEY_MAX, `must be at most ${JOB_KEY_MAX} characters`),
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    z.refine((key) => !/[\u0000-\u001f\u007f]/.test(key), 'must not contain control characters'),
  ),
  title: z.string({ error: required('must be a string') }),
  status: z.enum(JOB_STATUSES, { error: required('must be "success" or "error"') }),
  finished_at: z
    .string({ error: required('must be a string') })
    .check(
      z.refine(
        (value) => parseIsoWithZone(value) !== undefined,
        'must be an ISO 8601 time with a zone, e.g. 2024-01-25T10:00:00+00:00',
      ),
    ),
  message: z.nullish(z.string({ error: 'must be a string or null' })),
});

/** The body as senders write it. */
export type JobReportBody = z.input<typeof jobReportSchema>;

export type JobReportResult = { ok: true; report: JobReport } | ParseFailure;

/** Shortens `text` to `max` characters, keeping its start and its end around `…`. */
export function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor((max - 1) / 4);
  const tail = max - 1 - head;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/** Validates a parsed JSON body; a failure names the first failing field (`job_key`, `finished_at`, …). */
export function parseJobReport(json: unknown): JobReportResult {
  const parsed = jobReportSchema.safeParse(json);
  if (!parsed.success) return firstIssue(parsed.error);
  const body = parsed.data;
  const finishedMs = parseIsoWithZone(body.finished_at) ?? 0; // checked by the schema
  return {
    ok: true,
    report: {
      jobKey: body.job_key,
      title: clipMiddle(body.title.trim(), JOB_TITLE_MAX),
      status: body.status,
      finishedAtRaw: body.finished_at,
      finishedAt: new Date(finishedMs).toISOString(),
      message:
        body.message === undefined || body.message === null
          ? null
          : clipMiddle(body.message, JOB_MESSAGE_MAX),
    },
  };
}

/** What a job is called on screen: its title, or its key when the title is empty. */
export function jobLabel(report: Pick<JobReport, 'jobKey' | 'title'>): string {
  return report.title !== '' ? report.title : report.jobKey;
}

/**
 * The idempotency key: a client retry resends the same job_key, status and finished_at, and must be
 * processed once (DESIGN.md, "Idempotent by key").
 */
export function reportDedupKey(report: Pick<JobReport, 'jobKey' | 'status' | 'finishedAtRaw'>): string {
  return `job-report:${report.jobKey}\n${report.status}\n${report.finishedAtRaw}`;
}

// A fixed namespace for name-based report ids (a random UUID chosen once for Hikeshi).
const REPORT_ID_NAMESPACE = Buffer.from('5b0f2d6e8a4c4f0b9e1d3c7a2b6f8e01', 'hex');

/**
 * The report's id: a UUID v5 of its idempotency key, so a retried report answers the same id it got the first
 * time and its history row is written once. https://www.rfc-editor.org/rfc/rfc9562#section-5.5
 */
export function reportId(report: Pick<JobReport, 'jobKey' | 'status' | 'finishedAtRaw'>): string {
  const hash = createHash('sha1').update(REPORT_ID_NAMESPACE).update(reportDedupKey(report), 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The incident fingerprints a job's problems fold under. */
export const jobFailureKey = (jobKey: string): string => `job:${jobKey}`;
export const jobMissedKey = (jobKey: string): string => `job-missed:${jobKey}`;
