import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { inspect, format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  CONFIG_VARIABLES,
  Secret,
  loadConfig,
  loadConfigWithSecrets,
  secretValuesOf,
  type Config,
  type FetchSecret,
} from '../../src/config/index.js';
import { AppError, ErrorCode } from '../../src/errors.js';

const BOT = 'xoxb-1111-2222-bot-token-value';
const APP = 'xapp-1-A111-app-token-value';
const SIGNING = 'signing-secret-value-0123456789';
/** The Slack settings a production process needs (HTTP mode). */
const SLACK_HTTP = { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING };

/** The ConfigInvalid error loadConfig throws for `env` (and `secrets`). */
function configError(
  env: Record<string, string | undefined>,
  secrets: Record<string, string> = {},
): AppError {
  try {
    loadConfig(env, secrets);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.ConfigInvalid);
    return error as AppError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig defaults', () => {
  it('runs locally with nothing set: emulator, embedded store, pretty logs', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      onLambda: false,
      localMode: true,
      port: 3000,
      webConcurrency: 1,
      shutdownGraceSeconds: 10,
      logLevel: 'info',
      logFormat: 'pretty',
      dataDir: '.data',
      store: 'embedded',
      awsRegion: 'us-east-1',
      tables: {
        callStatus: 'CallStatus',
        inProgress: 'InProgress',
        responders: 'Responders',
        callHistory: 'CallHistory',
        incidents: 'Incidents',
        jobReports: 'JobReports',
        dedup: 'Dedup',
        oncall: 'Oncall',
        silences: 'Silences',
        escalations: 'Escalations',
        contacts: 'Contacts',
      },
      slack: { mode: 'emulator', alertChannel: 'alerts', digestAfter: 5 },
      respondersGroupId: 'default',
      defaultPhoneRegion: 'JP',
      historyTtlDays: 30,
      reopenWindowMinutes: 60,
      publicUrl: 'http://localhost:3000',
      jobTickSeconds: 60,
      connect: {},
      escalation: {
        severity: 'critical',
        afterSeconds: 300,
        retrySeconds: 30,
        rounds: 3,
        tickSeconds: 15,
        answerTimeoutSeconds: 120,
      },
      wiki: {},
      confluence: {},
      bedrock: {},
      chatwork: { apiUrl: 'https://api.chatwork.com/v2' },
      github: { apiUrl: 'https://api.github.com' },
      gitlab: { url: 'https://gitlab.com' },
      tasks: { label: 'coding agent', queue: 'hikeshi.tasks', maxAttempts: 5, slackChannel: 'alerts' },
    } satisfies Config);
  });

  it('runs one HTTP process in local mode and on Lambda, one a core in production unless WEB_CONCURRENCY says', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ NODE_ENV: 'production', ...SLACK_HTTP }).webConcurrency).toBe(availableParallelism());
    expect(loadConfig({ NODE_ENV: 'production', WEB_CONCURRENCY: '3', ...SLACK_HTTP }).webConcurrency).toBe(
      3,
    );
    expect(
      loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'f', WEB_CONCURRENCY: '3', ...SLACK_HTTP }).webConcurrency,
    ).toBe(1);
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(
      /WEB_CONCURRENCY: the local Slack emulator runs in one process/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', WEB_CONCURRENCY: '0', ...SLACK_HTTP })).toThrow(
      /WEB_CONCURRENCY/,
    );
  });

  it('logs JSON in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', ...SLACK_HTTP });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      logFormat: 'json',
      store: 'embedded',
      onLambda: false,
      localMode: false,
    });
  });

  it('on Lambda: JSON logs and DynamoDB, each overridable', () => {
    expect(loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'hikeshi-ingress', ...SLACK_HTTP })).toMatchObject({
      onLambda: true,
      localMode: false,
      logFormat: 'json',
      store: 'dynamodb',
    });
    expect(
      loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'f', LOG_FORMAT: 'pretty', STORE: 'embedded', ...SLACK_HTTP }),
    ).toMatchObject({
      logFormat: 'pretty',
      store: 'embedded',
    });
  });

  it('takes AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(loadConfig({ AWS_DEFAULT_REGION: 'ap-northeast-1' }).awsRegion).toBe('ap-northeast-1');
    expect(loadConfig({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-northeast-1' }).awsRegion).toBe(
      'us-west-2',
    );
  });

  it('passes the seed table variables and TABLE_PREFIX to the store', () => {
    const tables = loadConfig({ CALL_STATUS_TABLE: 'prod-CallStatus', TABLE_PREFIX: 'hk-' }).tables;
    expect(tables.callStatus).toBe('prod-CallStatus');
    expect(tables.responders).toBe('hk-Responders');
  });

  it('reads every other setting', () => {
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: '/tmp/hikeshi',
      LOG_LEVEL: 'debug',
      SLACK_ALERT_CHANNEL: 'incidents',
      RESPONDERS_GROUP_ID: 'sre',
      HISTORY_TTL_DAYS: '7',
      SECRETS_ID: 'wn/chatops/secret',
      CONFLUENCE_SPACE: 'OPS',
      CONFLUENCE_PARENT_ID: '12345',
      CHATWORK_API_URL: 'http://127.0.0.1:9999/v2/',
    });
    expect(config).toMatchObject({
      port: 0,
      dataDir: '/tmp/hikeshi',
      logLevel: 'debug',
      slack: { alertChannel: 'incidents' },
      respondersGroupId: 'sre',
      historyTtlDays: 7,
      secretsId: 'wn/chatops/secret',
      confluence: { spaceKey: 'OPS', parentId: '12345' },
      chatwork: { apiUrl: 'http://127.0.0.1:9999/v2' },
    });
  });

  it('treats empty and blank strings as unset and trims values', () => {
    const config = loadConfig({
      PORT: '',
      LOG_LEVEL: '  ',
      SLACK_BOT_TOKEN: '',
      SLACK_ALERT_CHANNEL: ' ops \n',
    });
    expect(config).toMatchObject({
      port: 3000,
      logLevel: 'info',
      slack: { mode: 'emulator', alertChannel: 'ops' },
    });
  });

  it.each([
    ['INFO', 'info'],
    ['WARNING', 'warn'],
    ['Warn', 'warn'],
    ['CRITICAL', 'fatal'],
    ['DEBUG', 'debug'],
    ['silent', 'silent'],
  ])('accepts LOG_LEVEL=%s as %s', (value, level) => {
    expect(loadConfig({ LOG_LEVEL: value }).logLevel).toBe(level);
  });
});

describe('local mode and production (issue 17)', () => {
  const problemsOf = (env: Record<string, string | undefined>, secrets?: Record<string, string>) =>
    configError(env, secrets)
      .message.split('\n')
      .slice(1)
      .map((line) => /^ {2}- ([A-Z_0-9]+)/.exec(line)?.[1]);

  it('is local mode unless NODE_ENV=production or on Lambda: the emulator needs no Slack setting', () => {
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      expect(loadConfig({ NODE_ENV })).toMatchObject({ localMode: true, slack: { mode: 'emulator' } });
    }
  });

  it('refuses a production process without a Slack token instead of falling back to the emulator', () => {
    expect(configError({ NODE_ENV: 'production' }).message).toBe(
      'Invalid configuration:\n' +
        '  - SLACK_BOT_TOKEN: required in production (NODE_ENV=production or on AWS Lambda): the local Slack emulator exists only in local mode\n' +
        '  - SLACK_SIGNING_SECRET: required in production (NODE_ENV=production or on AWS Lambda) unless SLACK_APP_TOKEN is set (Socket Mode)',
    );
  });

  it.each([[''], ['   '], [undefined]])(
    'counts SLACK_BOT_TOKEN=%j as missing in production, even with a signing secret',
    (token) => {
      expect(
        problemsOf({ NODE_ENV: 'production', SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: SIGNING }),
      ).toEqual(['SLACK_BOT_TOKEN']);
      // The same through the SECRETS_ID secret: an empty value is no value.
      expect(
        problemsOf({ NODE_ENV: 'production' }, { slack_token: token ?? '', slack_signing_secret: SIGNING }),
      ).toEqual(['SLACK_BOT_TOKEN']);
    },
  );

  it('treats AWS Lambda as production whatever NODE_ENV says; there Slack comes over HTTP only', () => {
    for (const NODE_ENV of [undefined, 'development']) {
      expect(problemsOf({ NODE_ENV, AWS_LAMBDA_FUNCTION_NAME: 'hikeshi-prod-ingress' })).toEqual([
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
      ]);
    }
    expect(
      configError({ AWS_LAMBDA_FUNCTION_NAME: 'f', SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).message,
    ).toContain(
      '  - SLACK_SIGNING_SECRET: required on AWS Lambda: Slack reaches the slack function over HTTP',
    );
    expect(loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'f', ...SLACK_HTTP })).toMatchObject({
      localMode: false,
      slack: { mode: 'http' },
    });
  });

  it('accepts Socket Mode in production off Lambda', () => {
    expect(loadConfig({ NODE_ENV: 'production', SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP })).toMatchObject({
      localMode: false,
      slack: { mode: 'socket' },
    });
  });

  it('names, in one error, the secret of every route another setting asks for', () => {
    const env = {
      NODE_ENV: 'production',
      ...SLACK_HTTP,
      GITHUB_TOKEN: 'ghp_comment_token',
      GITLAB_TOKEN: 'glpat-comment-token',
      CONNECT_INSTANCE_REGION: 'ap-northeast-1',
      CONNECT_INSTANCE_ID: 'inst-1',
      CONNECT_CONTACT_FLOW_ID: 'flow-1',
      CONNECT_SOURCE_PHONE: '+815012345678',
    };
    const message = configError(env).message;
    expect(problemsOf(env)).toEqual([
      'CONNECT_CALLBACK_TOKEN',
      'GITHUB_WEBHOOK_SECRET',
      'GITLAB_WEBHOOK_TOKEN',
    ]);
    expect(message).toContain(
      '  - GITHUB_WEBHOOK_SECRET: required in production (NODE_ENV=production or on AWS Lambda) when GITHUB_TOKEN is set (POST /webhook/github)',
    );
    expect(message).toContain('POST /api/connect/contact-flow');
    expect(message).not.toContain('ghp_comment_token');

    // Each is satisfied by its secret (a GitLab system hook is enough for GitLab)…
    expect(
      loadConfig({
        ...env,
        CONNECT_CALLBACK_TOKEN: 'callback-token',
        GITHUB_WEBHOOK_SECRET: 'github-secret',
        GITLAB_SYSTEM_HOOK_TOKEN: 'system-hook-token',
      }).localMode,
    ).toBe(false);
    // …on Lambda the contact flow invokes connectFlow directly, so Connect needs no callback token there…
    expect(problemsOf({ ...env, AWS_LAMBDA_FUNCTION_NAME: 'f' })).toEqual([
      'GITHUB_WEBHOOK_SECRET',
      'GITLAB_WEBHOOK_TOKEN',
    ]);
    // …and in local mode the emulator's development secrets stand in.
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).localMode).toBe(true);
  });

  it('leaves a route nothing asks for off in production, without an error', () => {
    const config = loadConfig({ NODE_ENV: 'production', ...SLACK_HTTP });
    expect(config.alertsApiToken).toBeUndefined();
    expect(config.jobReportSecret).toBeUndefined();
    expect(config.metricsToken).toBeUndefined();
  });
});

describe('Slack modes', () => {
  it('emulator without a bot token', () => {
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:3000/api/' }).slack).toEqual({
      mode: 'emulator',
      apiUrl: 'http://127.0.0.1:3000/api/',
      alertChannel: 'alerts',
      digestAfter: 5,
    });
  });

  it('socket with a bot and an app token (signing secret optional)', () => {
    const slack = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).slack;
    expect(slack.mode).toBe('socket');
    expect(slack.botToken?.reveal()).toBe(BOT);
    expect(slack.appToken?.reveal()).toBe(APP);
    expect(slack.signingSecret).toBeUndefined();
  });

  it('http with a bot token and a signing secret; xoxp- user tokens work too', () => {
    const slack = loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token-1', SLACK_SIGNING_SECRET: SIGNING }).slack;
    expect(slack.mode).toBe('http');
    expect(slack.signingSecret?.reveal()).toBe(SIGNING);
    expect(slack.appToken).toBeUndefined();
  });

  it('http without a signing secret is an error', () => {
    expect(configError({ SLACK_BOT_TOKEN: BOT }).message).toBe(
      'Invalid configuration:\n' +
        '  - SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (HTTP mode)',
    );
  });

  it('an app token without a bot token is an error', () => {
    expect(configError({ SLACK_APP_TOKEN: APP }).message).toBe(
      'Invalid configuration:\n  - SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN is set (Socket Mode)',
    );
  });

  it.each([
    ['http://127.0.0.1:3000/api', 'http://127.0.0.1:3000/api/'],
    ['http://127.0.0.1:3000/api/', 'http://127.0.0.1:3000/api/'],
    ['https://slack.com/api/', 'https://slack.com/api/'],
    ['http://localhost:4000/slack/api', 'http://localhost:4000/slack/api/'],
  ])('normalises SLACK_API_URL=%s', (value, expected) => {
    expect(loadConfig({ SLACK_API_URL: value }).slack.apiUrl).toBe(expected);
  });

  it.each(['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/api/chat.postMessage', 'ftp://x/api/', 'slack'])(
    'rejects SLACK_API_URL=%s',
    (value) => {
      expect(configError({ SLACK_API_URL: value }).message).toContain(`  - SLACK_API_URL: expected `);
    },
  );
});

describe('one error names every problem', () => {
  it('in the documented format', () => {
    expect(configError({ PORT: 'abc', SLACK_BOT_TOKEN: BOT }).message).toBe(
      'Invalid configuration:\n' +
        '  - PORT: expected an integer from 0 to 65535, got "abc"\n' +
        '  - SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (HTTP mode)',
    );
  });

  it('lists every invalid variable at once, in table order, without a secret value', () => {
    const env = {
      NODE_ENV: 'staging',
      PORT: '70000',
      LOG_LEVEL: 'loud',
      LOG_FORMAT: 'xml',
      STORE: 'mongodb',
      SLACK_BOT_TOKEN: 'bot-token-without-prefix',
      SLACK_APP_TOKEN: 'app-token-without-prefix',
      SLACK_API_URL: 'http://127.0.0.1/',
      HISTORY_TTL_DAYS: '0',
      WIKI_URL: 'not a url',
      CHATWORK_ROOM_ID: 'room-1',
      CHATWORK_API_URL: 'mailto:x@example.com',
    };
    const error = configError(env);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    const named = lines.slice(1).map((line) => /^ {2}- ([A-Z_]+)/.exec(line)?.[1]);
    expect(named).toEqual([
      'NODE_ENV',
      'PORT',
      'LOG_LEVEL',
      'LOG_FORMAT',
      'STORE',
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_API_URL',
      'HISTORY_TTL_DAYS',
      'WIKI_URL',
      'WIKI_USER',
      'WIKI_API_KEY',
      'CHATWORK_API_TOKEN',
      'CHATWORK_ROOM_ID',
      'CHATWORK_API_URL',
    ]);
    expect(error.message).toContain(
      '  - NODE_ENV: expected one of production, development, test, got "staging"',
    );
    expect(error.message).toContain(
      '  - HISTORY_TTL_DAYS: expected a positive whole number of days, got "0"',
    );
    expect(error.message).toContain(
      '  - SLACK_BOT_TOKEN: expected a value starting with xoxb- or xoxp- (value not shown)',
    );
    expect(error.message).toContain('  - WIKI_USER: required when WIKI_URL is set');
    expect(error.message).not.toContain('without-prefix');
    expect(error.details).toEqual({
      problems: expect.arrayContaining([{ variable: 'PORT', reason: expect.any(String) }]),
    });
  });

  it('reads SHUTDOWN_GRACE_SECONDS, and rejects a grace period of none or over an hour', () => {
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '25' }).shutdownGraceSeconds).toBe(25);
    for (const value of ['0', '3601', '2.5']) {
      expect(configError({ SHUTDOWN_GRACE_SECONDS: value }).message).toContain(
        `SHUTDOWN_GRACE_SECONDS: expected a whole number of seconds from 1 to 3600, got "${value}"`,
      );
    }
  });

  it.each([['65536'], ['-1'], ['1.5'], ['3e3'], ['0x50']])('rejects PORT=%s', (value) => {
    expect(configError({ PORT: value }).message).toContain(
      `PORT: expected an integer from 0 to 65535, got "${value}"`,
    );
  });

  it('names a missing partner of the Bedrock and Chatwork settings', () => {
    const message = configError({
      BEDROCK_AGENT_ALIAS_ID: 'TSTALIASID',
      CHATWORK_API_TOKEN: 'cw-token-123',
    }).message;
    expect(message).toContain('  - BEDROCK_AGENT_ID: required when BEDROCK_AGENT_ALIAS_ID is set');
    expect(message).toContain('  - CHATWORK_ROOM_ID: required when CHATWORK_API_TOKEN is set');
  });

  it('points at the secret key a bad value came from, still without the value', () => {
    const message = configError({}, { slack_token: 'not-a-slack-token', slack_app_token: APP }).message;
    expect(message).toContain(
      '  - SLACK_BOT_TOKEN (secret key slack_token): expected a value starting with xoxb-',
    );
    expect(message).not.toContain('not-a-slack-token');
    expect(message).not.toContain(APP);
  });
});

describe('values from the SECRETS_ID secret', () => {
  const seedSecret = {
    slack_token: BOT,
    slack_app_token: APP,
    slack_signing_secret: SIGNING,
    wiki_api_key: 'wiki-api-key-value',
    wiki_url: 'https://aws-chatops-workshop.atlassian.net/wiki',
    wiki_user: 'ops@example.com',
    bedrock_agent: 'AGENT12345',
    bedrock_agent_alias: 'ALIAS12345',
    CHATWORK_API_TOKEN: 'chatwork-token-value',
    CHATWORK_ROOM_ID: '123456789',
    alerts_api_token: 'alerts-token-value',
    job_report_secret: 'job-report-secret-value',
    unrelated_key: 'ignored',
  };

  it('fill in every setting by the seed key names', () => {
    const config = loadConfig({}, seedSecret);
    expect(config.slack.mode).toBe('socket');
    expect(config.slack.botToken?.reveal()).toBe(BOT);
    expect(config.slack.appToken?.reveal()).toBe(APP);
    expect(config.slack.signingSecret?.reveal()).toBe(SIGNING);
    expect(config.wiki.url).toBe('https://aws-chatops-workshop.atlassian.net/wiki');
    expect(config.wiki.user).toBe('ops@example.com');
    expect(config.wiki.apiKey?.reveal()).toBe('wiki-api-key-value');
    expect(config.bedrock).toEqual({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345' });
    expect(config.chatwork.apiToken?.reveal()).toBe('chatwork-token-value');
    expect(config.chatwork.roomId).toBe('123456789');
    expect(config.alertsApiToken?.reveal()).toBe('alerts-token-value');
    expect(config.jobReportSecret?.reveal()).toBe('job-report-secret-value');
  });

  it('lose to the environment, except where the environment is blank', () => {
    const config = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-from-env-0000', CHATWORK_ROOM_ID: '42', WIKI_USER: '' },
      seedSecret,
    );
    expect(config.slack.botToken?.reveal()).toBe('xoxb-from-env-0000');
    expect(config.chatwork.roomId).toBe('42');
    expect(config.wiki.user).toBe('ops@example.com');
  });

  it('never supply settings that have no secret key', () => {
    expect(loadConfig({}, { PORT: '1234', SLACK_API_URL: 'http://x/api/' })).toMatchObject({ port: 3000 });
  });

  it('are all returned by secretValuesOf, and only they', () => {
    expect(secretValuesOf(loadConfig({}, seedSecret)).sort()).toEqual(
      [
        BOT,
        APP,
        SIGNING,
        'wiki-api-key-value',
        'chatwork-token-value',
        'alerts-token-value',
        'job-report-secret-value',
      ].sort(),
    );
    expect(secretValuesOf(loadConfig({}))).toEqual([]);
  });
});

describe('Secret', () => {
  const secret = new Secret('xoxb-never-print-me');

  it('reveals its value only on request', () => {
    expect(secret.reveal()).toBe('xoxb-never-print-me');
  });

  it('prints as [redacted] through String, templates, JSON and util.inspect', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(`token: ${secret}`).toBe('token: [redacted]');
    expect(JSON.stringify(secret)).toBe('"[redacted]"');
    expect(JSON.stringify({ nested: { secret } })).toBe('{"nested":{"secret":"[redacted]"}}');
    expect(inspect(secret)).toBe('[redacted]');
    expect(inspect({ nested: { deeper: { secret } } }, { depth: 10, showHidden: true })).not.toContain(
      'never',
    );
    expect(format('%s %o %O %j', secret, secret, secret, secret)).not.toContain('never');
    expect(Object.keys(secret)).toEqual([]);
  });

  it('keeps a whole loaded config printable', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    for (const printed of [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      `${JSON.stringify(config.slack)}`,
    ]) {
      expect(printed).not.toContain(BOT);
      expect(printed).not.toContain(APP);
    }
  });
});

describe('loadConfigWithSecrets', () => {
  const secretJson = { slack_token: BOT, slack_signing_secret: SIGNING };

  it('reads no secret without SECRETS_ID', async () => {
    const fetchSecret = vi.fn<FetchSecret>();
    const config = await loadConfigWithSecrets({}, { fetchSecret });
    expect(config.slack.mode).toBe('emulator');
    expect(fetchSecret).not.toHaveBeenCalled();
  });

  it('reads the secret once, in the configured region, for sequential and concurrent loads', async () => {
    const fetchSecret = vi.fn<FetchSecret>(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return secretJson;
    });
    const env = { SECRETS_ID: 'wn/chatops/secret', AWS_REGION: 'us-west-2' };
    const [a, b] = await Promise.all([
      loadConfigWithSecrets(env, { fetchSecret }),
      loadConfigWithSecrets(env, { fetchSecret }),
    ]);
    const c = await loadConfigWithSecrets({ ...env, PORT: '8080' }, { fetchSecret });
    expect(fetchSecret).toHaveBeenCalledTimes(1);
    expect(fetchSecret).toHaveBeenCalledWith('wn/chatops/secret', 'us-west-2');
    for (const config of [a, b, c]) expect(config.slack.mode).toBe('http');
    expect(c.port).toBe(8080);
  });

  it('uses the region named in a secret ARN', async () => {
    const fetchSecret = vi.fn<FetchSecret>(async () => ({}));
    const arn = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:hikeshi-AbCdEf';
    await loadConfigWithSecrets({ SECRETS_ID: arn, AWS_REGION: 'us-east-1' }, { fetchSecret });
    expect(fetchSecret).toHaveBeenCalledWith(arn, 'ap-northeast-1');
  });

  it('does not keep a failed read, so the next cold start retries', async () => {
    const unavailable = new AppError(ErrorCode.SecretsUnavailable, 'Cannot read secret "s"');
    const fetchSecret = vi
      .fn<FetchSecret>()
      .mockRejectedValueOnce(unavailable)
      .mockResolvedValueOnce(secretJson);
    const env = { SECRETS_ID: 's' };
    await expect(loadConfigWithSecrets(env, { fetchSecret })).rejects.toBe(unavailable);
    await expect(loadConfigWithSecrets(env, { fetchSecret })).resolves.toMatchObject({
      slack: { mode: 'http' },
    });
    expect(fetchSecret).toHaveBeenCalledTimes(2);
  });

  it('lets the environment override the secret', async () => {
    const fetchSecret = vi.fn<FetchSecret>(async () => secretJson);
    const config = await loadConfigWithSecrets(
      { SECRETS_ID: 'x', SLACK_BOT_TOKEN: 'xoxb-override-0001' },
      { fetchSecret },
    );
    expect(config.slack.botToken?.reveal()).toBe('xoxb-override-0001');
  });
});

describe('CONFIG_VARIABLES', () => {
  it('lists each variable once, with unique secret keys', () => {
    const names = CONFIG_VARIABLES.map((v) => v.env);
    expect(new Set(names).size).toBe(names.length);
    const keys = CONFIG_VARIABLES.flatMap((v) => (v.secretKey === undefined ? [] : [v.secretKey]));
    expect(new Set(keys).size).toBe(keys.length);
    for (const v of CONFIG_VARIABLES) expect(v.description.length).toBeGreaterThan(5);
  });

  it('includes the seed compatibility variables and secret keys', () => {
    const byName = new Map(CONFIG_VARIABLES.map((v) => [v.env, v]));
    for (const name of ['CALL_STATUS_TABLE', 'IN_PROGRESS_TABLE', 'RESPONDERS_TABLE', 'CALL_HISTORY_TABLE']) {
      expect(byName.has(name)).toBe(true);
    }
    for (const name of ['RESPONDERS_GROUP_ID', 'HISTORY_TTL_DAYS', 'LOG_LEVEL', 'CHATWORK_API_TOKEN']) {
      expect(byName.has(name)).toBe(true);
    }
    const keys = CONFIG_VARIABLES.map((v) => v.secretKey);
    for (const key of [
      'slack_token',
      'wiki_api_key',
      'wiki_url',
      'wiki_user',
      'bedrock_agent',
      'bedrock_agent_alias',
    ]) {
      expect(keys).toContain(key);
    }
  });

  it('marks exactly the Secret-typed settings as secret', () => {
    const env = Object.fromEntries(
      CONFIG_VARIABLES.filter((v) => v.secret).map((v) => [
        v.env,
        v.env === 'SLACK_BOT_TOKEN'
          ? BOT
          : v.env === 'SLACK_APP_TOKEN'
            ? APP
            : v.env === 'AMQP_URL'
              ? 'amqps://user:value-of-AMQP_URL@mq.example:5671'
              : `value-of-${v.env}`,
      ]),
    );
    const config = loadConfig({
      ...env,
      WIKI_URL: 'https://x.atlassian.net/wiki',
      WIKI_USER: 'u',
      CHATWORK_ROOM_ID: '1',
    });
    expect(secretValuesOf(config).sort()).toEqual(Object.values(env).sort());
  });

  it('gives defaults that loadConfig really uses', () => {
    const config = loadConfig({});
    const defaults = Object.fromEntries(CONFIG_VARIABLES.map((v) => [v.env, v.default]));
    expect(String(config.port)).toBe(defaults['PORT']);
    expect(config.logLevel).toBe(defaults['LOG_LEVEL']);
    expect(config.dataDir).toBe(defaults['DATA_DIR']);
    expect(config.awsRegion).toBe(defaults['AWS_DEFAULT_REGION']);
    expect(config.tables.callHistory).toBe(defaults['CALL_HISTORY_TABLE']);
    expect(config.chatwork.apiUrl).toBe(defaults['CHATWORK_API_URL']);
  });

  it.skipIf(!existsSync('README.md'))('are all documented in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const missing = CONFIG_VARIABLES.filter((v) => !readme.includes(v.env)).map((v) => v.env);
    expect(missing).toEqual([]);
  });
});
