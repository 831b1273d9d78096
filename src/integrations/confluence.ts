/**
 * ReportPublisher over Confluence Cloud (REST v1 through confluence.js 2.1). The local HTML fallback is
 * integrations/local-report.ts.
 *
 * Idempotent by key. A rerun must update, never duplicate, so the page is found in two ways:
 * 1. By exact title in the space (`GET /wiki/rest/api/content?spaceKey&title&type=page`). This reads the
 *    database, not the search index, so it sees a page created a second ago — the common rerun.
 * 2. By a label derived from the key (`hikeshi-inc-42`), through CQL. This finds the page after the incident was
 *    renamed (a new title). CQL reads the search index, which lags a few seconds, hence it is only the fallback.
 * Content properties were the other candidate; CQL can only query them through an index schema that only
 * Connect apps can declare, so a label is the searchable marker.
 * Updates send version+1; a 409 (someone edited in between) re-reads the version and tries once more.
 *
 * Errors: confluence.js rethrows the raw response body (or a TypeError when there was no response at all). The
 * client is given an axios `transformResponse` that tags error bodies with their HTTP status, so failures are
 * classified on the real status: AppError(ReportFailed) with `details.reason` 401/403 → auth, 404 → space or
 * page not found, 400 → validation, no response → network.
 *
 * confluence.js (with axios and its own zod 3, about 200 KB) is loaded when the first report is published, not
 * when the app starts: the Lambda worker's import went from about 130 to 100 ms (docs/BENCHMARKS.md, B6).
 * What its constructor would refuse is checked here at start-up instead.
 */
import type { ConfluenceClient } from 'confluence.js';
import { AppError, ErrorCode } from '../errors.js';
import * as z from '../domain/zod.js';
import type {
  PublishedReport,
  Report,
  ReportFailureReason,
  ReportPublisher,
} from '../services/ports/report-publisher.js';

export interface ConfluencePublisherOptions {
  /** WIKI_URL, e.g. `https://example.atlassian.net/wiki` or without `/wiki`. */
  host: string;
  email: string;
  apiToken: string;
  spaceKey: string;
  parentId?: string;
  /** Pass a client in tests or to share one; status-based error classification then relies on the body. */
  client?: ConfluenceClient;
  /** Per-request timeout, ms. Default 30 s. */
  timeoutMs?: number;
}

interface PageRef {
  id: string;
  title: string;
  version: number;
}

interface ContentLike {
  id?: unknown;
  title?: unknown;
  version?: { number?: unknown };
  _links?: { webui?: unknown; base?: unknown };
}

/** `https://x.atlassian.net/wiki/` → `https://x.atlassian.net` (confluence.js adds `/wiki/rest` itself). */
export function normaliseConfluenceHost(host: string): string {
  return host
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/wiki$/, '');
}

/** The label that marks a page as the report for `key`: lower case, only characters labels accept. */
export function reportLabel(key: string): string {
  return `hikeshi-${key.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`;
}

interface TaggedError {
  hikeshiHttpStatus: number;
  body: unknown;
}

function isTagged(value: unknown): value is TaggedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TaggedError).hikeshiHttpStatus === 'number'
  );
}

// axios response transform: parse JSON like the default one, and wrap error bodies with their status.
function tagErrorStatus(data: unknown, _headers: unknown, status?: number): unknown {
  let parsed = data;
  if (typeof data === 'string' && data.trim() !== '') {
    try {
      parsed = JSON.parse(data) as unknown;
    } catch {
      parsed = data;
    }
  }
  return status !== undefined && status >= 400 ? { hikeshiHttpStatus: status, body: parsed } : parsed;
}

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    return JSON.stringify(body).slice(0, 300);
  }
  return String(body);
}

function reasonForStatus(status: number | undefined, message: string): ReportFailureReason {
  if (status === 401 || status === 403) return 'auth';
  const noSpace = /no space with key|space (does not|doesn't) exist|space not found/i.test(message);
  if (status === 404) return noSpace ? 'space_not_found' : 'not_found';
  if (status === 400) return noSpace ? 'space_not_found' : 'validation';
  if (status === 409) return 'conflict';
  return 'unknown';
}

const USER_MESSAGES: Record<ReportFailureReason, string> = {
  auth: 'Confluence refused the credentials. Check WIKI_USER / WIKI_API_KEY and the space permissions.',
  space_not_found: 'The Confluence space was not found. Check CONFLUENCE_SPACE (the space key).',
  not_found: 'The Confluence page or parent was not found. Check CONFLUENCE_PARENT_ID.',
  validation: 'Confluence rejected the report as invalid.',
  conflict: 'The Confluence page was edited at the same time. Try again.',
  network: 'Confluence could not be reached. Check WIKI_URL and the network.',
  unknown: 'Publishing the report to Confluence failed.',
};

/** Turns whatever confluence.js threw into an AppError(ReportFailed) with a classified reason. */
export function toReportError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  let status: number | undefined;
  let message: string;
  let reason: ReportFailureReason;
  if (isTagged(error)) {
    status = error.hikeshiHttpStatus;
    message = bodyMessage(error.body);
    reason = reasonForStatus(status, message);
  } else if (error instanceof Error) {
    // A TypeError here is confluence.js reading `e.response.data` of a request that got no response.
    message = error.message;
    reason =
      error instanceof TypeError || /ECONN|ENOTFOUND|timeout|network/i.test(message) ? 'network' : 'unknown';
  } else {
    // An untagged raw body (a client we did not build): Confluence bodies usually carry `statusCode`.
    const code =
      typeof error === 'object' && error !== null
        ? (error as { statusCode?: unknown }).statusCode
        : undefined;
    status = typeof code === 'number' ? code : undefined;
    message = bodyMessage(error);
    reason =
      status === undefined
        ? /unauthori[sz]ed|authenticat/i.test(message)
          ? 'auth'
          : 'unknown'
        : reasonForStatus(status, message);
  }
  return new AppError(ErrorCode.ReportFailed, `Confluence ${action} failed: ${message}`, {
    userMessage: USER_MESSAGES[reason],
    details: { reason, action, ...(status === undefined ? {} : { status }) },
    ...(error instanceof Error ? { cause: error } : {}),
  });
}

function toPageRef(content: ContentLike | undefined): PageRef | undefined {
  if (content === undefined || typeof content.id !== 'string') return undefined;
  const version = typeof content.version?.number === 'number' ? content.version.number : 1;
  return { id: content.id, title: typeof content.title === 'string' ? content.title : '', version };
}

/** What confluence.js's constructor checks (host and basic authentication), checked at start-up instead. */
const ClientSettings = z.object({
  host: z.url('WIKI_URL must be a URL with its scheme, e.g. https://example.atlassian.net/wiki'),
  email: z.email('WIKI_USER must be the Atlassian account email'),
  apiToken: z.string().check(z.minLength(1, 'WIKI_API_KEY is empty')),
});

export function createConfluencePublisher(options: ConfluencePublisherOptions): ReportPublisher {
  const host = normaliseConfluenceHost(options.host);
  const settings = ClientSettings.safeParse({ host, email: options.email, apiToken: options.apiToken });
  if (!settings.success) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      `Confluence configuration is invalid: ${settings.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const { email, apiToken } = settings.data;
  let client: Promise<ConfluenceClient> | undefined =
    options.client === undefined ? undefined : Promise.resolve(options.client);
  const confluence = (): Promise<ConfluenceClient> =>
    (client ??= import('confluence.js').then(
      ({ ConfluenceClient }) =>
        new ConfluenceClient({
          host,
          authentication: { basic: { email, apiToken } },
          baseRequestConfig: { timeout: options.timeoutMs ?? 30_000, transformResponse: [tagErrorStatus] },
        }),
    ));
  const { spaceKey } = options;

  async function call<T>(action: string, run: (client: ConfluenceClient) => Promise<T>): Promise<T> {
    try {
      return await run(await confluence());
    } catch (error) {
      throw toReportError(error, action);
    }
  }

  async function findByTitle(title: string): Promise<PageRef | undefined> {
    const found = await call('find page by title', (client) =>
      client.content.getContent({ spaceKey, title, type: 'page', expand: ['version'], limit: 1 }),
    );
    return toPageRef(found.results[0] as ContentLike | undefined);
  }

  async function findByLabel(key: string): Promise<PageRef | undefined> {
    const cql = `type = page AND space = "${spaceKey}" AND label = "${reportLabel(key)}"`;
    const found = await call('find page by label', (client) =>
      client.content.searchContentByCQL({ cql, expand: ['version'], limit: 1 }),
    );
    return toPageRef(found.results[0] as ContentLike | undefined);
  }

  function urlOf(content: ContentLike, id: string): string {
    const webui =
      typeof content._links?.webui === 'string'
        ? content._links.webui
        : `/pages/viewpage.action?pageId=${id}`;
    const base = typeof content._links?.base === 'string' ? content._links.base : `${host}/wiki`;
    return `${base}${webui}`;
  }

  const ancestors = options.parentId === undefined ? {} : { ancestors: [{ id: options.parentId }] };
  const storage = (value: string) => ({ storage: { value, representation: 'storage' } });

  async function update(page: PageRef, report: Report): Promise<ContentLike> {
    return call('update page', (client) =>
      client.content.updateContent({
        id: page.id,
        type: 'page',
        title: report.title,
        version: { number: page.version + 1, message: 'Updated by Hikeshi' },
        body: storage(report.storageBody),
      }),
    ) as Promise<ContentLike>;
  }

  async function create(report: Report): Promise<ContentLike> {
    return (await call('create page', (client) =>
      client.content.createContent({
        type: 'page',
        title: report.title,
        space: { key: spaceKey },
        ...ancestors,
        body: storage(report.storageBody),
      }),
    )) as ContentLike;
  }

  async function updateExisting(existing: PageRef, report: Report): Promise<PublishedReport> {
    let updated: ContentLike;
    try {
      updated = await update(existing, report);
    } catch (error) {
      if (!(error instanceof AppError) || error.details?.reason !== 'conflict') throw error;
      const fresh = (await findByTitle(existing.title)) ?? (await findByLabel(report.key)) ?? existing;
      updated = await update(fresh, report);
    }
    const ref = toPageRef(updated) ?? { ...existing, version: existing.version + 1 };
    return { id: ref.id, url: urlOf(updated, ref.id), version: ref.version, created: false };
  }

  return {
    async publish(report: Report): Promise<PublishedReport> {
      const existing = (await findByTitle(report.title)) ?? (await findByLabel(report.key));
      if (existing !== undefined) return updateExisting(existing, report);
      let created: ContentLike;
      try {
        created = await create(report);
      } catch (error) {
        // Two runs raced and the other created the page first: Confluence titles are unique per space.
        const raced =
          error instanceof AppError &&
          error.details?.reason === 'validation' &&
          /already exists/i.test(error.message);
        const winner = raced ? await findByTitle(report.title) : undefined;
        if (winner === undefined) throw error;
        return updateExisting(winner, report);
      }
      const ref = toPageRef(created);
      if (ref === undefined) throw toReportError(new Error('create page returned no id'), 'create page');
      await call('label page', (client) =>
        client.contentLabels.addLabelsToContent({
          id: ref.id,
          body: [{ prefix: 'global', name: reportLabel(report.key) }],
        }),
      );
      return { id: ref.id, url: urlOf(created, ref.id), version: ref.version, created: true };
    },
  };
}
