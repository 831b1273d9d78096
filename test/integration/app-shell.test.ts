import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_USAGE } from '../../src/listeners/commands/incident.js';
import { postSignedToSlackEndpoint } from '../helpers/slack-signing.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';

const ALICE = 'U0ALICE01';

describe.each(['socket', 'http'] as const)('the Hikeshi app over %s', (transport) => {
  let h: TestHikeshi;
  beforeAll(async () => {
    h = await startHikeshi({ transport });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers GET /health on the same port', async () => {
    const res = await fetch(`${h.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'healthy' });
  });

  it('answers /incident help with the usage, ephemerally', async () => {
    const result = await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: 'alerts',
      command: '/incident',
      text: 'help',
    });
    expect(result.ack.payload).toMatchObject({ response_type: 'ephemeral', text: INCIDENT_USAGE });
  });

  it('publishes App Home when it is opened', async () => {
    await h.emulator.actions.openAppHome(ALICE);
    await expect.poll(() => h.emulator.workspace.views.home(ALICE)).toBeTruthy();
  });
});

describe('GET /health when the store cannot serve', () => {
  it("answers 503 with the store's reason, from a real read", async () => {
    const h = await startHikeshi();
    try {
      await h.store.close();
      const res = await fetch(`${h.baseUrl}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unhealthy', store: 'embedded DynamoDB is closed' });
    } finally {
      await h.close();
    }
  });
});

describe('the HTTP receiver refuses unsigned Slack requests', () => {
  let h: TestHikeshi;
  beforeAll(async () => {
    h = await startHikeshi({ transport: 'http' });
  });
  afterAll(async () => {
    await h.close();
  });

  const body = 'command=%2Fincident&text=help&user_id=U0ALICE01&channel_id=C0ALERTS1&team_id=T0LOCAL01';

  it('401 for a bad signature', async () => {
    const res = await postSignedToSlackEndpoint(`${h.baseUrl}/slack/events`, {
      body,
      contentType: 'application/x-www-form-urlencoded',
      signingSecret: 'not-the-secret',
    });
    expect(res.status).toBe(401);
  });

  it('401 for a timestamp over 5 minutes old', async () => {
    const res = await postSignedToSlackEndpoint(`${h.baseUrl}/slack/events`, {
      body,
      contentType: 'application/x-www-form-urlencoded',
      signingSecret: h.emulator.signingSecret,
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
  });

  it('401 when the signature headers are missing', async () => {
    const res = await fetch(`${h.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status).toBe(401);
    expect(h.emulator.workspace.postCalls()).toHaveLength(0);
  });
});
