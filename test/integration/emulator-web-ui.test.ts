/**
 * The emulator page's server side against the whole app (real Bolt over Socket Mode, real ingress): what the
 * page's POSTs do, the state it reads, the change stream, and the guards. The browser itself is covered by
 * test/e2e/walkthrough.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorPage } from '../../src/emulator-page.js';
import type { UiState, EmulatorWebUi } from '@hikeshi/slack-emulator/web';
import { escapeCommandText, splitCommand } from '@hikeshi/slack-emulator/web';
import { createLogger } from '../../src/logger.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';

const ALERTS = 'C0ALERTS1';

describe('emulator page server', () => {
  let h: TestHikeshi;
  let page: EmulatorWebUi;
  let server: Server;
  let url: string;

  const state = async (user = 'U0ALICE01'): Promise<UiState> =>
    (await (await fetch(`${url}/emulator/api/state?user=${user}`)).json()) as UiState;
  const post = (action: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/emulator/api/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const texts = async () => (await state()).messages[ALERTS]?.map((m) => m.text) ?? [];

  beforeAll(async () => {
    h = await startHikeshi();
    const logger = createLogger({ level: 'silent' });
    page = createEmulatorPage({
      config: h.app.config,
      emulator: h.emulator,
      appUrl: () => h.baseUrl,
      localPhone: h.app.localPhone,
      logger,
    });
    server = createServer((req, res) => page.listener(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    page.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await h.close();
  });

  it('serves the page and its assets, with a strict CSP', async () => {
    const html = await fetch(`${url}/`);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await html.text()).toContain('/emulator/app.js');
    const js = await fetch(`${url}/emulator/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await js.text()).length).toBeGreaterThan(1000);
    expect((await fetch(`${url}/emulator/styles.css`)).status).toBe(200);
    expect((await fetch(`${url}/emulator/nope.js`)).status).toBe(404);
    expect(page.owns('/')).toBe(true);
    expect(page.owns('/emulator/api/state?user=x')).toBe(true);
    expect(page.owns('/api/alerts')).toBe(false);
    expect(page.owns('/health')).toBe(false);
  });

  it('gives an unknown visitor the first person, the channels and the local phone', async () => {
    const s = await state('nobody');
    expect(s.user).toBe('U0ALICE01');
    expect(s.defaultChannel).toBe(ALERTS);
    expect(s.channels.map((c) => c.name)).toEqual(expect.arrayContaining(['alerts', 'general']));
    expect(s.users.filter((u) => !u.isBot).map((u) => u.name)).toEqual(['alice', 'bob', 'carol']);
    expect(s.phone?.available).toBe(true);
    expect(s.app).toMatchObject({
      name: 'Hikeshi',
      commands: ['/incident', '/oncall', '/maintenance', '/jobs'],
    });
    expect(s.menu?.id).toBe('test-alerts');
    expect(s.menu?.items.map((t) => t.id)).toEqual(['generic', 'alertmanager', 'job', 'github']);
  });

  it('sends each test alert through its public endpoint', async () => {
    for (const kind of ['generic', 'alertmanager', 'job', 'github']) {
      const response = await post('menu', { id: kind });
      const body = (await response.json()) as { ok: boolean; detail?: string; error?: string };
      expect(body, kind).toMatchObject({ ok: true });
      expect(body.detail).toMatch(/^POST \/(api|webhook)\/\S+ → 20[02]$/);
    }
    await expect
      .poll(texts)
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining('Checkout API error rate above 5%'),
          expect.stringContaining('Disk 96% full on db-1:9100'),
          expect.stringContaining('Nightly billing export'),
        ]),
      );
  });

  it('pushes a change event when the workspace changes', async () => {
    const controller = new AbortController();
    const response = await fetch(`${url}/emulator/api/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let seen = '';
    const read = (async () => {
      while (!seen.includes('event: change')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
    })();
    h.emulator.workspace.postMessage({ channel: 'C0GENERAL', user: 'U0BOB0001', text: 'hello' });
    await read;
    controller.abort();
    expect(seen).toContain('"type":"message_posted"');
  });

  it('runs a slash command as the chosen person, escaping mentions as Slack does', async () => {
    expect(splitCommand(' /oncall  add @bob ')).toEqual({ command: '/oncall', text: 'add @bob' });
    expect(escapeCommandText('add @bob +81 #alerts @nobody', h.emulator.workspace)).toBe(
      'add <@U0BOB0001|bob> +81 <#C0ALERTS1|alerts> @nobody',
    );
    const response = await post('command', {
      user: 'U0CAROL01',
      channel: ALERTS,
      text: '/oncall add @bob +819012345678',
    });
    expect(await response.json()).toEqual({ ok: true });
    // The reply comes after the ack, as an ephemeral message only Carol sees.
    const replies = async () => JSON.stringify((await state('U0CAROL01')).ephemerals);
    await expect.poll(replies).toContain('U0BOB0001');
    expect(await replies()).not.toContain('9012345678');
    expect((await state('U0BOB0001')).ephemerals).toEqual([]);
  });

  it('clicks a button on a message', async () => {
    const message = (await state()).messages[ALERTS]?.find((m) => m.text.includes('Checkout API'));
    const response = await post('click', {
      user: 'U0ALICE01',
      channel: ALERTS,
      messageTs: message?.ts,
      actionId: 'incident_ack',
      value: message?.text.match(/INC-\d+/)?.[0],
    });
    expect(await response.json()).toEqual({ ok: true });
    await expect
      .poll(async () => (await texts()).find((t) => t.includes('Checkout API')))
      .toContain('acknowledged');
  });

  it("chooses an option of a message's overflow menu, as Slack sends it", async () => {
    const message = (await state()).messages[ALERTS]?.find((m) => m.text.includes('Checkout API'));
    const id = message?.text.match(/INC-\d+/)?.[0];
    const choose = (optionValue: string) =>
      post('click', {
        user: 'U0ALICE01',
        channel: ALERTS,
        messageTs: message?.ts,
        actionId: 'incident_menu',
        optionValue,
      });
    expect(await (await choose(`${id}|severity:info`)).json()).toEqual({ ok: true });
    await expect.poll(async () => (await h.app.services.incidents.get(id ?? ''))?.severity).toBe('info');
    // An option the menu does not have is refused by the emulator, as Slack would never send it.
    const unknown = await choose(`${id}|severity:fatal`);
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect((await h.app.services.incidents.get(id ?? ''))?.severity).toBe('info');
  });

  it('opens, then submits a modal', async () => {
    expect(
      await (await post('command', { user: 'U0ALICE01', channel: ALERTS, text: '/incident new' })).json(),
    ).toEqual({
      ok: true,
    });
    await expect.poll(async () => (await state()).modal?.definition['callback_id']).toBe('incident_new');
    const modal = (await state()).modal;
    const submitted = await post('submit', {
      user: 'U0ALICE01',
      viewId: modal?.id,
      values: { title: 'Made on the page', message: null, severity: 'warning' },
    });
    expect(await submitted.json()).toEqual({ ok: true });
    expect((await state()).modal).toBeUndefined();
    await expect.poll(texts).toEqual(expect.arrayContaining([expect.stringContaining('Made on the page')]));
  });

  it('keeps a modal open with the errors the app answers, then closes it', async () => {
    await post('command', { user: 'U0ALICE01', channel: ALERTS, text: '/oncall edit' });
    // views.open comes after the ack.
    await expect.poll(async () => (await state()).modal?.definition['callback_id']).toBe('oncall_edit');
    const modal = (await state()).modal!;
    const inputs = (
      modal.definition['blocks'] as { type: string; element?: { type: string; action_id: string } }[]
    )
      .filter((b) => b.type === 'input')
      .map((b) => b.element!);
    const person = inputs.find((e) => e.type === 'users_select')!.action_id;
    const phone = inputs.find((e) => e.type === 'plain_text_input')!.action_id;
    const submitted = await post('submit', {
      user: 'U0ALICE01',
      viewId: modal.id,
      values: { [person]: 'U0CAROL01', [phone]: 'call me maybe' },
    });
    expect(await submitted.json()).toEqual({ ok: true });
    const after = (await state()).modal;
    expect(after?.id).toBe(modal.id);
    expect(Object.values(after?.errors ?? {})).toEqual([expect.stringContaining('E.164')]);
    expect(await (await post('close', { user: 'U0ALICE01', viewId: modal.id })).json()).toEqual({ ok: true });
    expect((await state()).modal).toBeUndefined();
  });

  it('answers a local call through the contact-flow endpoint, showing only a masked number', async () => {
    const phone = h.app.localPhone!;
    const { contactId } = await phone.startCall({
      phone: '+819012345678',
      attributes: { incidentId: 'INC-999', incidentTitle: 'Nobody knows this one' },
      clientToken: 'page-test-1',
    });
    const ringing = (await state()).phone?.calls.find((c) => c.id === contactId);
    expect(ringing).toMatchObject({ status: 'ringing', subject: 'INC-999' });
    expect(JSON.stringify(ringing)).not.toContain('9012345678');
    const answered = (await (await post('phone', { callId: contactId, answer: 'decline' })).json()) as {
      ok: boolean;
      detail?: string;
    };
    expect(answered.ok).toBe(true);
    expect(answered.detail).toMatch(/\S/);
    expect((await state()).phone?.calls.find((c) => c.id === contactId)?.status).toBe('declined');
    expect(await (await post('phone', { callId: contactId, answer: 'accept' })).json()).toEqual({
      ok: false,
      error: 'this call is over',
    });
  });

  it('refuses what a real page never sends, and changes nothing', async () => {
    const before = h.emulator.workspace.postCalls().length;
    expect(
      (
        await post(
          'command',
          { user: 'U0ALICE01', channel: ALERTS, text: '/incident list' },
          { 'content-type': 'text/plain' },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await post(
          'command',
          { user: 'U0ALICE01', channel: ALERTS, text: '/incident list' },
          { origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    const bad = await post('command', { user: 'U0ALICE01', channel: ALERTS });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^text:/);
    expect((await post('nope', {})).status).toBe(404);
    expect((await post('menu', { id: 'pagerduty' })).status).toBe(400);
    const missing = await post('click', {
      user: 'U0ALICE01',
      channel: ALERTS,
      messageTs: '1.000001',
      actionId: 'x',
    });
    expect(missing.status).toBe(502);
    expect(((await missing.json()) as { error: string }).error).toContain('no message');
    expect(h.emulator.workspace.postCalls().length).toBe(before);
  });
});
