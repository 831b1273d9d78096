/**
 * The outside systems of issue 6 as local fakes — Bedrock Agent Runtime (h2c, event stream), Confluence, Chatwork —
 * plus the environment that points the real clients at them: the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` and dummy
 * credentials go into `process.env` (restored by `close()`), Hikeshi's settings into `env` for `startHikeshi`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeBedrockAgent, type FakeBedrockAgent } from '../fakes/bedrock-agent.js';
import { startFakeChatwork, type FakeChatwork } from '../fakes/chatwork.js';
import { startFakeConfluence, type FakeConfluence } from '../fakes/confluence.js';

export const AGENT_ID = 'AGENT12345';
export const AGENT_ALIAS_ID = 'ALIAS12345';
export const CHATWORK_TOKEN = 'cw-token-5e3f0a9c7d1b2e48';
export const CHATWORK_ROOM = '123456789';
export const WIKI_USER = 'oncall@example.com';
export const WIKI_API_KEY = 'ATATT3xFfGF0-wiki-key-7a1c9e';
export const AWS_SECRET = 'fake-aws-secret-access-key-0f9e8d';
export const SPACE = 'OPS';
export const PUBLIC_URL = 'http://hikeshi.test';

export interface OutsideFakes {
  bedrock: FakeBedrockAgent;
  chatwork: FakeChatwork;
  confluence: FakeConfluence;
  /** Hikeshi's settings: agent, Chatwork and (unless `confluence: false`) Confluence, DATA_DIR, PUBLIC_URL. */
  env: Record<string, string>;
  dataDir: string;
  /** Sets a variable in process.env until `close()`. */
  setProcessEnv(name: string, value: string): void;
  close(): Promise<void>;
}

export async function startOutsideFakes(options: { confluence?: boolean } = {}): Promise<OutsideFakes> {
  const [bedrock, chatwork, confluence, dataDir] = await Promise.all([
    startFakeBedrockAgent(),
    startFakeChatwork({ apiToken: CHATWORK_TOKEN }),
    startFakeConfluence({ email: WIKI_USER, apiToken: WIKI_API_KEY, spaces: [SPACE] }),
    mkdtemp(join(tmpdir(), 'hikeshi-outside-')),
  ]);
  const saved = new Map<string, string | undefined>();
  const setProcessEnv = (name: string, value: string) => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    process.env[name] = value;
  };
  setProcessEnv('AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME', bedrock.url);
  setProcessEnv('AWS_ACCESS_KEY_ID', 'AKIDFAKEFAKEFAKE');
  setProcessEnv('AWS_SECRET_ACCESS_KEY', AWS_SECRET);

  const env: Record<string, string> = {
    AWS_REGION: 'ap-northeast-1',
    DATA_DIR: dataDir,
    PUBLIC_URL,
    BEDROCK_AGENT_ID: AGENT_ID,
    BEDROCK_AGENT_ALIAS_ID: AGENT_ALIAS_ID,
    CHATWORK_API_TOKEN: CHATWORK_TOKEN,
    CHATWORK_ROOM_ID: CHATWORK_ROOM,
    CHATWORK_API_URL: `${chatwork.url}/v2`,
    ...(options.confluence === false
      ? {}
      : {
          WIKI_URL: `${confluence.url}/wiki`,
          WIKI_USER,
          WIKI_API_KEY,
          CONFLUENCE_SPACE: SPACE,
        }),
  };

  return {
    bedrock,
    chatwork,
    confluence,
    env,
    dataDir,
    setProcessEnv,
    async close() {
      for (const [name, value] of saved) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
      await Promise.all([bedrock.close(), chatwork.close(), confluence.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
