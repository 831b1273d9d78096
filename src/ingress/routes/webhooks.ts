/**
 * `POST /webhook/github`, `POST /webhook/gitlab` and `POST /webhook/gitlab/system` (issue 5): an issue or pull /
 * merge request labelled `TASK_LABEL` becomes a task on the queue.
 *
 * Each route: check the signature / token on the raw bytes (401, nothing written) → parse JSON (415 / 400) →
 * map the event (src/domain/git-task.ts; 400 for a payload missing fields we need, 200 `{"ignored"}` for an event
 * we do not act on) → `tasks.enqueue`, which answers:
 *   - 202 `{"queued":true,"task"}` once the broker confirmed the message;
 *   - 200 `{"duplicate":true}` for a redelivery (same delivery key), or `{"duplicate":true,"item"}` when the item
 *     already became a task within the hour (see src/services/tasks.ts);
 *   - 503 when the broker cannot be reached (the claims are released, so the sender's retry is processed).
 *
 * Only events that make a task are recorded; a redelivered `ignored` event simply gets the same answer again.
 *
 * Delivery key: `X-GitHub-Delivery`; for GitLab `Idempotency-Key` (stable across GitLab's retries), else
 * `X-Gitlab-Event-UUID`. A request without one (old GitLab versions send neither) is keyed by the SHA-256 of its
 * body rather than refused: it has passed the signature / token check, identical bytes are the same event
 * (payloads carry `updated_at`), and refusing would make GitLab disable the hook after four failures.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { taskFromGitHub, taskFromGitLab, type GitTaskResult } from '../../domain/git-task.js';
import { badRequest } from '../../errors.js';
import { verifyGitHubSignature } from '../github-signature.js';
import type { Logger } from '../../logger.js';
import type { EnqueueResult, TaskService } from '../../services/tasks.js';
import {
  LOCAL_DEV_SECRET,
  LOCAL_DEV_TOKEN,
  createSharedSecret,
  unauthorized,
  type RevealableSecret,
  type SharedSecret,
} from '../auth.js';
import { jsonBody } from '../json-body.js';
import { json, type IngressRequest, type IngressResponse, type Route } from '../types.js';

export interface WebhookRouteDeps {
  tasks: Pick<TaskService, 'enqueue'>;
  /** `TASK_LABEL`. */
  label: string;
  githubWebhookSecret: RevealableSecret | undefined;
  gitlabWebhookToken: RevealableSecret | undefined;
  gitlabSystemHookToken: RevealableSecret | undefined;
  /** True only in local emulator mode: unset secrets accept the documented local defaults. */
  allowLocalDefaults: boolean;
  clock: Clock;
  logger: Logger;
}

/** A header value usable as a Dedup key as is; anything else (huge, odd characters) is hashed. */
const PLAIN_KEY = /^[\w.:-]{1,200}$/;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function deliveryKey(request: IngressRequest, headers: readonly string[]): string {
  for (const name of headers) {
    const value = request.headers[name]?.trim();
    if (value !== undefined && value !== '') return PLAIN_KEY.test(value) ? value : `sha256:${sha256(value)}`;
  }
  return `sha256:${sha256(request.rawBody)}`;
}

function actionOf(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return '(none)';
  const action = Reflect.get(payload, 'action');
  if (typeof action === 'string') return action;
  const attrs: unknown = Reflect.get(payload, 'object_attributes');
  const nested = typeof attrs === 'object' && attrs !== null ? Reflect.get(attrs, 'action') : undefined;
  return typeof nested === 'string' ? nested : '(none)';
}

function answer(result: EnqueueResult): IngressResponse {
  switch (result.outcome) {
    case 'queued':
      return json(202, { queued: true, task: result.taskId });
    case 'duplicate':
      return json(200, result.of === 'item' ? { duplicate: true, item: result.item } : { duplicate: true });
  }
}

export function webhookRoutes(deps: WebhookRouteDeps): Route[] {
  const log = deps.logger.child({ component: 'webhooks' });

  // Resolved once, so the local-default warning is logged once per process.
  let githubSecret = deps.githubWebhookSecret?.reveal();
  if (githubSecret === undefined && deps.allowLocalDefaults) {
    githubSecret = LOCAL_DEV_SECRET;
    log.warn(
      { variable: 'GITHUB_WEBHOOK_SECRET' },
      `GITHUB_WEBHOOK_SECRET is not set: accepting the local default "${LOCAL_DEV_SECRET}" (emulator mode only)`,
    );
  }
  const gitlabToken = (variable: string, value: RevealableSecret | undefined): SharedSecret =>
    createSharedSecret({
      variable,
      value,
      localDefault: LOCAL_DEV_TOKEN,
      allowLocalDefault: deps.allowLocalDefaults,
      logger: log,
      credentialName: 'X-Gitlab-Token',
    });
  const projectToken = gitlabToken('GITLAB_WEBHOOK_TOKEN', deps.gitlabWebhookToken);
  const systemToken = gitlabToken('GITLAB_SYSTEM_HOOK_TOKEN', deps.gitlabSystemHookToken);

  async function act(
    source: 'GitHub' | 'GitLab',
    result: GitTaskResult,
    delivery: () => string,
  ): Promise<IngressResponse> {
    if ('ping' in result) return json(200, { pong: true });
    if ('ignored' in result) {
      if (result.malformed === true) throw badRequest(result.ignored);
      log.info({ reason: result.ignored }, `Ignoring ${source} webhook: ${result.ignored}`);
      return json(200, { ignored: result.ignored });
    }
    // Per-request lines are debug (issue 10): the outcome ("Task queued successfully") is logged at info.
    log.debug({ item: result.task.url }, `Label matched: ${deps.label}`);
    const enqueued = await deps.tasks.enqueue(result.task, {
      source: result.task.source,
      key: delivery(),
    });
    return answer(enqueued);
  }

  async function github(request: IngressRequest): Promise<IngressResponse> {
    if (githubSecret === undefined) throw unauthorized('GITHUB_WEBHOOK_SECRET is not configured');
    const signature = request.headers['x-hub-signature-256'];
    const raw = request.rawBody.toString('utf8');
    if (!(await verifyGitHubSignature(githubSecret, raw, signature))) {
      throw unauthorized(
        signature === undefined || signature === '' ? 'missing X-Hub-Signature-256' : 'invalid signature',
      );
    }
    const payload = jsonBody(request);
    const event = request.headers['x-github-event'] ?? '';
    log.debug({ event }, `Received GitHub webhook: event=${event || '(none)'}, action=${actionOf(payload)}`);
    const key = () => deliveryKey(request, ['x-github-delivery']);
    return act(
      'GitHub',
      taskFromGitHub(event, payload, { label: deps.label, now: deps.clock.now(), deliveryId: key() }),
      key,
    );
  }

  const gitlab =
    (token: SharedSecret) =>
    async (request: IngressRequest): Promise<IngressResponse> => {
      token.verify(request.headers['x-gitlab-token']);
      const payload = jsonBody(request);
      const event = request.headers['x-gitlab-event'] ?? '';
      log.debug(
        { event },
        `Received GitLab webhook: event=${event || '(none)'}, action=${actionOf(payload)}`,
      );
      const key = () => deliveryKey(request, ['idempotency-key', 'x-gitlab-event-uuid']);
      return act(
        'GitLab',
        taskFromGitLab(event, payload, { label: deps.label, now: deps.clock.now(), deliveryId: key() }),
        key,
      );
    };

  return [
    { method: 'POST', path: '/webhook/github', handler: github },
    { method: 'POST', path: '/webhook/gitlab', handler: gitlab(projectToken) },
    { method: 'POST', path: '/webhook/gitlab/system', handler: gitlab(systemToken) },
  ];
}
