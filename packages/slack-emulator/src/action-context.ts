/**
 * What every action needs: delivery over the emulator's current transport (Socket Mode, or signed HTTP to the
 * app's endpoint), the people and channels it names, the response_urls it hands out, and how an ack's effect is
 * applied. The actions themselves (actions.ts, actions-interactive.ts, actions-views.ts) are built on this.
 */
import type { EmulatorLogger as Logger } from './logger.js';
import { SlackApiError } from './api-error.js';
import { deliverOverHttp } from './http-transport.js';
import type { EnvelopeType, SocketModeServer } from './socket-mode.js';
import type { SlackChannel, SlackUser } from './types.js';
import type { Workspace } from './workspace.js';
import type { ActionResult, DeliveryOptions, TransportConfig } from './action-types.js';

export interface ActionsDeps {
  workspace: Workspace;
  socket: SocketModeServer;
  /** The emulator's base URL (with its base path), for the response_urls it hands out. */
  baseUrl(): string;
  transport(): TransportConfig;
  logger?: Logger | undefined;
}

export class ActionContext {
  constructor(private readonly deps: ActionsDeps) {}

  get workspace(): Workspace {
    return this.deps.workspace;
  }

  /** Delivers any payload over the current transport. */
  async send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliveryOptions = {},
  ): Promise<ActionResult> {
    const transport = this.deps.transport();
    if (transport.kind === 'socket') {
      const ack = await this.deps.socket.deliver(type, payload, options);
      return {
        transport: 'socket',
        envelopeId: ack.envelope_id,
        ack: ack.payload === undefined ? {} : { payload: ack.payload },
      };
    }
    const retry = { retryNum: options.retryAttempt, retryReason: options.retryReason };
    const { status, body } = await deliverOverHttp(transport, type, payload, retry);
    return {
      transport: 'http',
      status,
      body,
      ack: status === 200 && body !== undefined ? { payload: body } : {},
    };
  }

  /** An event's `event_time`: seconds on the workspace's clock. */
  eventTime(): number {
    return Math.floor(this.workspace.clock.now() / 1000);
  }

  user(id: string): SlackUser {
    const user = this.workspace.user(id);
    if (!user) throw new Error(`unknown user ${id}`);
    return user;
  }

  channel(ref: string): SlackChannel {
    const channel = this.workspace.channel(ref);
    if (!channel) throw new Error(`unknown channel ${ref}`);
    return channel;
  }

  responseUrl(record: Parameters<Workspace['issueResponseUrl']>[0]): string {
    const base = this.deps.baseUrl();
    if (base === '') throw new Error('the emulator has no URL yet: call setUrl() after mounting it');
    return `${base}/response/${this.workspace.issueResponseUrl(record)}`;
  }

  /** Applies an ack's effect; content Slack would reject is logged (Slack shows the person an error). */
  apply(effect: () => void): void {
    try {
      effect();
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      this.deps.logger?.warn(
        { error: error.code, extra: error.extra },
        'emulator: app acked with content Slack rejects',
      );
    }
  }
}
