// @ts-check
/**
 * A Serverless Framework plugin (serverless.yml `plugins`): before `osls package` (`npm run package`) or
 * `osls deploy` builds the stack, it refuses stage parameters that would give the stack malformed ARNs, naming
 * each one. Such a stack deploys, and then fails where nobody is looking: an IAM statement on
 * `instance//contact/*` allows nothing, a function whose Connect ids are half set fails its configuration on
 * every invocation, an event source on the placeholder broker never delivers a task.
 *
 * `--stage local` skips the check: a dry run that only looks at the template.
 *
 * Plain JavaScript (with types in serverless-deploy-params.d.mts) because osls loads plugins itself, without a
 * TypeScript loader, and `npx osls deploy` must find it as it is.
 */

/** The account of serverless.yml's placeholder ARNs (`mqBrokerArn`, `mqSecretArn`). */
export const PLACEHOLDER_ACCOUNT = '000000000000';

/** The stage that packages without the check. */
export const DRY_RUN_STAGE = 'local';

const CONNECT_IDS = ['connectInstanceId', 'connectContactFlowId', 'connectSourcePhone'];
const BEDROCK_IDS = ['bedrockAgentId', 'bedrockAgentAliasId'];
/** An id that goes into an ARN: no ARN or path of its own. */
const ID = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const MQ_BROKER_ARN = /^arn:aws[a-z-]*:mq:[a-z0-9-]+:(\d{12}):broker:[^:/\s]+:b-[0-9a-z-]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:(\d{12}):secret:[^\s]+$/;
/** A log group name as CloudWatch Logs allows it. */
const LOG_GROUP = /^[A-Za-z0-9_\-/.#]{1,512}$/;

/**
 * @typedef {{ param: string, reason: string }} ParameterProblem
 */

/**
 * What is wrong with the resolved stage parameters, one entry per parameter; empty when they make a sound stack.
 * @param {Readonly<Record<string, unknown>>} params
 * @returns {ParameterProblem[]}
 */
export function deployParameterProblems(params) {
  /** @type {(name: string) => string} */
  const value = (name) =>
    params[name] === undefined || params[name] === null ? '' : String(params[name]).trim();
  /** @type {ParameterProblem[]} */
  const problems = [];
  /** @type {(param: string, reason: string) => void} */
  const problem = (param, reason) => {
    if (!problems.some((p) => p.param === param)) problems.push({ param, reason });
  };

  const secretsId = value('secretsId');
  if (secretsId === '') problem('secretsId', 'empty: every function reads its secrets from this secret');
  else if (secretsId.startsWith('arn:')) {
    problem(
      'secretsId',
      'expected the secret name, not its ARN (the IAM policy builds the ARN from the name)',
    );
  }

  // Phone escalation: none of the ids, or all of them, with a region.
  const connectSet = CONNECT_IDS.filter((name) => value(name) !== '');
  if (connectSet.length > 0) {
    const why = `${connectSet.join(' and ')} ${connectSet.length > 1 ? 'are' : 'is'} set`;
    for (const name of [...CONNECT_IDS, 'connectInstanceRegion']) {
      if (value(name) === '') problem(name, `empty while ${why}: phone escalation needs all of them`);
    }
    for (const name of ['connectInstanceId', 'connectContactFlowId']) {
      if (value(name) !== '' && !ID.test(value(name))) {
        problem(name, `expected the id alone (the last part of its ARN), got "${value(name)}"`);
      }
    }
    const region = value('connectInstanceRegion');
    if (region !== '' && !REGION.test(region)) problem('connectInstanceRegion', `not a region: "${region}"`);
    const phone = value('connectSourcePhone');
    if (phone !== '' && !E164.test(phone)) {
      problem('connectSourcePhone', `expected an E.164 number such as +815012345678, got "${phone}"`);
    }
  }

  // The Bedrock agent: both ids or neither.
  const bedrockSet = BEDROCK_IDS.filter((name) => value(name) !== '');
  if (bedrockSet.length === 1) {
    const missing = BEDROCK_IDS.find((name) => value(name) === '') ?? '';
    problem(
      missing,
      `empty while ${bedrockSet[0]} is set: the worker may invoke only agent-alias/<agent>/<alias>`,
    );
  }
  for (const name of bedrockSet) {
    if (!ID.test(value(name))) problem(name, `expected the id alone, got "${value(name)}"`);
  }

  // Lambda error logs in: the log group of the example subscription filter, by name.
  const logGroup = value('logGroupToWatch');
  if (logGroup !== '' && !LOG_GROUP.test(logGroup)) {
    problem(
      'logGroupToWatch',
      `expected a log group name such as /aws/lambda/orders-api (not its ARN), got "${logGroup}"`,
    );
  }

  // The Amazon MQ broker of the tasks function, and its login secret.
  for (const [name, pattern, what, yours] of /** @type {const} */ ([
    [
      'mqBrokerArn',
      MQ_BROKER_ARN,
      'arn:aws:mq:<region>:<account>:broker:<name>:b-<id>',
      'the ARN of your Amazon MQ for RabbitMQ broker',
    ],
    [
      'mqSecretArn',
      SECRET_ARN,
      'arn:aws:secretsmanager:<region>:<account>:secret:<name>',
      'the ARN of the secret holding the broker user',
    ],
  ])) {
    const arn = value(name);
    const account = pattern.exec(arn)?.[1];
    if (account === undefined) problem(name, `expected ${what}, got "${arn}"`);
    else if (account === PLACEHOLDER_ACCOUNT)
      problem(name, `still serverless.yml's placeholder: set ${yours}`);
  }
  return problems;
}

/**
 * The stage parameters as osls resolves them: `--param` on the command line, then `params.<stage>`, then
 * `params.default` (already variable-resolved in `configurationInput`).
 * @param {{ default?: Record<string, unknown>, [stage: string]: Record<string, unknown> | undefined }} configured
 * @param {string} stage
 * @param {readonly string[]} cliParams `name=value` strings
 * @returns {Record<string, unknown>}
 */
export function resolveStageParams(configured, stage, cliParams) {
  /** @type {Record<string, unknown>} */
  const params = { ...configured.default, ...configured[stage] };
  for (const item of cliParams) {
    const match = /^([^=]+)=(.+)$/s.exec(item);
    if (match?.[1] !== undefined) params[match[1]] = match[2]?.trimEnd();
  }
  return params;
}

/** @param {string} stage @param {ParameterProblem[]} problems */
export function formatProblems(stage, problems) {
  return [
    `Deploy parameters of stage "${stage}" that would make a broken stack (malformed ARNs, or functions that fail at their first invocation):`,
    ...problems.map((p) => `  - ${p.param}: ${p.reason}`),
    `Set them with --param "name=value" (or under params.${stage} in serverless.yml); --stage ${DRY_RUN_STAGE} packages without this check.`,
  ].join('\n');
}

export default class DeployParameterCheck {
  /**
   * @param {{
   *   getProvider(name: 'aws'): { getStage(): string },
   *   configurationInput?: { params?: Record<string, Record<string, unknown>> },
   *   classes: { Error: new (message: string) => Error },
   * }} serverless osls's Serverless instance (the parts used here)
   * @param {{ stage?: string, param?: string[] | string }} options the command line options
   */
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = { 'before:package:initialize': () => this.check() };
  }

  check() {
    const stage = String(this.serverless.getProvider('aws').getStage());
    if (stage === DRY_RUN_STAGE) return;
    const cli = this.options.param === undefined ? [] : [this.options.param].flat();
    const params = resolveStageParams(this.serverless.configurationInput?.params ?? {}, stage, cli);
    const problems = deployParameterProblems(params);
    if (problems.length > 0) throw new this.serverless.classes.Error(formatProblems(stage, problems));
  }
}
