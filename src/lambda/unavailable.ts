/**
 * Bundle-only stand-in for the modules a Lambda function never runs (scripts/build-lambda.ts lists which, per
 * function; each export below says why). Building the app still works — a configured Confluence still
 * constructs its "publisher", the router is built from empty route lists — but using one fails loudly, naming
 * the function. A stand-in for our own module is typed as the export it replaces, so tsc checks its shape; a
 * missing export fails the bundle build. Storm digests have theirs in unavailable-digests.ts.
 */
import type * as Analysis from '../services/analysis.js';
import type * as AppTaskQueue from '../integrations/app-task-queue.js';
import type * as Cron from '../domain/cron.js';
import type * as Listeners from '../listeners/index.js';
import type * as IngressRouter from '../ingress/router.js';
import type * as Embedded from '../store/embedded.js';
import type * as TableSetup from '../store/table-setup.js';
import type * as Jobs from '../services/jobs.js';
import type * as OncallYaml from '../config/oncall/load.js';
import type * as AppOncall from '../app-oncall.js';
import type * as PhoneInput from '../domain/phone-input.js';
import { EMPTY_ONCALL_CONFIG } from '../domain/oncall-config.js';
import type * as LocalAnalyser from '../domain/local-analyser.js';
import type * as LocalReport from '../integrations/local-report.js';
import type * as Reports from '../services/reports.js';
import type * as SnsEndpoint from '../integrations/sns-endpoint.js';
import type * as TaskPipeline from '../app-tasks.js';
import type { Route } from '../ingress/types.js';
import { fail, rejecting, unavailable } from './unavailable-calls.js';
import type { AnalysisPort } from '../services/ports/analysis.js';
import type { ReportPublisher } from '../services/ports/report-publisher.js';

// ---------------------------------------------------------------------------------------------------------
// Our own modules, cut where a function never runs them.

/** src/integrations/confluence.ts, src/integrations/local-report.ts */
function unavailablePublisher(what: string): ReportPublisher {
  return { publish: rejecting(what) };
}
export function createConfluencePublisher(): ReportPublisher {
  return unavailablePublisher('Confluence');
}
export const createLocalReportPublisher: typeof LocalReport.createLocalReportPublisher = () =>
  unavailablePublisher('The local report writer');
export const readLocalReport: typeof LocalReport.readLocalReport =
  /* @__PURE__ */ rejecting('The local report reader');

/** src/integrations/bedrock-agent.ts, src/domain/local-analyser.ts */
function unavailableAnalysis(what: string): AnalysisPort {
  return {
    // eslint-disable-next-line require-yield -- the stand-in fails before its first chunk
    async *analyze() {
      throw unavailable(what);
    },
  };
}
export function createBedrockAgentAnalysis(): AnalysisPort & { close(): void } {
  return { ...unavailableAnalysis('The Bedrock agent'), close: () => undefined };
}
export const createLocalAnalysis: typeof LocalAnalyser.createLocalAnalysis = () =>
  unavailableAnalysis('The local analyser');

/**
 * src/services/analysis.ts, src/services/reports.ts: `slack` asks for analyses and reports, `worker` runs them.
 * Without the services there are no handlers to register, and nothing in the function asks.
 */
export const createAnalysisService: typeof Analysis.createAnalysisService = () => ({
  request: rejecting('The analysis service'),
  followUp: rejecting('The analysis service'),
  requestForTask: rejecting('The analysis service'),
  handlers: {},
});
export const createReportService: typeof Reports.createReportService = () => ({
  request: rejecting('The report service'),
  handlers: {},
});

/** src/integrations/app-task-queue.ts (RabbitMQ or in-process): `tasks` receives its tasks from Amazon MQ. */
function unavailableQueue(what: string): ReturnType<typeof AppTaskQueue.createAppTaskQueue> {
  const queue = rejecting(what);
  return {
    publish: queue,
    consume: queue,
    close: () => Promise.resolve(),
    isConnected: () => false,
    ready: () => Promise.resolve(false),
    kind: () => undefined,
  };
}
export const createAppTaskQueue: typeof AppTaskQueue.createAppTaskQueue = () =>
  unavailableQueue('The task queue');

/** src/app-tasks.ts: tasks are queued by `ingress` and processed by `tasks`. */
export const buildTaskPipeline: typeof TaskPipeline.buildTaskPipeline = () => {
  const tasks = rejecting('The task pipeline');
  return {
    queue: unavailableQueue('The task pipeline'),
    service: { enqueue: tasks, process: tasks },
    consume: tasks,
  };
};

/**
 * src/store/embedded.ts: the embedded store's dynalite host. The functions use DynamoDB (STORE=dynamodb in
 * serverless.yml), and dynalite itself is never bundled.
 */
export const startEmbeddedDynamo: typeof Embedded.startEmbeddedDynamo = /* @__PURE__ */ rejecting(
  'The embedded store (dynalite; set STORE=dynamodb)',
);

/** src/store/table-setup.ts: creates local tables; on AWS, serverless.yml declares them. */
export const ensureTables: typeof TableSetup.ensureTables = /* @__PURE__ */ rejecting(
  'Local table setup (the tables come from serverless.yml)',
);

/**
 * src/services/jobs.ts, src/domain/cron.ts (with croner): job reports come to `ingress` and missed runs are found
 * by `tick`; the other functions never call the job service. Nothing subscribes to its events.
 */
export const createJobService: typeof Jobs.createJobService = () => {
  const jobs = rejecting('The job service');
  return {
    report: jobs,
    expect: jobs,
    forget: jobs,
    tick: jobs,
    list: jobs,
    get: jobs,
    history: jobs,
    subscribe: () => () => undefined,
  };
};
export const parseCron: typeof Cron.parseCron = /* @__PURE__ */ fail('Job schedules (croner)');
export const isValidTimeZone: typeof Cron.isValidTimeZone = /* @__PURE__ */ fail('Job schedules (croner)');
export const nextCronTime: typeof Cron.nextCronTime = /* @__PURE__ */ fail('Job schedules (croner)');

/** src/listeners/index.ts: the Bolt listeners, registered only by `slack` (buildApp). */
export const registerListeners: typeof Listeners.registerListeners =
  /* @__PURE__ */ fail('The Slack listeners');

/** src/ingress/router.ts: `connectFlow` is invoked by Connect directly, never over HTTP. */
export const createRouter: typeof IngressRouter.createRouter = () => rejecting('The HTTP router');
export const MAX_BODY_BYTES = 0;

/**
 * The HTTP routes (src/ingress/routes/*.ts) and the SNS endpoint client only they use: API Gateway sends
 * `/slack/events` to `slack` and every other path to `ingress`, so the other functions build their router
 * from empty route lists and never call it.
 */
const noRoutes = (): Route[] => [];
export const healthRoutes = noRoutes;
export const reportRoutes = noRoutes;
export const alertRoutes = noRoutes;
export const jobRoutes = noRoutes;
export const connectRoutes = noRoutes;
export const webhookRoutes = noRoutes;
export const metricsRoutes = noRoutes;
export const oncallRoutes = noRoutes;
export const silenceRoutes = noRoutes;
export const createSnsEndpointClient: typeof SnsEndpoint.createSnsEndpointClient = () => ({
  trust: {},
  certificate: rejecting('The SNS endpoint client'),
  confirmSubscription: rejecting('The SNS endpoint client'),
});

/**
 * src/config/oncall/load.ts, the YAML reader of ONCALL_CONFIG (with the `yaml` package, about 115 KB): every
 * function reads the `oncall.json` its package carries (scripts/build-lambda.ts validated the YAML file and
 * converted it at package time), through the JSON reader.
 */
export const loadOncallConfig: typeof OncallYaml.loadOncallConfig = /* @__PURE__ */ rejecting(
  'The YAML reader of ONCALL_CONFIG (the package carries oncall.json)',
);

/**
 * src/app-oncall.ts: on-call schedules (issue 18), with the schedule math (temporal-polyfill, 54 KB) and the
 * ONCALL_CONFIG schema. `slack` (/oncall, App Home, swaps), `ingress` (GET /api/oncall, the iCal feeds) and `tick`
 * (handoffs) run them; in the other functions no schedule is configured and nothing asks. A function that starts
 * to need them (the escalation of issue 19 resolving schedule targets) takes `ONCALL` off its list.
 */
export const loadOncallConfigFor: typeof AppOncall.loadOncallConfigFor = () =>
  Promise.resolve({
    file: undefined,
    current: () => EMPTY_ONCALL_CONFIG,
    reload: rejecting('On-call schedules'),
    refresh: rejecting('On-call schedules'),
  });
export const buildOncall: typeof AppOncall.buildOncall = (_config, deps) => {
  const schedules = rejecting('On-call schedules');
  return {
    oncallConfig: deps.oncallConfig,
    schedules: {
      schedules: () => [],
      schedule: () => undefined,
      choose: () => ({ ok: false, reason: 'On-call schedules are not bundled in this function.' }),
      whoIsOnCall: schedules,
      views: () => Promise.resolve([]),
      view: schedules,
      shiftsOf: () => Promise.resolve([]),
      shifts: schedules,
      overrides: schedules,
      addOverride: schedules,
    },
    swaps: { ask: schedules, answer: schedules },
    handoffs: { tick: () => Promise.resolve(0) },
    feeds: { enabled: false, url: () => undefined, verify: () => false },
    routes: noRoutes,
  };
};

// ---------------------------------------------------------------------------------------------------------
// Packages.

/** @gitbeaker/rest, @octokit/core: the "task received" comments are written by the `tasks` consumer. */
export class Gitlab {
  readonly IssueNotes = { create: fail('@gitbeaker/rest') };
  readonly MergeRequestNotes = { create: fail('@gitbeaker/rest') };
}
export class Octokit {
  readonly request = fail('@octokit/core');
}

/** An AWS SDK client whose `send` fails; `destroy` is harmless (shutdown). */
function unavailableClient(what: string) {
  return class {
    send(): Promise<never> {
      return Promise.reject(unavailable(what));
    }
    destroy(): void {
      // nothing to release
    }
  };
}
class UnavailableCommand {
  constructor(readonly input: unknown) {}
}

/** @aws-sdk/client-lambda: only slack and ingress hand jobs to the worker (tick runs its own). */
export const LambdaClient = /* @__PURE__ */ unavailableClient('@aws-sdk/client-lambda');
export class InvokeCommand extends UnavailableCommand {}

/** @aws-sdk/client-connect: only tick, connectFlow and ingress (the HTTP contact-flow callback) place calls. */
export const ConnectClient = /* @__PURE__ */ unavailableClient('@aws-sdk/client-connect');
export class StartOutboundVoiceContactCommand extends UnavailableCommand {}

/**
 * amqplib: only `ingress` publishes tasks (`tasks` receives them from the Amazon MQ event source); `connect` is
 * first called then.
 */
export const connect = /* @__PURE__ */ fail('amqplib');

/**
 * @atlassian/atlassian-jwt (with lodash and jsuri, about 85 KB): confluence.js's JWT authentication, for Atlassian
 * Connect apps. src/integrations/confluence.ts always authenticates with an email and an API token (basic).
 */
export const fromMethodAndUrl = /* @__PURE__ */ fail('@atlassian/atlassian-jwt');
export const createQueryStringHash = /* @__PURE__ */ fail('@atlassian/atlassian-jwt');
export const encodeSymmetric = /* @__PURE__ */ fail('@atlassian/atlassian-jwt');

/** @slack/socket-mode: Bolt constructs its client only for a Socket Mode app. */
export const SocketModeClient = function SocketModeClient(): never {
  throw unavailable('@slack/socket-mode');
};

/** express (`Router()`): Bolt's HTTP receiver, which AwsLambdaReceiver replaces. */
export const Router = /* @__PURE__ */ fail('express');

/**
 * The default export of:
 *   - express and raw-body (`express()`, `getRawBody()`): Bolt's HTTP receiver, which AwsLambdaReceiver replaces;
 *   - form-data (`new FormData()`, with mime-types and its 130 KB mime-db): multipart bodies, which axios builds
 *     only for a FormData or a multipart/form-data request and confluence.js only for attachments. The worker
 *     sends Confluence JSON.
 * A plain function, so calling it and constructing it both fail.
 */
export default function unavailableDefaultExport(): never {
  throw unavailable('express / raw-body / form-data');
}

/** src/domain/phone-input.ts: only `slack` reads phone numbers people type (/oncall phone, /oncall add). */
export const normalizePhone: typeof PhoneInput.normalizePhone = /* @__PURE__ */ fail(
  'Reading typed phone numbers',
);
export const phoneRegion: typeof PhoneInput.phoneRegion = /* @__PURE__ */ fail('Reading phone regions');
