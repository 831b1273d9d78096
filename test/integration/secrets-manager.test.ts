/**
 * The real AWS SDK client against the Secrets Manager fake: endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER,
 * SigV4-signed requests, the seed's secret layout, and the failures operators meet (missing, denied, not JSON).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clearSecretsCache, loadConfigWithSecrets } from '../../src/config/index.js';
import { AppError, ErrorCode } from '../../src/errors.js';
import { createSecretsManagerReader } from '../../src/integrations/secrets-manager.js';
import { startSecretsManagerFake, type SecretsManagerFake } from '../fakes/secrets-manager.js';

const SEED_SECRET = {
  slack_token: 'xoxb-1234-5678-seedbottoken',
  slack_app_token: 'xapp-1-A0001-seedapptoken',
  slack_signing_secret: 'seed-signing-secret-0123456789',
  wiki_api_key: 'ATATT-seed-wiki-api-key',
  wiki_url: 'https://aws-chatops-workshop.atlassian.net/wiki',
  wiki_user: 'ops@example.com',
  bedrock_agent: 'AGENT00001',
  bedrock_agent_alias: 'ALIAS00001',
  CHATWORK_API_TOKEN: 'seed-chatwork-api-token',
  CHATWORK_ROOM_ID: '123456789',
};

const AWS_ENV = {
  AWS_ENDPOINT_URL_SECRETS_MANAGER: '', // set once the fake listens
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'us-west-2',
};

let fake: SecretsManagerFake;

beforeAll(async () => {
  fake = await startSecretsManagerFake(
    {
      'wn/chatops/secret': SEED_SECRET,
      'hikeshi/numbers':
        '{"CHATWORK_ROOM_ID": 987654321, "CHATWORK_API_TOKEN": "cw-token-1", "flag": true, "nested": {"a": 1}}',
      'hikeshi/not-json': 'xoxb-raw-token-not-json',
      'hikeshi/array': '["xoxb-in-an-array"]',
      'hikeshi/denied': { slack_token: 'xoxb-denied' },
    },
    { deny: ['hikeshi/denied'] },
  );
  // The SDK reads these from process.env; stubEnv restores them afterwards.
  for (const [name, value] of Object.entries({ ...AWS_ENV, AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url })) {
    vi.stubEnv(name, value);
  }
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  clearSecretsCache();
  await fake.close();
});

/** What `fn` rejects with, asserted to be a SecretsUnavailable AppError. */
async function unavailable(fn: () => Promise<unknown>): Promise<AppError> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(ErrorCode.SecretsUnavailable);
  return error as AppError;
}

describe('loadConfigWithSecrets with Secrets Manager', () => {
  it('fills the config from the seed secret keys, reading the secret once for several loads', async () => {
    const before = fake.requests.length;
    const env = { SECRETS_ID: 'wn/chatops/secret', AWS_REGION: 'us-west-2' };
    const [first, second] = await Promise.all([loadConfigWithSecrets(env), loadConfigWithSecrets(env)]);
    const third = await loadConfigWithSecrets(env);

    for (const config of [first, second, third]) {
      expect(config.slack.mode).toBe('socket');
      expect(config.slack.botToken?.reveal()).toBe(SEED_SECRET.slack_token);
      expect(config.slack.appToken?.reveal()).toBe(SEED_SECRET.slack_app_token);
      expect(config.slack.signingSecret?.reveal()).toBe(SEED_SECRET.slack_signing_secret);
      expect(config.wiki.url).toBe(SEED_SECRET.wiki_url);
      expect(config.wiki.user).toBe(SEED_SECRET.wiki_user);
      expect(config.wiki.apiKey?.reveal()).toBe(SEED_SECRET.wiki_api_key);
      expect(config.bedrock).toEqual({ agentId: 'AGENT00001', agentAliasId: 'ALIAS00001' });
      expect(config.chatwork.apiToken?.reveal()).toBe(SEED_SECRET.CHATWORK_API_TOKEN);
      expect(config.chatwork.roomId).toBe('123456789');
      expect(config.secretsId).toBe('wn/chatops/secret');
    }

    const requests = fake.requests.slice(before);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/',
      target: 'secretsmanager.GetSecretValue',
      contentType: 'application/x-amz-json-1.1',
      signed: true,
      signingRegion: 'us-west-2',
      signingService: 'secretsmanager',
      body: { SecretId: 'wn/chatops/secret' },
    });
  });

  it('lets the environment override a value from the secret', async () => {
    const config = await loadConfigWithSecrets({
      SECRETS_ID: 'wn/chatops/secret',
      AWS_REGION: 'us-west-2',
      SLACK_ALERT_CHANNEL: 'incidents',
      CHATWORK_ROOM_ID: '42',
    });
    expect(config.chatwork.roomId).toBe('42');
    expect(config.slack.alertChannel).toBe('incidents');
  });

  it('turns a missing secret into SecretsUnavailable naming the secret, and retries on the next load', async () => {
    const before = fake.requests.length;
    const env = { SECRETS_ID: 'hikeshi/missing', AWS_REGION: 'us-west-2' };
    const error = await unavailable(() => loadConfigWithSecrets(env));
    expect(error.message).toBe(
      'Cannot read secret "hikeshi/missing" from Secrets Manager: it does not exist in this region [ResourceNotFoundException]',
    );
    expect(error.details).toMatchObject({
      secretId: 'hikeshi/missing',
      awsError: 'ResourceNotFoundException',
    });

    fake.setSecret('hikeshi/missing', {
      slack_token: 'xoxb-now-present',
      slack_signing_secret: 'signing-now-present',
    });
    const config = await loadConfigWithSecrets(env);
    expect(config.slack.botToken?.reveal()).toBe('xoxb-now-present');
    expect(fake.requests.length - before).toBe(2);
  });
});

describe('createSecretsManagerReader', () => {
  const reader = () => createSecretsManagerReader({ region: 'us-west-2' });

  it('converts numbers and booleans to strings and skips nested values', async () => {
    expect(await reader().getSecretJson('hikeshi/numbers')).toEqual({
      CHATWORK_ROOM_ID: '987654321',
      CHATWORK_API_TOKEN: 'cw-token-1',
      flag: 'true',
    });
  });

  it('rejects a SecretString that is not JSON without quoting it', async () => {
    const error = await unavailable(() => reader().getSecretJson('hikeshi/not-json'));
    expect(error.message).toContain('"hikeshi/not-json"');
    expect(error.message).toContain('is not JSON');
    expect(error.message).not.toContain('xoxb');
    expect(error.cause).toBeUndefined();
  });

  it('rejects a JSON SecretString that is not an object', async () => {
    const error = await unavailable(() => reader().getSecretJson('hikeshi/array'));
    expect(error.message).toContain('is not a JSON object');
    expect(error.message).not.toContain('xoxb');
  });

  it('explains access denied', async () => {
    const error = await unavailable(() => reader().getSecretJson('hikeshi/denied'));
    expect(error.message).toContain('"hikeshi/denied"');
    expect(error.message).toContain('secretsmanager:GetSecretValue');
    expect(error.message).toContain('[AccessDeniedException]');
    expect(error.message).not.toContain('xoxb-denied');
  });

  it('uses a prebuilt client, e.g. one with its own endpoint and credentials', async () => {
    const client = new SecretsManagerClient({
      region: 'eu-west-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret' },
    });
    const before = fake.requests.length;
    const values = await createSecretsManagerReader({ region: 'eu-west-1', client }).getSecretJson(
      'wn/chatops/secret',
    );
    expect(values['slack_token']).toBe(SEED_SECRET.slack_token);
    expect(fake.requests[before]).toMatchObject({ signed: true, signingRegion: 'eu-west-1' });
    client.destroy();
  });

  it('wraps a refused connection too', async () => {
    const client = new SecretsManagerClient({
      region: 'us-west-2',
      endpoint: 'http://127.0.0.1:1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const error = await unavailable(() =>
      createSecretsManagerReader({ region: 'us-west-2', client }).getSecretJson('x'),
    );
    expect(error.message).toBe(
      'Cannot read secret "x" from Secrets Manager: the endpoint could not be reached (ECONNREFUSED)',
    );
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('the fake', () => {
  it('refuses unsigned requests the way AWS does', async () => {
    const response = await fetch(fake.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body: JSON.stringify({ SecretId: 'wn/chatops/secret' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect(fake.requests.at(-1)).toMatchObject({ signed: false });
  });
});
