/**
 * Issue 21: the emulated workspace survives a restart. What one emulator saved under its state file, the next one
 * shows: channels, messages with their threads and edits, App Home and user groups; no modal (Slack closes them).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/index.js';
import { persistWorkspace } from '../../src/persistence.js';
import { seedChannel } from '../../src/seed.js';
import { sampleWorkspace } from '../helpers/sample-workspace.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slack-emulator-state-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the emulated workspace on disk', () => {
  it('comes back as it was: channels, messages, threads, edits, App Home, user groups; no modal', async () => {
    const path = join(dir, 'workspace.json');
    const before = new Workspace(undefined, sampleWorkspace());
    const saving = await persistWorkspace(before, path, { delayMs: 5 });
    before.addChannel(seedChannel('C0NEWONE1', 'deploys-2'));
    const parent = before.postMessage({
      channel: 'C0ALERTS1',
      user: 'U0SAMPLE01',
      text: 'DEP-1',
      asBot: true,
    });
    before.postMessage({ channel: 'C0ALERTS1', user: 'U0ALICE01', text: 'on it', threadTs: parent.ts });
    before.updateMessage(parent, { text: 'DEP-1 acknowledged' });
    before.views.publishHome('U0ALICE01', { type: 'home', blocks: [] });
    before.views.open('U0ALICE01', { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] });
    const group = before.usergroups.get('S0ONCALL1')!;
    before.usergroups.setUsers(group, ['U0BOB0001'], 'U0SAMPLE01');
    await saving.close();

    const after = new Workspace(undefined, sampleWorkspace());
    const loading = await persistWorkspace(after, path);
    expect(after.channel('deploys-2')?.id).toBe('C0NEWONE1');
    const thread = after.thread('C0ALERTS1', parent.ts);
    expect(thread.map((m) => m.text)).toEqual(['DEP-1 acknowledged', 'on it']);
    expect(thread[0]).toMatchObject({ reply_count: 1, edited: expect.anything() as unknown });
    expect(after.views.home('U0ALICE01')).toBeDefined();
    expect(after.views.stack('U0ALICE01')).toEqual([]);
    expect(after.usergroups.get('S0ONCALL1')?.users).toEqual(['U0BOB0001']);
    // New messages come after the saved ones.
    const next = after.postMessage({ channel: 'C0ALERTS1', user: 'U0BOB0001', text: 'later' });
    expect(Number(next.ts)).toBeGreaterThan(Number(thread[1]!.ts));
    await loading.close();
  });
});
