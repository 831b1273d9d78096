/**
 * Found by the emulator enforcing Slack's documented limits (issue 20): with SLACK_ALERT_CHANNEL given by name (the
 * default, `alerts`), an incident's message went to the post lane `alerts` and its thread replies, addressed to the
 * channel id Slack answered with, to a lane `C0ALERTS1` of their own: a reply right after a post reached Slack
 * within the same second, and Slack answers the second post of a second in a channel with 429.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALERT_CHANNEL } from '../helpers/alerts.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { SLACK_PACING } from '../helpers/storm.js';

let h: TestHikeshi;
beforeAll(async () => {
  h = await startHikeshi({ overrides: { slackPacing: SLACK_PACING } });
  h.emulator.limits.useSlackLimits();
});
afterAll(async () => {
  await h.close();
});

it('spaces a thread reply from the message before it in the channel, by name or by id', async () => {
  const outcome = await h.app.services.incidents.ingest({
    action: 'trigger',
    title: 'Replica lag on db-7',
    severity: 'error',
    source: 'grafana',
    links: [],
  });
  if (outcome.action === 'ignored') throw new Error('not opened');
  // A note at once: its reply waits for the message, then for the channel's next second.
  await h.app.services.incidents.note(outcome.incident.id, {
    kind: 'note',
    actor: 'U0ALICE01',
    text: 'on it',
  });
  await h.app.settle();
  const stored = await h.app.services.incidents.get(outcome.incident.id);
  expect(h.emulator.workspace.thread(ALERT_CHANNEL, stored!.slack!.ts).map((m) => m.text)).toEqual([
    expect.stringContaining('Replica lag on db-7'),
    expect.stringContaining('on it'),
  ]);
  expect(h.emulator.workspace.calls.filter((c) => c.error === 'ratelimited')).toEqual([]);
});
