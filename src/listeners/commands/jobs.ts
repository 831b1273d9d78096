/**
 * `/jobs …`: scheduled jobs that report to Hikeshi. Thin: parses the words, asks the job service, answers
 * ephemerally with the builders in blocks/jobs.ts. Reads are answered in the ack; changes run after it.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildExpectReply, buildJobDetail, buildJobList, JOBS_USAGE } from '../../blocks/jobs.js';
import { escapeMrkdwn } from '../../blocks/format.js';
import { usageReply } from '../../blocks/usage.js';
import { parseExpectCommand, tokenize } from '../../domain/job-schedule.js';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';

export function createJobsCommand(deps: ListenerDeps) {
  const { jobs } = deps.services;
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const text = command.text.trim();
    const [sub = '', ...rest] = tokenize(text);
    const argText = text.slice(text.indexOf(sub) + sub.length).trim();
    const reply = (message: string) => respond({ response_type: 'ephemeral', text: message });
    const problem = (message: string) =>
      ack({ response_type: 'ephemeral', ...usageReply(JOBS_USAGE, message) });

    switch (sub.toLowerCase()) {
      case '':
      case 'list':
        await ack({ response_type: 'ephemeral', ...buildJobList(await jobs.list()) });
        return;
      case 'help':
        await ack({ response_type: 'ephemeral', ...usageReply(JOBS_USAGE) });
        return;
      case 'show': {
        const [jobKey] = rest;
        if (jobKey === undefined)
          return void (await problem('Which job? e.g. `/jobs show daily-price-sync`'));
        const job = await jobs.get(jobKey);
        if (job === undefined)
          return void (await problem(`No job \`${jobKey}\` has reported or been scheduled.`));
        await ack({ response_type: 'ephemeral', ...buildJobDetail(job, await jobs.history(jobKey)) });
        return;
      }
      case 'expect': {
        const parsed = parseExpectCommand(argText);
        if (!parsed.ok) return void (await problem(parsed.reason));
        await ack();
        await guard(deps, '/jobs expect', reply, async () => {
          await jobs.expect(parsed.jobKey, parsed.schedule, command.user_id);
          deps.logger.info({ by: command.user_id, jobKey: parsed.jobKey }, 'job schedule set from Slack');
          await respond({
            response_type: 'ephemeral',
            ...buildExpectReply(parsed.jobKey, await jobs.get(parsed.jobKey)),
          });
        });
        return;
      }
      case 'forget': {
        const [jobKey] = rest;
        if (jobKey === undefined)
          return void (await problem('Which job? e.g. `/jobs forget daily-price-sync`'));
        await ack();
        await guard(deps, '/jobs forget', reply, async () => {
          const removed = await jobs.forget(jobKey);
          const name = `\`${escapeMrkdwn(jobKey)}\``;
          await reply(removed ? `${name} no longer has a schedule.` : `${name} had no schedule.`);
        });
        return;
      }
      default:
        await problem(`Unknown subcommand \`${sub}\`.`);
    }
  };
}
