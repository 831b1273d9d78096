/**
 * What the composition root (app.ts) builds and takes: the app's parts, and the overrides tests, `npm start`
 * and the Lambda handlers pass in.
 */
import type { App as BoltApp } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { TaskPipeline, TaskQueueTuning } from './app-tasks.js';
import type { Config } from './config/index.js';
import type { Clock } from './domain/clock.js';
import type { IngressHandler } from './ingress/router.js';
import type { IntegrationOptions } from './integrations/index.js';
import type { LocalPhone } from './integrations/local-phone.js';
import type { MetricsRegistry } from './integrations/prometheus-metrics.js';
import type { BoltBundle } from './integrations/slack-bolt.js';
import type { SlackRetryConfig } from './integrations/slack-web-client.js';
import type { SnsEndpointOptions } from './integrations/sns-endpoint.js';
import type { Logger } from './logger.js';
import type { Services } from './services/index.js';
import type { IncidentPublisher } from './services/ports/incident-publisher.js';
import type { Scheduler } from './services/scheduler.js';
import type { Store, WireRequest, WireResponse } from './store/index.js';

export interface SlackConnection {
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
}

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  store?: Store;
  /** Where Slack is: the emulator in local runs and tests, otherwise taken from the config. */
  slack?: SlackConnection;
  /** On Lambda the Slack function uses AwsLambdaReceiver. */
  runtime?: 'server' | 'lambda';
  /** Web API retries (tests: none, or the production shape with short backoffs). */
  slackRetryConfig?: SlackRetryConfig;
  /** Bedrock timeout and retries (tests shorten them). */
  integrations?: IntegrationOptions;
  /** Slack pacing (defaults: one edit per second per message, one post per second per channel); tests shorten it. */
  slackPacing?: {
    minUpdateIntervalMs?: number;
    channelPostIntervalMs?: number;
    updatesPerMinute?: number;
    digestUpdateIntervalMs?: number;
  };
  /** Tests only: the fetch and host rule the SNS endpoint uses to reach a local fake instead of AWS. */
  sns?: Pick<SnsEndpointOptions, 'fetch' | 'trust'>;
  /** `npm start` only: with QUEUE unset, use an in-process task queue when RabbitMQ is unreachable. */
  taskQueueFallback?: boolean;
  /** Task queue retry / reconnect delays (tests shorten them). */
  taskQueue?: TaskQueueTuning;
  /**
   * A cluster's HTTP worker (src/cluster-worker.ts) and its primary: what differs from one process doing it all.
   * A worker shows incidents through the primary's publisher, runs no background work (`start` starts nothing),
   * serves `/metrics` for the whole cluster, and tells the others when it reloads ONCALL_CONFIG.
   */
  cluster?: {
    publisher?: IncidentPublisher;
    background?: boolean;
    renderMetrics?: () => Promise<string>;
    announceReload?: () => void;
    /** The embedded store is the primary's: each store request goes to it (StoreOptions.remote). */
    storeExchange?: (request: WireRequest) => Promise<WireResponse>;
  };
}

/** Everything but Bolt (`buildCore`): what the Lambda functions other than `slack` run on. */
export interface HikeshiCore {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  services: Services;
  /** The in-memory phone `npm start` calls when Connect is not configured (the emulator's phone panel). */
  localPhone?: LocalPhone;
  /** The Web API client the services post through. */
  slackClient: WebClient;
  /** This process's figures, served at `GET /metrics` (issue 11). */
  metrics: MetricsRegistry;
  ingress: IngressHandler;
  /** Timed work (missed job runs, …); started by `start`. On Lambda the tick handler calls `runOnce`. */
  scheduler: Scheduler;
  /** Webhook tasks (issue 5): the queue, the service, and `consume()` (started by `start` on a server). */
  tasks: TaskPipeline;
  /**
   * Resolves once the work this process started has finished or been handed off: deferred jobs (run, or
   * invoked on the worker), phone-escalation steps, Slack posts and coalesced edits, Chatwork notices. Every
   * Lambda handler awaits it before returning, because timers and background promises die with the invocation.
   */
  settle(): Promise<void>;
  /** Starts the scheduler and the in-process task consumer (not on Lambda). */
  start(): Promise<void>;
  /**
   * Stops taking work, writes every accepted signal to the store, then drains. With a `deadline` (epoch ms, from
   * SHUTDOWN_GRACE_SECONDS) the drains end by then: the Slack posts and edits left are logged (`left`) and
   * finished by the next start's resync. Without one, everything is drained (tests).
   */
  stop(options?: { deadline?: number }): Promise<void>;
}

/** The core plus the Bolt app (`buildApp`). */
export interface HikeshiApp extends HikeshiCore {
  bolt: BoltApp;
  slack: BoltBundle;
  /** Also connects Socket Mode when that is the receiver; the HTTP server is started by the caller. */
  start(): Promise<void>;
}
