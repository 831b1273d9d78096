/**
 * What the Slack publisher reads to post a new incident's message: once, when the channel's pacing lets the post
 * go (what is posted is what is stored then). The opener knows its incident has no message yet, so a read made
 * before the post's turn would only be thrown away: in a storm of new alerts that was one of five store calls
 * per alert. Real Web API client against the local emulator; the incidents live in a map whose reads are counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIncident, type Incident } from '../../src/domain/incident.js';
import { startSlackEmulator, type SlackEmulator } from '@hikeshi/slack-emulator';
import { localSlackWorkspace } from '../../src/local-slack.js';
import { createSlackIncidentPublisher } from '../../src/integrations/slack-incident-publisher.js';
import { createSlackWebClient } from '../../src/integrations/slack-web-client.js';
import { createLogger } from '../../src/logger.js';

const CHANNEL = 'C0ALERTS1';
const OPENED = 5;

let emulator: SlackEmulator;
beforeAll(async () => {
  emulator = await startSlackEmulator({ workspace: localSlackWorkspace() });
});
afterAll(async () => {
  await emulator.close();
});

describe('Slack publisher reads', () => {
  it('posts a new incident with one read of it, made when its post goes out', async () => {
    const logger = createLogger({ level: 'silent' });
    const stored = new Map<string, Incident>();
    const reads = new Map<string, number>();
    const publisher = createSlackIncidentPublisher({
      client: createSlackWebClient({ botToken: emulator.botToken, apiUrl: emulator.apiUrl, logger }),
      channel: CHANNEL,
      load: (id) => {
        reads.set(id, (reads.get(id) ?? 0) + 1);
        return Promise.resolve(stored.get(id));
      },
      attach: (id, slack) => {
        const incident = stored.get(id);
        if (incident) stored.set(id, { ...incident, slack });
        return Promise.resolve();
      },
      logger,
      minUpdateIntervalMs: 50,
      channelPostIntervalMs: 20,
    });

    const ids: string[] = [];
    for (let number = 1; number <= OPENED; number += 1) {
      const incident = openIncident({
        number,
        signal: { action: 'trigger', title: `Disk full ${number}`, severity: 'error', links: [] },
        fingerprint: `disk-${number}`,
        now: Date.now(),
      });
      stored.set(incident.id, incident);
      ids.push(incident.id);
      publisher.sync(incident.id, { poster: true });
    }
    await publisher.flush();

    const posted = emulator.workspace.messages(CHANNEL);
    expect(posted).toHaveLength(OPENED);
    for (const id of ids) {
      expect(stored.get(id)?.slack?.ts).toBeDefined();
      expect(posted.filter((m) => m.ts === stored.get(id)?.slack?.ts)).toHaveLength(1);
      expect(reads.get(id)).toBe(1);
    }
  });
});
