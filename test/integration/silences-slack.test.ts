/**
 * Issue 20, silences from Slack: `/incident silence [ID] 2h [comment]` (the incident's fingerprint),
 * `/maintenance start 2h label:service=payments [comment]`, `/maintenance list`, `/maintenance end <id>`, and App
 * Home's list, through the emulator's actions against the real Bolt app over signed HTTP (the emulator signs each
 * request with the app's signing secret, as Slack does). What is posted is read back through the Web API.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_CHANNEL, post } from '../helpers/alerts.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';
import { emulatorWebClient } from '@hikeshi/slack-emulator/testing';

const TOKEN = 'silences-slack-token-77e1';
const ALICE = 'U0ALICE01';

let h: TestHikeshi;
let slack: WebClient;

beforeAll(async () => {
  h = await startHikeshi({
    transport: 'http',
    env: { ALERTS_API_TOKEN: TOKEN, SLACK_ALERT_CHANNEL: ALERT_CHANNEL },
  });
  slack = emulatorWebClient(h.emulator);
});
afterAll(async () => {
  await h.close();
});

const run = (command: '/incident' | '/maintenance', text: string) =>
  h.emulator.actions.runCommand({ userId: ALICE, channelId: ALERT_CHANNEL, command, text });
const ephemerals = () =>
  h.emulator.workspace.ephemerals
    .filter((e) => e.user === ALICE)
    .map((e) => `${e.text ?? ''} ${JSON.stringify(e.blocks ?? [])}`);
const lastEphemeral = () => ephemerals().at(-1) ?? '';
const alert = (body: Record<string, unknown>) => post(`${h.baseUrl}/api/alerts`, body, { token: TOKEN });
async function channelTexts(): Promise<string[]> {
  const history = await slack.conversations.history({ channel: ALERT_CHANNEL, limit: 200 });
  return (history.messages ?? []).map((m) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`);
}
const mentioning = async (text: string) => (await channelTexts()).filter((t) => t.includes(text));

describe('/incident silence', () => {
  it("silences the incident's fingerprint: its repeats post nothing in its thread; a bad duration gets the usage", async () => {
    const { id, ts } = await openIncident(h, { dedupKey: 'slack-silence-1', severity: 'warning' });
    const before = (await h.app.services.incidents.get(id))?.count ?? 0;
    await run('/incident', `silence ${id} forever`);
    await expect.poll(lastEphemeral).toContain('is not a duration');
    await run('/incident', `silence ${id} 2h deploying the fix`);
    await expect.poll(lastEphemeral).toContain(`🔕 Silenced the alert of *${id}*`);
    const silence = (await h.store.silences.list()).find((s) => s.incidentId === id);
    expect(silence).toMatchObject({
      fingerprint: 'slack-silence-1',
      comment: 'deploying the fix',
      createdBy: ALICE,
    });
    await expect
      .poll(async () => (await h.app.services.incidents.get(id))?.silencedBy)
      .toEqual([silence?.id]);
    // The message says so (an edit, not a post).
    const message = async () =>
      (await slack.conversations.history({ channel: ALERT_CHANNEL, latest: ts, inclusive: true, limit: 1 }))
        .messages?.[0];
    await expect
      .poll(async () => JSON.stringify((await message())?.blocks), { timeout: 5000 })
      .toContain('🔕 silenced');

    // A new firing of higher severity would say so in the thread; silenced, it is counted and says nothing.
    const repeat = await alert({
      title: 'ignored for the fingerprint',
      dedup_key: 'slack-silence-1',
      severity: 'critical',
    });
    expect(repeat.body).toMatchObject({ incident_id: id, silenced: true });
    await h.app.services.incidents.flush();
    await h.app.services.publisher.flush();
    expect((await h.app.services.incidents.get(id))?.count).toBe(before + 1);
    const thread = await slack.conversations.replies({ channel: ALERT_CHANNEL, ts });
    expect(thread.messages?.slice(1) ?? []).toEqual([]);
  });
});

describe('/maintenance', () => {
  it('start, list (and App Home), end: the window holds matching alerts and its end lists them in one message', async () => {
    await run('/maintenance', 'start 2h label:service=payments checkout DB upgrade');
    await expect.poll(lastEphemeral).toContain('🔕 Silenced `label:service=payments`');
    const window = (await h.store.silences.list()).find((s) => s.matchers.includes('label:service=payments'));
    expect(window).toMatchObject({ comment: 'checkout DB upgrade', createdBy: ALICE });
    const id = window?.id ?? '';

    await run('/maintenance', 'list');
    await expect.poll(lastEphemeral).toContain(id);
    expect(lastEphemeral()).toContain('checkout DB upgrade');
    await h.emulator.actions.openAppHome(ALICE);
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.views.home(ALICE) ?? {}), { timeout: 5000 })
      .toContain(id);

    const held = await alert({
      title: 'Checkout DB connections exhausted',
      dedup_key: 'maintenance-1',
      severity: 'critical',
      details: { service: 'payments' },
    });
    expect(held.body['silenced']).toBe(true);
    const heldId = String(held.body['incident_id']);
    await h.app.services.publisher.flush();
    expect(await mentioning(heldId)).toEqual([]);

    await run('/maintenance', `end ${id}`);
    await expect.poll(lastEphemeral).toContain(`Ended \`${id}\`. 1 alert it held is still firing`);
    await expect.poll(() => mentioning(heldId), { timeout: 5000 }).toHaveLength(1);
    expect((await mentioning(heldId))[0]).toContain(`Silence \`${id}\` was ended by <@${ALICE}>`);
    await run('/maintenance', `end ${id}`);
    await expect.poll(lastEphemeral).toContain('has already ended');
    expect(await mentioning(heldId)).toHaveLength(1);
  });

  it('refuses what it cannot do, with the usage', async () => {
    await run('/maintenance', 'start 2h');
    await expect.poll(lastEphemeral).toContain('Say what to silence');
    await run('/maintenance', 'start 2h label:team~payments');
    await expect.poll(lastEphemeral).toContain('label:team~payments');
    await run('/maintenance', 'start 31d label:team=payments');
    await expect.poll(lastEphemeral).toContain('at most 30 days');
    await run('/maintenance', 'start 2h label:team=~".*"');
    await expect.poll(lastEphemeral).toContain('would match every alert');
    await run('/maintenance', 'end sil-0000abcd');
    await expect.poll(lastEphemeral).toContain('No silence `sil-0000abcd`');
    expect((await h.store.silences.list()).filter((s) => s.matchers.some((m) => m.includes('team')))).toEqual(
      [],
    );
  });
});
