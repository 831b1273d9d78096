/**
 * SECRETS_ID: one Secrets Manager JSON secret, read once per process, whose keys fill the settings the
 * environment leaves unset (load.ts); and every secret value of a config, for the log scrubber.
 */
import { Secret } from './secret.js';
import { clean, loadConfig } from './load.js';
import type { Config } from './types.js';

export type FetchSecret = (secretId: string, region: string) => Promise<Record<string, string>>;

export interface LoadConfigDeps {
  /** Reads one JSON secret. Default: the Secrets Manager adapter. */
  fetchSecret?: FetchSecret;
}

const fetchFromSecretsManager: FetchSecret = async (secretId, region) => {
  // Loaded on demand so a local run without SECRETS_ID never loads the AWS SDK.
  const { createSecretsManagerReader } = await import('../integrations/secrets-manager.js');
  return createSecretsManagerReader({ region }).getSecretJson(secretId);
};

/**
 * One read per secret per process: concurrent callers share the in-flight promise and later callers its
 * result, so a warm Lambda never calls Secrets Manager again (a rotated value arrives with a new instance).
 * Keyed by fetcher too, so tests with their own fetcher do not see each other's values. Failures are dropped.
 */
const secretReads = new Map<FetchSecret, Map<string, Promise<Record<string, string>>>>();

function readSecretOnce(
  fetchSecret: FetchSecret,
  secretId: string,
  region: string,
): Promise<Record<string, string>> {
  let reads = secretReads.get(fetchSecret);
  if (reads === undefined) {
    reads = new Map();
    secretReads.set(fetchSecret, reads);
  }
  const key = `${region}\n${secretId}`;
  const cached = reads.get(key);
  if (cached !== undefined) return cached;
  const read = fetchSecret(secretId, region);
  reads.set(key, read);
  read.catch(() => reads.delete(key));
  return read;
}

/** Forgets every secret read (tests, or a process that learns of a rotation). */
export function clearSecretsCache(): void {
  secretReads.clear();
}

/** The region a secret lives in: an ARN names its own, otherwise AWS_REGION, AWS_DEFAULT_REGION, us-east-1. */
function secretRegion(secretId: string, env: Record<string, string | undefined>): string {
  const arnRegion = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(secretId)?.[1];
  return arnRegion ?? clean(env['AWS_REGION']) ?? clean(env['AWS_DEFAULT_REGION']) ?? 'us-east-1';
}

/** `loadConfig`, after reading the SECRETS_ID secret (once per process) when that variable is set. */
export async function loadConfigWithSecrets(
  env: Record<string, string | undefined> = process.env,
  deps: LoadConfigDeps = {},
): Promise<Config> {
  const secretsId = clean(env['SECRETS_ID']);
  if (secretsId === undefined) return loadConfig(env);
  const fetchSecret = deps.fetchSecret ?? fetchFromSecretsManager;
  return loadConfig(env, await readSecretOnce(fetchSecret, secretsId, secretRegion(secretsId, env)));
}

/** Every secret value in the config, revealed, for the log scrubber: `createLogger({ secrets })`. */
export function secretValuesOf(config: Config): string[] {
  const values = new Set<string>();
  const visit = (value: unknown): void => {
    if (value instanceof Secret) values.add(value.reveal());
    else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) visit(v);
  };
  visit(config);
  return [...values];
}
