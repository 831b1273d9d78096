/**
 * The Lambda functions of serverless.yml as scripts/build-lambda.ts bundles them: whether each may contain Bolt,
 * and the parts of the app and the libraries it never runs (`without`), each replaced in its bundle by
 * src/lambda/unavailable.ts (or a stand-in of its own beside it), which says why. src/app.ts stays the one
 * composition root: it wires everything, and the bundles swap out what a function never runs.
 */
// What a function can go without (`without` below), each replaced by src/lambda/unavailable.ts (or by a stand-in of
// its own beside it, such as unavailable-digests.ts), which says why.
// Adapters to outside systems:
const CONFLUENCE = 'src/integrations/confluence.ts';
const BEDROCK = 'src/integrations/bedrock-agent.ts';
const GIT_COMMENTERS = ['@gitbeaker/rest', '@octokit/core'];
const AMQP = 'amqplib';
const LAMBDA_CLIENT = '@aws-sdk/client-lambda';
const CONNECT_CLIENT = '@aws-sdk/client-connect';

// Parts of the app that only some functions run (the composition in src/app.ts wires them all):
/**
 * The HTTP routes, with the alert parsers, webhook checks and SNS client only they use (≈ 25 KB): API Gateway
 * sends `/slack/events` to `slack` and everything else to `ingress`.
 */
const ROUTES = [
  ...['health', 'reports', 'alerts', 'jobs', 'connect', 'webhooks', 'metrics', 'oncall', 'silences'].map(
    (route) => `src/ingress/routes/${route}.ts`,
  ),
  'src/integrations/sns-endpoint.ts',
];
/** The GitHub/GitLab task pipeline (queue, ledger, task messages): `ingress` queues tasks, `tasks` posts them. */
const TASK_PIPELINE = 'src/app-tasks.ts';
/** The task queue (RabbitMQ or in-process): `tasks` receives its tasks from the Amazon MQ event source. */
const TASK_QUEUE = 'src/integrations/app-task-queue.ts';
/**
 * Analyses and reports: `slack` asks for them (its listeners are their only callers) and `worker` runs them
 * (the deferred jobs), with the local analyser behind them.
 */
const INCIDENT_WORK = ['src/services/analysis.ts', 'src/services/reports.ts', 'src/domain/local-analyser.ts'];
/**
 * Storm digests: made where incidents open from signals (`ingress`, `logs`, `tick`'s missed job runs; `slack`
 * opens only by hand, never digested, but keeps them for its resync), and listed by `slack`'s buttons only.
 */
const DIGEST_MAKING = [
  'src/services/incident-digests.ts',
  'src/integrations/slack-digest-publisher.ts',
  'src/store/digests-repository.ts',
];
const DIGEST_LIST = 'src/services/digest-list.ts';
/**
 * The Bolt listeners: only `slack` registers them (buildApp); without this, the modules they import that run code
 * at load (usage texts, payload schemas) stayed in every function though nothing reached them (≈ 2 KB).
 */
const LISTENERS = 'src/listeners/index.ts';
/** The HTTP router: `connectFlow` is invoked by Amazon Connect with the contact-flow event, never over HTTP. */
const ROUTER = 'src/ingress/router.ts';
/** The local HTML reports: written by `worker`, served by `ingress`. */
const LOCAL_REPORTS = 'src/integrations/local-report.ts';
/** Job monitoring, with croner (33 KB) for the schedules: jobs report to `ingress`, `tick` finds missed runs. */
const JOBS = ['src/services/jobs.ts', 'src/domain/cron.ts'];
/**
 * The embedded store's dynalite host, and the local table setup: every function uses DynamoDB (STORE=dynamodb),
 * whose tables serverless.yml declares, and dynalite is external.
 */
/**
 * The YAML reader of ONCALL_CONFIG, with the `yaml` package (about 115 KB): the file is validated and converted to
 * JSON here, at package time, and every zip carries it as `oncall.json` (ONCALL_CONFIG in serverless.yml), which
 * the functions read with the JSON reader. An invalid file fails the package instead of every cold start.
 */
const ONCALL_YAML = 'src/config/oncall/load.ts';
/**
 * On-call schedules (issue 18), with the schedule math (temporal-polyfill, 54 KB) and the ONCALL_CONFIG schema:
 * run by `slack` (/oncall, App Home, swaps), `ingress` (GET /api/oncall, iCal feeds) and `tick` (handoffs).
 */
const ONCALL = 'src/app-oncall.ts';
/**
 * Phone numbers as people type them (issue 19: `/oncall phone`, `/oncall add`), with libphonenumber-js and its
 * metadata (≈ 118 KB): only `slack` reads typed numbers.
 */
const PHONE_INPUT = 'src/domain/phone-input.ts';
export const NO_FUNCTION_RUNS = ['src/store/embedded.ts', 'src/store/table-setup.ts', ONCALL_YAML];

// Parts of libraries that we never use:
/** Bolt's Socket Mode and HTTP receivers; AwsLambdaReceiver needs neither (about 1 MB together). */
export const BOLT_SERVER_RECEIVERS = ['@slack/socket-mode', 'express', 'raw-body'];
/** The AWS SDK's event-stream codec (15 KB): only the Bedrock agent's InvokeAgent streams. */
const EVENT_STREAMS = '@smithy/core/event-streams';
/**
 * What confluence.js can do but we never ask: multipart bodies (form-data with mime-db, 140 KB: attachments),
 * and JWT authentication for Connect apps (@atlassian/atlassian-jwt with lodash, 85 KB).
 */
const CONFLUENCE_UNUSED = ['form-data', '@atlassian/atlassian-jwt'];

/**
 * The functions of serverless.yml: whether each may contain Bolt, and the modules it never runs, replaced by
 * src/lambda/unavailable.ts. The deferred jobs (analysis, reports) run only in the worker, because slack and
 * ingress hand them over (WORKER_FUNCTION_NAME), tick runs only the notices it starts itself, and connectFlow
 * and tasks start none. Each
 * function's handler (src/lambda.ts) says what it runs; the bundle tests run every handler on the result.
 */
export const LAMBDA_FUNCTIONS = {
  // Issue 19: libphonenumber-js (national phone formats, 118 KB) is only here.
  slack: {
    bolt: true,
    without: [
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      AMQP,
      CONNECT_CLIENT,
      ...BOLT_SERVER_RECEIVERS,
      EVENT_STREAMS,
      ...ROUTES,
      TASK_PIPELINE,
    ],
  },
  ingress: {
    bolt: false,
    without: [
      PHONE_INPUT,
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      EVENT_STREAMS,
      ...INCIDENT_WORK,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
  // confluence.js brings axios and a second zod (≈ 190 KB); the worker is off the ack path.
  worker: {
    bolt: false,
    without: [
      PHONE_INPUT,
      ONCALL,
      ...GIT_COMMENTERS,
      AMQP,
      LAMBDA_CLIENT,
      CONNECT_CLIENT,
      ...CONFLUENCE_UNUSED,
      ...ROUTES,
      TASK_PIPELINE,
      ...JOBS,
      ...DIGEST_MAKING,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
  // Nobody waits for a tick: it runs the slow work it starts itself, without the Lambda client.
  tick: {
    bolt: false,
    without: [
      PHONE_INPUT,
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      AMQP,
      LAMBDA_CLIENT,
      EVENT_STREAMS,
      ...ROUTES,
      TASK_PIPELINE,
      ...INCIDENT_WORK,
      LOCAL_REPORTS,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
  // @gitbeaker/rest is ≈ 180 KB for the one "task received" note it writes.
  tasks: {
    bolt: false,
    without: [
      PHONE_INPUT,
      ONCALL,
      CONFLUENCE,
      BEDROCK,
      TASK_QUEUE,
      LAMBDA_CLIENT,
      CONNECT_CLIENT,
      EVENT_STREAMS,
      ...ROUTES,
      ...INCIDENT_WORK,
      LOCAL_REPORTS,
      ...JOBS,
      ...DIGEST_MAKING,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
  connectFlow: {
    bolt: false,
    without: [
      PHONE_INPUT,
      ONCALL,
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      AMQP,
      LAMBDA_CLIENT,
      EVENT_STREAMS,
      ...ROUTES,
      TASK_PIPELINE,
      ...INCIDENT_WORK,
      LOCAL_REPORTS,
      ...JOBS,
      ...DIGEST_MAKING,
      DIGEST_LIST,
      LISTENERS,
      ROUTER,
    ],
  },
  // CloudWatch Logs subscription deliveries: alerts in, like `ingress` without the routes; the Lambda client
  // stays for the notices it hands to the worker.
  logs: {
    bolt: false,
    without: [
      PHONE_INPUT,
      ONCALL,
      CONFLUENCE,
      BEDROCK,
      ...GIT_COMMENTERS,
      AMQP,
      CONNECT_CLIENT,
      EVENT_STREAMS,
      ...ROUTES,
      TASK_PIPELINE,
      ...INCIDENT_WORK,
      LOCAL_REPORTS,
      ...JOBS,
      DIGEST_LIST,
      LISTENERS,
    ],
  },
} as const satisfies Record<string, { bolt: boolean; without: readonly string[] }>;
export type LambdaFunction = keyof typeof LAMBDA_FUNCTIONS;
export const LAMBDA_FUNCTION_NAMES = Object.keys(LAMBDA_FUNCTIONS) as LambdaFunction[];
