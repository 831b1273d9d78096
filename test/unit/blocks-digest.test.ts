import { describe, expect, it } from 'vitest';
import {
  buildDigestListModal,
  digestOpenActionId,
  type DigestListPage,
} from '../../src/blocks/digest-list.js';
import { buildDigestMessage, DIGEST_TITLES_SHOWN } from '../../src/blocks/digest-message.js';
import { findBlockKitViolations } from '../../src/blocks/limits.js';
import {
  DIGEST_GROUPS_KEPT,
  memberOf,
  summaryOf,
  type Digest,
  type DigestMember,
} from '../../src/domain/digest.js';
import { attachSlackMessage, openIncident, type Incident } from '../../src/domain/incident.js';
import { Actions } from '../../src/blocks/ids.js';
import { T0 } from './blocks-samples.js';

const MINUTE = '2026-01-01T00:00:00.000Z';
const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

function member(n: number, overrides: Partial<DigestMember> = {}): DigestMember {
  return {
    id: `INC-${n}`,
    number: n,
    title: `Disk full on db-${n}`,
    severity: SEVERITIES[n % 4]!,
    source: n % 3 === 0 ? 'grafana' : 'alertmanager',
    ...(n % 5 === 0 ? {} : { label: `alertname=Disk${n % 2}` }),
    ...overrides,
  };
}

function digest(members: DigestMember[]): Digest {
  return {
    id: `alerts/${MINUTE.slice(0, 16)}Z`,
    channel: 'alerts',
    minute: MINUTE,
    opened: members.length + 5,
    ...summaryOf(members),
    version: members.length,
  };
}

const asMessage = (m: ReturnType<typeof buildDigestMessage>) =>
  findBlockKitViolations({ kind: 'message', text: m.text, blocks: m.blocks });

function incident(n: number, extra: Partial<Incident> = {}): Incident {
  return {
    ...openIncident({
      number: n,
      signal: {
        action: 'trigger',
        title: `Disk full on db-${n}`,
        severity: 'error',
        source: 'alertmanager',
        links: [],
      },
      fingerprint: `f${n}`,
      now: T0,
    }),
    digest: { id: `alerts/${MINUTE.slice(0, 16)}Z` },
    ...extra,
  };
}

describe('buildDigestMessage', () => {
  it('renders "+N incidents", groups by source and label, the first titles and List all', () => {
    const message = buildDigestMessage(digest(Array.from({ length: 37 }, (_, i) => member(i + 6))));
    expect(message).toMatchSnapshot();
    expect(message.text).toContain('+37 incidents');
    expect(JSON.stringify(message.blocks)).toContain('List all 37');
    expect(asMessage(message)).toEqual([]);
  });

  it('lists members in the order they opened, whatever order the store gave', () => {
    const message = buildDigestMessage(digest([member(9), member(7), member(8)]));
    const titles = JSON.stringify(message.blocks.find((b) => b.block_id === 'digest_titles'));
    expect(titles.indexOf('INC-7')).toBeLessThan(titles.indexOf('INC-8'));
    expect(titles.indexOf('INC-8')).toBeLessThan(titles.indexOf('INC-9'));
  });

  it('marks a member that joined by being reopened', () => {
    const message = buildDigestMessage(digest([member(3, { reopened: true }), member(40)]));
    const titles = JSON.stringify(message.blocks.find((b) => b.block_id === 'digest_titles'));
    expect(titles).toMatch(/INC-3\*[^\\]*_\(reopened\)_/);
    expect(titles).not.toMatch(/INC-40\*[^\\]*reopened/);
  });

  it('stays within Block Kit limits and escapes what senders wrote, for a storm of 1,000 of every kind', () => {
    const hostile = Array.from({ length: 1000 }, (_, i) =>
      member(i + 1, {
        title: `<!channel> <https://evil.example|click> & ${'T'.repeat(200)}`,
        source: `<@U0EVIL> src-${i}`,
        label: `alertname=<!here>${i}`,
      }),
    );
    const message = buildDigestMessage(digest(hostile));
    expect(asMessage(message)).toEqual([]);
    const text = JSON.stringify(message);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U0EVIL>|<https:\/\/evil/);
    expect(text).toContain('+1000 incidents');
    expect(text).toContain(`…and ${1000 - DIGEST_TITLES_SHOWN} more`);
    // Every sender a group of its own: the digest counts the first DIGEST_GROUPS_KEPT, the rest together.
    expect(text).toContain(`…and ${DIGEST_GROUPS_KEPT - 8} more groups`);
    expect(text).toContain(`…and ${1000 - DIGEST_GROUPS_KEPT} incidents in further groups`);
  });
});

describe('buildDigestListModal', () => {
  const page: DigestListPage = {
    digestId: `alerts/${MINUTE.slice(0, 16)}Z`,
    minute: MINUTE,
    page: 1,
    pages: 3,
    total: 45,
    entries: [
      { member: memberOf(incident(26)), incident: incident(26) },
      {
        member: memberOf(incident(27)),
        incident: attachSlackMessage(incident(27), { channel: 'C0ALERTS1', ts: '1.1' }),
      },
      {
        member: memberOf(incident(28)),
        incident: incident(28, { digest: { id: 'x', ownMessageAt: new Date(T0).toISOString() } }),
      },
      { member: member(29), incident: undefined },
    ],
  };

  it('lists a page with Open for incidents only the digest shows, and Previous / Next', () => {
    const modal = buildDigestListModal(page);
    expect(modal).toMatchSnapshot();
    expect(findBlockKitViolations({ kind: 'view', view: modal })).toEqual([]);
    const text = JSON.stringify(modal);
    expect(text).toContain(digestOpenActionId('INC-26'));
    expect(text).not.toContain(digestOpenActionId('INC-27'));
    expect(text).not.toContain(digestOpenActionId('INC-28'));
    expect(text).toContain('its own message is on its way');
    expect(text).toContain('no longer stored');
    expect(text).toContain(Actions.digestPrevious);
    expect(text).toContain(Actions.digestNext);
    expect(JSON.parse(modal.private_metadata!)).toEqual({ digest: page.digestId, page: 1 });
  });

  it('says how often an incident was reopened', () => {
    const again = incident(30, { reopenCount: 2 });
    const modal = buildDigestListModal({ ...page, entries: [{ member: memberOf(again), incident: again }] });
    expect(JSON.stringify(modal)).toContain('reopened 2×');
    expect(JSON.stringify(buildDigestListModal(page))).not.toContain('reopened');
  });

  it('has no navigation on a single page, and fits a full page of hostile titles', () => {
    const entries = Array.from({ length: 20 }, (_, i) => {
      const stored = incident(i + 1, { title: `<!channel> ${'T'.repeat(3000)}` });
      return { member: memberOf(stored), incident: stored };
    });
    const modal = buildDigestListModal({ ...page, page: 0, pages: 1, total: 20, entries });
    expect(findBlockKitViolations({ kind: 'view', view: modal })).toEqual([]);
    expect(JSON.stringify(modal)).not.toContain(Actions.digestNext);
    expect(JSON.stringify(modal)).not.toContain('<!channel>');
  });
});
