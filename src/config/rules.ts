/**
 * The rules between settings (config/load.ts applies them after each value is parsed): settings that only work
 * together, and what a production process must have.
 *
 * Local mode (NODE_ENV is not `production` and the process is not on AWS Lambda) is the only mode with local
 * conveniences: the Slack emulator when no Slack token is set, the development credentials of the ingress, an
 * open /metrics. Anywhere else a missing Slack credential, or the secret of a route another setting asks for, is
 * a configuration error, so a production process never falls into local mode (README, "Local mode and
 * production"). Blank values count as unset (config/load.ts), so an empty template substitution opens nothing.
 */
import type { VariableName } from './variables.js';

export interface Problem {
  variable: string;
  reason: string;
}

export type RawSettings = Partial<Record<VariableName, string>>;

/** Settings that only work together: naming the missing one beats an integration silently switched off. */
const ALL_OR_NONE: readonly (readonly VariableName[])[] = [
  ['CONNECT_INSTANCE_REGION', 'CONNECT_INSTANCE_ID', 'CONNECT_CONTACT_FLOW_ID', 'CONNECT_SOURCE_PHONE'],
  ['WIKI_URL', 'WIKI_USER', 'WIKI_API_KEY'],
  ['BEDROCK_AGENT_ID', 'BEDROCK_AGENT_ALIAS_ID'],
  ['CHATWORK_API_TOKEN', 'CHATWORK_ROOM_ID'],
];

/** Why production rules apply, for the reasons below. */
const PRODUCTION = 'in production (NODE_ENV=production or on AWS Lambda)';

/** True unless NODE_ENV is production or the process runs on AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set). */
export function isLocalMode(raw: RawSettings): boolean {
  return raw.NODE_ENV !== 'production' && raw.AWS_LAMBDA_FUNCTION_NAME === undefined;
}

export function crossFieldProblems(raw: RawSettings): Problem[] {
  const has = (name: VariableName): boolean => raw[name] !== undefined;
  const problems: Problem[] = [];
  if (has('SLACK_APP_TOKEN') && !has('SLACK_BOT_TOKEN')) {
    problems.push({
      variable: 'SLACK_BOT_TOKEN',
      reason: 'required when SLACK_APP_TOKEN is set (Socket Mode)',
    });
  }
  if (has('SLACK_BOT_TOKEN') && !has('SLACK_APP_TOKEN') && !has('SLACK_SIGNING_SECRET')) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      reason: 'required when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (HTTP mode)',
    });
  }
  for (const group of ALL_OR_NONE) {
    const present = group.filter(has);
    if (present.length === 0 || present.length === group.length) continue;
    const reason = `required when ${present.join(' and ')} ${present.length > 1 ? 'are' : 'is'} set`;
    for (const name of group.filter((n) => !has(n))) problems.push({ variable: name, reason });
  }
  const workers = Number(raw.WEB_CONCURRENCY ?? '1');
  if (isLocalMode(raw) && !has('SLACK_BOT_TOKEN') && workers > 1) {
    problems.push({
      variable: 'WEB_CONCURRENCY',
      reason: 'the local Slack emulator runs in one process: leave it unset (1), or set the Slack tokens',
    });
  }
  if (!isLocalMode(raw)) problems.push(...productionProblems(raw, problems));
  return problems;
}

/**
 * What a production process must have: Slack credentials (there is no emulator to fall back to), and the secret
 * of every route another setting says is wanted. A route nothing asks for stays off until its secret is set,
 * answering 401 "<VARIABLE> is not configured". `found` is what the rules above already reported.
 */
function productionProblems(raw: RawSettings, found: readonly Problem[]): Problem[] {
  const has = (name: VariableName): boolean => raw[name] !== undefined;
  const onLambda = has('AWS_LAMBDA_FUNCTION_NAME');
  const problems: Problem[] = [];
  const need = (variable: VariableName, reason: string): void => {
    if (has(variable) || [...found, ...problems].some((p) => p.variable === variable)) return;
    problems.push({ variable, reason });
  };

  need('SLACK_BOT_TOKEN', `required ${PRODUCTION}: the local Slack emulator exists only in local mode`);
  if (onLambda) {
    // Slack reaches the `slack` function over HTTP; Socket Mode needs a process that stays up.
    need('SLACK_SIGNING_SECRET', 'required on AWS Lambda: Slack reaches the slack function over HTTP');
  } else if (!has('SLACK_APP_TOKEN')) {
    need('SLACK_SIGNING_SECRET', `required ${PRODUCTION} unless SLACK_APP_TOKEN is set (Socket Mode)`);
  }

  // Routes another setting asks for. The Git tokens only comment on tasks, which come in through the webhooks.
  if (has('GITHUB_TOKEN')) {
    need('GITHUB_WEBHOOK_SECRET', `required ${PRODUCTION} when GITHUB_TOKEN is set (POST /webhook/github)`);
  }
  if (has('GITLAB_TOKEN') && !has('GITLAB_SYSTEM_HOOK_TOKEN')) {
    need(
      'GITLAB_WEBHOOK_TOKEN',
      `required ${PRODUCTION} when GITLAB_TOKEN is set (POST /webhook/gitlab), unless GITLAB_SYSTEM_HOOK_TOKEN is`,
    );
  }
  // Off Lambda, Amazon Connect reaches a server only through the HTTP callback; on Lambda the contact flow
  // invokes the connectFlow function directly, which needs no token.
  if (has('CONNECT_INSTANCE_ID') && !onLambda) {
    need(
      'CONNECT_CALLBACK_TOKEN',
      `required ${PRODUCTION} off AWS Lambda when CONNECT_INSTANCE_ID is set: the contact flow reports key presses to POST /api/connect/contact-flow`,
    );
  }
  return problems;
}
