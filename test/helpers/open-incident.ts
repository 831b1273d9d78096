/** Opens an incident through the real incident service and waits until its Slack message is posted. */
import { expect } from 'vitest';
import type { AlertSignal } from '../../src/domain/alert.js';
import type { TestHikeshi } from './hikeshi.js';

let seq = 0;

export async function openIncident(
  h: TestHikeshi,
  overrides: Partial<AlertSignal> = {},
): Promise<{ id: string; ts: string }> {
  seq += 1;
  const outcome = await h.app.services.incidents.ingest({
    action: 'trigger',
    title: `Payment API returns 502 (${seq})`,
    message: 'upstream connect error or disconnect/reset before headers: connection refused',
    severity: 'critical',
    source: 'alertmanager',
    details: { service: 'payments', region: 'ap-northeast-1' },
    links: [],
    dedupKey: `open-incident-${seq}-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  });
  if (outcome.action === 'ignored') throw new Error(`not opened: ${outcome.reason}`);
  const id = outcome.incident.id;
  await expect
    .poll(async () => (await h.app.services.incidents.get(id))?.slack?.ts, { timeout: 5000 })
    .toBeTruthy();
  const incident = await h.app.services.incidents.get(id);
  return { id, ts: incident?.slack?.ts ?? '' };
}
