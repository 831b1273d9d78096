/**
 * A storm digest's buttons (src/blocks/digest-message.ts, digest-list.ts):
 * - **List all** on the digest message opens the list modal (views.open, within the 3 s its trigger_id lives);
 * - **Previous** / **Next** in the modal redraw it on another page (views.update, with the view's hash so a
 *   click on a stale modal does not overwrite a newer one);
 * - **Open** next to an incident gives it its own message in the channel, then redraws the page, which shows the
 *   incident as opened.
 * The digest message itself belongs to the publisher; these only show lists and ask the digest service.
 */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildDigestListModal, type DigestListMetadata } from '../../blocks/digest-list.js';
import * as z from '../../domain/zod.js';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';
import { ephemeralReply } from './ephemeral.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const text = z.string().check(z.minLength(1));
/** What a button inside the list modal needs of the payload's `view`. */
const listViewSchema = z.object({ id: text, hash: text, private_metadata: text });
const metadataSchema = z.object({ digest: text, page: z.number() });

/** The modal a click came from and the page it shows; undefined (logged) when Slack sent less. */
function listViewOf(args: ButtonArgs, deps: ListenerDeps) {
  const view = listViewSchema.safeParse(args.body.view);
  if (!view.success) {
    deps.logger.warn({ action: args.action.action_id }, 'a digest list button without its view: ignored');
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(view.data.private_metadata);
  } catch {
    parsed = undefined;
  }
  const metadata = metadataSchema.safeParse(parsed);
  if (!metadata.success) {
    deps.logger.warn({ action: args.action.action_id }, 'a digest list without its digest and page: ignored');
    return undefined;
  }
  return { id: view.data.id, hash: view.data.hash, metadata: metadata.data as DigestListMetadata };
}

async function redraw(
  args: ButtonArgs,
  deps: ListenerDeps,
  view: { id: string; hash: string },
  digestId: string,
  page: number,
): Promise<void> {
  const listed = await deps.services.digests.page(digestId, page);
  if (!listed) return;
  await args.client.views.update({ view_id: view.id, hash: view.hash, view: buildDigestListModal(listed) });
}

export function createDigestListButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const reply = ephemeralReply(args);
    await guard(deps, 'digest list button', reply, async () => {
      const digestId = args.action.value ?? '';
      const page = await deps.services.digests.page(digestId, 0);
      if (!page) {
        await reply?.('This storm digest is no longer stored; `/incident list` lists the open incidents.');
        return;
      }
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: buildDigestListModal(page) });
    });
  };
}

export function createDigestPageButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    await guard(deps, 'digest page button', undefined, async () => {
      const view = listViewOf(args, deps);
      if (!view) return;
      await redraw(args, deps, view, view.metadata.digest, Number(args.action.value));
    });
  };
}

export function createDigestOpenButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    await guard(deps, 'digest open button', undefined, async () => {
      const view = listViewOf(args, deps);
      if (!view) return;
      await deps.services.digests.open(args.action.value ?? '', args.body.user.id);
      // Opened, opened by someone else meanwhile, or gone: the redrawn page says which.
      await redraw(args, deps, view, view.metadata.digest, view.metadata.page);
    });
  };
}
