import { describe, expect, it } from 'vitest';
import { createManualClock } from '../helpers/manual-clock.js';
import { FaultInjector, RateLimiter, SLACK_RATE_LIMITS } from '../../src/faults.js';
import { buildStateValues } from '../../src/view-state.js';
import { Workspace } from '../../src/workspace.js';
import type { WorkspaceChange } from '../../src/types.js';
import { sampleWorkspace } from '../helpers/sample-workspace.js';

describe('Workspace', () => {
  it('issues unique, increasing Slack-shaped ts even when the clock stands still', () => {
    const workspace = new Workspace(createManualClock(Date.UTC(2026, 0, 1)), sampleWorkspace());
    const [a, b, c] = [workspace.nextTs(), workspace.nextTs(), workspace.nextTs()];
    expect(a).toBe('1767225600.000000');
    expect(b).toBe('1767225600.000100');
    expect(Number(c)).toBeGreaterThan(Number(b));
  });

  it('resolves channels by id, name and #name, and users to their DM', () => {
    const workspace = new Workspace(undefined, sampleWorkspace());
    expect(workspace.channel('C0ALERTS1')?.name).toBe('alerts');
    expect(workspace.channel('alerts')?.id).toBe('C0ALERTS1');
    expect(workspace.channel('#general')?.id).toBe('C0GENERAL');
    expect(workspace.channel('U0ALICE01')).toMatchObject({ id: 'D0ALICE01', is_im: true, user: 'U0ALICE01' });
    expect(workspace.channel('random')).toBeUndefined();
    expect(workspace.user('U0BOB0001')).toMatchObject({
      name: 'bob',
      real_name: 'Bob Brown',
      tz: 'America/Los_Angeles',
    });
  });

  it('keeps threads: parents gain reply_count/replies and the channel view hides replies', () => {
    const workspace = new Workspace(undefined, sampleWorkspace());
    const changes: WorkspaceChange['type'][] = [];
    workspace.on('change', (change) => changes.push(change.type));
    const parent = workspace.postMessage({
      channel: 'C0ALERTS1',
      user: 'U0SAMPLE01',
      text: 'p',
      asBot: true,
    });
    const reply = workspace.postMessage({
      channel: 'C0ALERTS1',
      user: 'U0ALICE01',
      text: 'r',
      threadTs: parent.ts,
    });
    expect(parent).toMatchObject({
      thread_ts: parent.ts,
      reply_count: 1,
      replies: [{ user: 'U0ALICE01', ts: reply.ts }],
    });
    expect(workspace.messages('C0ALERTS1').map((m) => m.text)).toEqual(['p']);
    expect(workspace.thread('C0ALERTS1', parent.ts).map((m) => m.text)).toEqual(['p', 'r']);
    expect(changes).toEqual(['message_posted', 'message_updated', 'message_posted']);
  });

  it('expires trigger_ids after three seconds and spends them once', () => {
    const clock = createManualClock();
    const workspace = new Workspace(clock, sampleWorkspace());
    const fresh = workspace.issueTrigger('U0ALICE01');
    expect(workspace.useTrigger(fresh)).toEqual({ check: 'ok', user: 'U0ALICE01' });
    expect(workspace.useTrigger(fresh).check).toBe('exchanged');
    const late = workspace.issueTrigger('U0ALICE01');
    clock.advance(3001);
    expect(workspace.useTrigger(late).check).toBe('expired');
    expect(workspace.useTrigger('1.2.3').check).toBe('invalid');
  });
});

describe('faults and limits', () => {
  it('fires a fault a given number of times, for one method', () => {
    const faults = new FaultInjector();
    faults.add({ method: 'chat.update', status: 429, retryAfterSeconds: 3, times: 2 });
    expect(faults.take('chat.postMessage')).toBeUndefined();
    expect(faults.take('chat.update')).toEqual({ status: 429, retryAfterSeconds: 3 });
    expect(faults.take('chat.update')).toEqual({ status: 429, retryAfterSeconds: 3 });
    expect(faults.take('chat.update')).toBeUndefined();
  });

  it('honours probability and removal', () => {
    const faults = new FaultInjector(() => 0.7);
    const remove = faults.add({ status: 500, probability: 0.5 });
    expect(faults.take('auth.test')).toBeUndefined();
    faults.add({ status: 503, probability: 0.8 });
    expect(faults.take('auth.test')).toEqual({ status: 503 });
    remove();
    expect(faults.pending).toBe(1);
  });

  it('limits per channel per second and tells how long to wait', () => {
    const clock = createManualClock();
    const limits = new RateLimiter(clock);
    limits.set('chat.postMessage', { perChannelPerSecond: 1 });
    expect(limits.check('chat.postMessage', 'C1')).toBeUndefined();
    expect(limits.check('chat.postMessage', 'C2')).toBeUndefined();
    expect(limits.check('chat.postMessage', 'C1')).toBe(1);
    clock.advance(1000);
    expect(limits.check('chat.postMessage', 'C1')).toBeUndefined();
    expect(limits.check('chat.update', 'C1')).toBeUndefined();
  });

  it("enforces Slack's documented limits at once: 1 post/s per channel, Tier 3 chat.update 50 a minute, …", () => {
    const clock = createManualClock();
    const limits = new RateLimiter(clock);
    limits.useSlackLimits();
    expect(limits.check('chat.postMessage', 'C1')).toBeUndefined();
    expect(limits.check('chat.postMessage', 'C1')).toBe(1);
    // Tier 3 is per method per workspace: 50 in any minute, whatever the channel.
    for (let i = 0; i < 50; i += 1) expect(limits.check('chat.update', `C${i % 3}`)).toBeUndefined();
    clock.advance(30_000);
    expect(limits.check('chat.update', 'C1')).toBe(30);
    clock.advance(30_000);
    expect(limits.check('chat.update', 'C1')).toBeUndefined();
    // Tier 2 and Tier 4 at their floors; methods without a stated figure are not limited.
    for (let i = 0; i < 20; i += 1) expect(limits.check('conversations.list', undefined)).toBeUndefined();
    expect(limits.check('conversations.list', undefined)).toBeGreaterThan(0);
    for (let i = 0; i < 100; i += 1) expect(limits.check('views.open', undefined)).toBeUndefined();
    expect(limits.check('views.open', undefined)).toBeGreaterThan(0);
    for (let i = 0; i < 500; i += 1) expect(limits.check('auth.test', undefined)).toBeUndefined();
    expect(SLACK_RATE_LIMITS['chat.update']).toEqual({ perMinute: 50 });
  });
});

describe('buildStateValues', () => {
  const blocks = [
    {
      type: 'input',
      block_id: 'b1',
      label: { type: 'plain_text', text: 'Title' },
      element: { type: 'plain_text_input', action_id: 'title', initial_value: 'draft' },
    },
    {
      type: 'input',
      block_id: 'b2',
      optional: true,
      label: { type: 'plain_text', text: 'Owners' },
      element: { type: 'multi_users_select', action_id: 'owners' },
    },
  ];

  it('uses entered values, falls back to initial values, and keeps empty optional inputs', () => {
    expect(buildStateValues(blocks, {})).toEqual({
      b1: { title: { type: 'plain_text_input', value: 'draft' } },
      b2: { owners: { type: 'multi_users_select', selected_users: [] } },
    });
    expect(buildStateValues(blocks, { title: 'final', owners: ['U0ALICE01'] })).toMatchObject({
      b1: { title: { value: 'final' } },
      b2: { owners: { selected_users: ['U0ALICE01'] } },
    });
  });

  it('refuses unknown inputs and empty required ones', () => {
    expect(() => buildStateValues(blocks, { nope: 'x' })).toThrow(/no input with action_id nope/);
    expect(() => buildStateValues(blocks, { title: null })).toThrow(/required input left empty: title/);
  });
});
