/**
 * Issue 20, silences and phone escalation: a silenced critical alert pages nobody (no phone chain after its
 * deadline, no Chatwork notice), and a new silence stops the phone chain of an incident it matches. The real app
 * against the Connect and Chatwork fakes; alerts and silences over HTTP; the manual clock moved by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../helpers/alerts.js';
import { SECOND, startEscalationHikeshi, startPhoneFakes, type PhoneFakes } from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';

const TOKEN = 'silences-escalation-token-2b7f';
const DEADLINE = 300 * SECOND;
const HOUR = 3_600_000;

let fakes: PhoneFakes;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  h = await startEscalationHikeshi(fakes, { env: { ALERTS_API_TOKEN: TOKEN } });
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});

const tick = async () => {
  await h.app.services.escalation.tick(h.clock.now());
  await h.app.settle();
};
const dialsFor = (id: unknown) => fakes.connect.dials.filter((d) => d.attributes['incidentId'] === id);
const noticesFor = (id: string) => fakes.chatwork.messages.filter((m) => m.body.includes(id));
const fire = async (key: string, service: string) => {
  const answer = await post(
    `${h.baseUrl}/api/alerts`,
    { title: `Checkout down [${key}]`, dedup_key: key, severity: 'critical', details: { service } },
    { token: TOKEN },
  );
  return { id: String(answer.body['incident_id']), silenced: answer.body['silenced'] === true };
};
const silence = async (matchers: string[]) => {
  const answer = await post(
    `${h.baseUrl}/api/silences`,
    { matchers, ends_at: new Date(h.clock.now() + 2 * HOUR).toISOString(), comment: 'maintenance' },
    { token: TOKEN },
  );
  expect(answer.status).toBe(201);
  return String(answer.body['id']);
};

describe('a silence pages nobody', () => {
  it('a silenced critical alert starts no phone chain and sends no Chatwork notice; one not silenced does', async () => {
    await silence(['label:service=payments']);
    const held = await fire('esc-silenced', 'payments');
    const loud = await fire('esc-loud', 'search');
    expect(held.silenced).toBe(true);
    expect(loud.silenced).toBe(false);
    await h.app.settle();
    await expect.poll(() => noticesFor(loud.id), { timeout: 5000 }).toHaveLength(1);
    h.clock.advance(DEADLINE);
    await tick();
    expect(dialsFor(loud.id)).toHaveLength(1);
    expect(dialsFor(held.id)).toHaveLength(0);
    expect(noticesFor(held.id)).toHaveLength(0);
  });

  it('a new silence stops the phone chain of an incident it matches, and no call follows', async () => {
    const { id } = await fire('esc-chain', 'inventory');
    h.clock.advance(DEADLINE);
    await tick();
    expect(dialsFor(id)).toHaveLength(1);
    await silence(['dedup_key=esc-chain']);
    const { chain } = await h.app.services.escalation.calls(id);
    expect(chain).toMatchObject({ phase: 'stopped', endReason: 'silenced' });
    expect((await h.app.services.incidents.get(id))?.silencedBy).toHaveLength(1);
    h.clock.advance(10 * 60 * SECOND);
    await tick();
    expect(dialsFor(id)).toHaveLength(1);
  });
});
