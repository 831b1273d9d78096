/**
 * Issue 20: an incident in a storm digest is still escalated by its policy. Its phone chain's notes need a thread,
 * so when the chain starts the incident gets its own message (the call's note in its thread); the incidents of the
 * digest that do not escalate stay in it. Through the real escalation service, the Connect fake and the emulator.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inDigestOnly } from '../../src/domain/digest.js';
import { ALERT_CHANNEL, postedMessage } from '../helpers/alerts.js';
import { SECOND, startEscalationHikeshi, startPhoneFakes, type PhoneFakes } from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { stormView } from '../helpers/storm.js';

let fakes: PhoneFakes;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  h = await startEscalationHikeshi(fakes, { env: { DIGEST_AFTER: '1' } });
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});

it('phones about a digested critical incident, giving it its own message as its chain starts; the others stay digested', async () => {
  const opened = [];
  for (const [n, severity] of (['warning', 'critical', 'warning'] as const).entries()) {
    const outcome = await h.app.services.incidents.ingest({
      action: 'trigger',
      title: `Payments API ${['latency', 'down', 'errors'][n]}`,
      dedupKey: `escalation-storm-${n}`,
      severity,
      source: 'grafana',
      links: [],
    });
    if (outcome.action === 'ignored') throw new Error('not opened');
    opened.push(outcome.incident);
  }
  const [, critical, warning] = opened;
  expect(inDigestOnly(critical!)).toBe(true);
  await h.app.settle();
  expect(stormView(h).digests).toEqual([expect.objectContaining({ shown: 2 })]);

  h.clock.advance(300 * SECOND);
  await h.app.services.escalation.tick(h.clock.now());
  expect(fakes.connect.dials.filter((d) => d.attributes['incidentId'] === critical!.id)).toHaveLength(1);

  const own = await postedMessage(h, critical!.id);
  await expect
    .poll(
      () =>
        h.emulator.workspace
          .thread(ALERT_CHANNEL, own.ts)
          .map((m) => m.text)
          .join('\n'),
      { timeout: 5_000 },
    )
    .toMatch(/📞/);
  await h.app.settle();
  expect(inDigestOnly((await h.app.services.incidents.get(warning!.id))!)).toBe(true);
  expect(stormView(h).own).toEqual(new Set([opened[0]!.id, critical!.id]));
});
