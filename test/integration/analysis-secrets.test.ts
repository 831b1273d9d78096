/**
 * The seed's secret layout configures the outside systems: one Secrets Manager secret (`wn/chatops/secret`, read
 * through the real SDK client from the fake, located by AWS_ENDPOINT_URL_SECRETS_MANAGER) holds the agent ids, the
 * Confluence URL, user and key, and the Chatwork token and room. Then analysis, a failure notice and a report run
 * through them — and log capture, at trace level and with no scrubber help, proves that no token or key was logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecretsCache } from '../../src/config/index.js';
import { Actions } from '../../src/blocks/ids.js';
import { errorScript } from '../fakes/bedrock-agent.js';
import { startSecretsManagerFake, type SecretsManagerFake } from '../fakes/secrets-manager.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs, type LogCapture } from '../helpers/log-capture.js';
import { openIncident } from '../helpers/open-incident.js';
import {
  AGENT_ALIAS_ID,
  AGENT_ID,
  AWS_SECRET,
  CHATWORK_ROOM,
  CHATWORK_TOKEN,
  SPACE,
  WIKI_API_KEY,
  WIKI_USER,
  startOutsideFakes,
  type OutsideFakes,
} from '../helpers/outside-fakes.js';

const CHANNEL = 'C0ALERTS1';
const ALICE = 'U0ALICE01';
const SECRET_ID = 'wn/chatops/secret';

describe('outside systems configured from Secrets Manager', () => {
  let fakes: OutsideFakes;
  let secrets: SecretsManagerFake;
  let logs: LogCapture;
  let h: TestHikeshi;

  beforeAll(async () => {
    fakes = await startOutsideFakes();
    secrets = await startSecretsManagerFake({
      [SECRET_ID]: {
        bedrock_agent: AGENT_ID,
        bedrock_agent_alias: AGENT_ALIAS_ID,
        wiki_url: `${fakes.confluence.url}/wiki`,
        wiki_user: WIKI_USER,
        wiki_api_key: WIKI_API_KEY,
        CHATWORK_API_TOKEN: CHATWORK_TOKEN,
        CHATWORK_ROOM_ID: CHATWORK_ROOM,
      },
    });
    fakes.setProcessEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secrets.url);
    clearSecretsCache();
    logs = captureLogs();
    // Only what is not a secret comes from the environment.
    h = await startHikeshi({
      logger: logs.logger,
      env: {
        SECRETS_ID: SECRET_ID,
        AWS_REGION: 'ap-northeast-1',
        CONFLUENCE_SPACE: SPACE,
        CHATWORK_API_URL: fakes.env['CHATWORK_API_URL'] ?? '',
        DATA_DIR: fakes.dataDir,
        LOG_LEVEL: 'trace',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await secrets?.close();
    await fakes?.close();
    clearSecretsCache();
  });

  it('reads the secret once, then analyses, notifies and reports with its values, logging none of them', async () => {
    expect(secrets.requests).toHaveLength(1);
    expect(secrets.requests[0]).toMatchObject({
      target: 'secretsmanager.GetSecretValue',
      signed: true,
      signingRegion: 'ap-northeast-1',
      body: { SecretId: SECRET_ID },
    });

    // A failing analysis: the agent ids come from the secret, the notice reaches the secret's room.
    const { id, ts } = await openIncident(h, { severity: 'warning' });
    fakes.bedrock.script(errorScript('AccessDeniedException', 'denied'));
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.toBedrockAgent,
    });
    await expect.poll(() => fakes.chatwork.messages.length, { timeout: 5000 }).toBe(1);
    expect(fakes.bedrock.requests[0]).toMatchObject({ agentId: AGENT_ID, agentAliasId: AGENT_ALIAS_ID });
    expect(fakes.chatwork.messages[0]).toMatchObject({ roomId: CHATWORK_ROOM });
    expect(fakes.chatwork.messages[0]?.body).toContain('🔴 エラー種別: MODEL_ACCESS_DENIED');

    // A report: Confluence with the secret's URL, user and key.
    fakes.bedrock.script({ type: 'chunks', chunks: ['## Summary\nAccess was denied.'] });
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.reporting,
    });
    await expect.poll(() => fakes.confluence.pages.size, { timeout: 5000 }).toBe(1);
    await h.app.services.defer.drain();
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.report?.version).toBe(1);

    const text = logs.text();
    expect(logs.lines().length).toBeGreaterThan(10);
    const basic = Buffer.from(`${WIKI_USER}:${WIKI_API_KEY}`).toString('base64');
    for (const secret of [CHATWORK_TOKEN, WIKI_API_KEY, AWS_SECRET, basic])
      expect(text).not.toContain(secret);
  });
});
