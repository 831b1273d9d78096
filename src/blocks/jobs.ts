/**
 * Block Kit for job monitoring: the `/jobs` list, `/jobs show <job_key>` (recent history), the replies of
 * `/jobs expect`, and the App Home "Latest job results" section. Pure builders (plus `jobHomeBlocks`, which
 * only fetches the list and hands it to the pure one).
 */
import { describeSchedule } from '../domain/job-schedule.js';
import type { JobOverview, StoredJobReport } from '../domain/job-records.js';
import { Commands } from './ids.js';
import { escapeMrkdwn, mrkdwnText, slackDate, truncate } from './format.js';
import { context, header, section, type KnownBlock } from './kit.js';
import type { Reply } from './usage.js';

/** Jobs listed by `/jobs` before "…and N more" (a message holds at most 50 blocks). */
export const JOBS_LIST_MAX = 40;
/** Jobs on the Home tab, worst first. */
export const JOBS_HOME_MAX = 10;
/** Runs `/jobs show` lists. */
export const JOB_HISTORY_MAX = 15;
/** Characters of a job's message shown in a list line. */
const MESSAGE_PREVIEW = 200;

export const JOBS_USAGE = [
  `*${Commands.jobs}* — scheduled jobs that report to Hikeshi`,
  '• (no argument) — every job: status, last run, last message, next expected run',
  '• `show <job_key>` — a job’s recent runs',
  '• `expect <job_key> every 1h [grace 10m]` — say how often it runs; a missed run opens an incident',
  '• `expect <job_key> cron "0 3 * * *" [tz Asia/Tokyo] [grace 30m]` — the same, on a cron schedule',
  '• `forget <job_key>` — remove its schedule (it is never late again)',
  'Jobs report with `POST /api/monitor/job-report` (docs/job-monitoring.md).',
].join('\n');

/** ✅ success, ❌ error, ⏰ late (missed run), ⚪ no report yet. */
export function jobEmoji(job: Pick<JobOverview, 'latest' | 'late'>): string {
  if (job.late) return '⏰';
  if (job.latest === undefined) return '⚪';
  return job.latest.status === 'success' ? '✅' : '❌';
}

const key = (jobKey: string) => `\`${escapeMrkdwn(jobKey).replace(/`/g, "'")}\``;

/** One job: title and key, then last run, next expected run, and the last message. */
export function jobLine(job: JobOverview): string {
  const name =
    job.title !== job.jobKey ? `*${mrkdwnText(job.title, 150)}* ${key(job.jobKey)}` : key(job.jobKey);
  const lines = [`${jobEmoji(job)} ${name}`];
  const facts: string[] = [];
  if (job.latest !== undefined) {
    facts.push(`last run ${slackDate(job.latest.finishedAt)} _${job.latest.status}_`);
  } else {
    facts.push('no report yet');
  }
  if (job.schedule !== undefined) {
    const next =
      job.nextExpectedAt !== undefined ? slackDate(new Date(job.nextExpectedAt).toISOString()) : '—';
    facts.push(
      `${job.late ? '*late* — was due' : 'next'} ${next} (${escapeMrkdwn(describeSchedule(job.schedule))})`,
    );
  }
  lines.push(facts.join(' · '));
  const message = job.latest?.message;
  if (message !== undefined && message !== null && message.trim() !== '') {
    lines.push(`> ${mrkdwnText(message.replace(/\s+/g, ' ').trim(), MESSAGE_PREVIEW)}`);
  }
  return lines.join('\n');
}

/** Late and failed jobs first, then by key. */
export function sortJobs(jobs: readonly JobOverview[]): JobOverview[] {
  const rank = (job: JobOverview) => (job.late ? 0 : job.latest?.status === 'error' ? 1 : 2);
  return [...jobs].sort((a, b) => rank(a) - rank(b) || a.jobKey.localeCompare(b.jobKey));
}

function summary(jobs: readonly JobOverview[]): string {
  const failed = jobs.filter((j) => !j.late && j.latest?.status === 'error').length;
  const late = jobs.filter((j) => j.late).length;
  const parts = [`${jobs.length} ${jobs.length === 1 ? 'job' : 'jobs'}`];
  if (failed > 0) parts.push(`${failed} failing`);
  if (late > 0) parts.push(`${late} late`);
  return parts.join(' · ');
}

/** `/jobs`. */
export function buildJobList(jobs: readonly JobOverview[], options: { limit?: number } = {}): Reply {
  if (jobs.length === 0) {
    const text = 'No jobs have reported yet. See docs/job-monitoring.md to add the snippet to a job.';
    return { text, blocks: [section(text)] };
  }
  const sorted = sortJobs(jobs);
  const shown = sorted.slice(0, options.limit ?? JOBS_LIST_MAX);
  const blocks: KnownBlock[] = [section(`*${summary(jobs)}*`)];
  for (const job of shown) blocks.push(section(jobLine(job)));
  if (sorted.length > shown.length) blocks.push(context([`…and ${sorted.length - shown.length} more`]));
  const text = shown
    .map((j) => `${jobEmoji(j)} ${escapeMrkdwn(j.jobKey)} ${j.latest?.status ?? 'no report'}`)
    .join('\n');
  return { text: truncate(text, 3000), blocks };
}

function historyLine(report: StoredJobReport): string {
  const emoji = report.status === 'success' ? '✅' : '❌';
  const message =
    report.message !== null && report.message.trim() !== ''
      ? ` — ${mrkdwnText(report.message.replace(/\s+/g, ' ').trim(), MESSAGE_PREVIEW)}`
      : '';
  return `${emoji} ${slackDate(report.finishedAt)} _${report.status}_${message}`;
}

/** `/jobs show <job_key>`: the job's line, then its recent runs, newest first. */
export function buildJobDetail(job: JobOverview, history: readonly StoredJobReport[]): Reply {
  const blocks: KnownBlock[] = [
    header(`${jobEmoji(job)} ${truncate(job.title, 140)}`),
    section(jobLine(job)),
  ];
  const runs = history.slice(0, JOB_HISTORY_MAX);
  if (runs.length === 0) blocks.push(context(['No runs in the history.']));
  else blocks.push(section(`*Recent runs*\n${runs.map(historyLine).join('\n')}`));
  const text = `${escapeMrkdwn(job.jobKey)}: ${runs.length} recent runs`;
  return { text, blocks };
}

/** The answer to `/jobs expect`. */
export function buildExpectReply(jobKey: string, job: JobOverview | undefined): Reply {
  const schedule = job?.schedule;
  const next =
    job?.nextExpectedAt !== undefined
      ? ` Next run expected ${slackDate(new Date(job.nextExpectedAt).toISOString())}.`
      : '';
  const text =
    schedule === undefined
      ? `No schedule for ${key(jobKey)}.`
      : `⏰ ${key(jobKey)} is expected ${escapeMrkdwn(describeSchedule(schedule))}.${next} A missed run opens an incident.`;
  return { text, blocks: [section(text)] };
}

/** The App Home section: the worst jobs first, one context line each. */
export function buildJobHomeBlocks(jobs: readonly JobOverview[]): KnownBlock[] {
  if (jobs.length === 0) return [context(['No jobs have reported yet. See docs/job-monitoring.md.'])];
  const sorted = sortJobs(jobs);
  const blocks: KnownBlock[] = sorted.slice(0, JOBS_HOME_MAX).map((job) => section(jobLine(job)));
  if (sorted.length > JOBS_HOME_MAX) {
    blocks.push(context([`…and ${sorted.length - JOBS_HOME_MAX} more — \`${Commands.jobs}\``]));
  }
  return blocks;
}

/** For the App Home listener: `buildAppHome({ …, jobBlocks: await jobHomeBlocks(services.jobs) })`. */
export async function jobHomeBlocks(jobs: { list(): Promise<JobOverview[]> }): Promise<KnownBlock[]> {
  return buildJobHomeBlocks(await jobs.list());
}
