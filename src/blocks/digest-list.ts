/**
 * "List all" of a storm digest: a modal listing the digest's incidents a page at a time (a view holds at most
 * 100 blocks), each with its current state, and an **Open** button for one still shown only by the digest,
 * which gives it its own message (with its thread and buttons) in the channel. One that has its message says
 * where it is. `private_metadata` carries the digest and the page, so the buttons can redraw it.
 */
import type { DigestMember } from '../domain/digest.js';
import { DIGEST_MEMBERS_PER_PAGE, inDigestOnly } from '../domain/digest.js';
import type { Incident } from '../domain/incident.js';
import { Actions, Views } from './ids.js';
import { escapeMrkdwn, mrkdwnText, SEVERITY_EMOJI, slackDate } from './format.js';
import { incidentLine } from './incident-list.js';
import {
  actions,
  button,
  context,
  plain,
  section,
  type Button,
  type KnownBlock,
  type ModalView,
} from './kit.js';
import { Limits } from './limits.js';

/** Incidents per page: a block each, far below the view's 100, and quick to read for the 3 s a trigger lives. */
export const DIGEST_PAGE_SIZE = DIGEST_MEMBERS_PER_PAGE;

export interface DigestListPage {
  digestId: string;
  /** The digest's minute (ISO 8601). */
  minute: string;
  /** Zero-based. */
  page: number;
  pages: number;
  total: number;
  /** This page's members, with the stored incident (undefined: no longer stored). */
  entries: { member: DigestMember; incident: Incident | undefined }[];
}

export interface DigestListMetadata {
  digest: string;
  page: number;
}

/** The "Open" button's action_id for one incident: unique within the view, routed by its prefix. */
export function digestOpenActionId(incidentId: string): string {
  return `${Actions.digestOpen}:${incidentId}`;
}

function entryBlock(entry: DigestListPage['entries'][number]): KnownBlock {
  const { member, incident } = entry;
  if (incident === undefined) {
    return section(
      `${SEVERITY_EMOJI[member.severity]} *${escapeMrkdwn(member.id)}* ${mrkdwnText(member.title, 200)}\n_no longer stored_`,
    );
  }
  const reopens = incident.reopenCount ?? 0;
  const line = `${incidentLine(incident)}${reopens > 0 ? ` · reopened ${reopens}×` : ''}`;
  if (!inDigestOnly(incident)) {
    const where = incident.slack === undefined ? '\n_its own message is on its way_' : '';
    return section(`${line}${where}`);
  }
  return {
    ...section(line),
    accessory: button('Open', digestOpenActionId(incident.id), incident.id),
  };
}

export function buildDigestListModal(page: DigestListPage): ModalView {
  const blocks: KnownBlock[] = [
    section(
      `*${page.total} ${page.total === 1 ? 'incident' : 'incidents'}* of the alert storm from ${slackDate(page.minute)}. ` +
        '*Open* gives one its own message, with its thread and buttons, in the channel.',
    ),
  ];
  for (const entry of page.entries) blocks.push(entryBlock(entry));
  if (page.pages > 1) {
    const nav: Button[] = [];
    if (page.page > 0) nav.push(button('◀ Previous', Actions.digestPrevious, String(page.page - 1)));
    if (page.page < page.pages - 1) nav.push(button('Next ▶', Actions.digestNext, String(page.page + 1)));
    blocks.push(context([`Page ${page.page + 1} of ${page.pages}`]), actions(nav));
  }
  const metadata: DigestListMetadata = { digest: page.digestId, page: page.page };
  return {
    type: 'modal',
    callback_id: Views.digestList,
    title: plain('Alert storm', Limits.viewTitle),
    close: plain('Close', Limits.viewButton),
    private_metadata: JSON.stringify(metadata),
    blocks: blocks.slice(0, Limits.viewBlocks),
  };
}
