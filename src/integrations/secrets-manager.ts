/**
 * Secrets Manager: reads one JSON secret (the seed's `wn/chatops/secret` layout, a flat key/value object).
 * The SDK finds its endpoint itself, honouring `AWS_ENDPOINT_URL_SECRETS_MANAGER` for local fakes; callers
 * with special needs pass a prebuilt client. Every failure is an `AppError(SecretsUnavailable)` naming the
 * secret id and never a value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AppError, ErrorCode } from '../errors.js';

export interface SecretsManagerReaderOptions {
  region: string;
  client?: SecretsManagerClient;
}

export interface SecretsManagerReader {
  /** The secret's JSON object with every scalar value as a string (numbers and booleans converted). */
  getSecretJson(secretId: string): Promise<Record<string, string>>;
}

// Why each known failure happens, in words an operator can act on.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors
const REASONS: Readonly<Record<string, string>> = {
  ResourceNotFoundException: 'it does not exist in this region',
  AccessDeniedException: 'access was denied (the role needs secretsmanager:GetSecretValue on it)',
  DecryptionFailure: 'it could not be decrypted with its KMS key (check kms:Decrypt)',
  InvalidRequestException: 'the request was refused (is the secret scheduled for deletion?)',
  CredentialsProviderError: 'no AWS credentials were found',
};

export function createSecretsManagerReader(options: SecretsManagerReaderOptions): SecretsManagerReader {
  const client = options.client ?? new SecretsManagerClient({ region: options.region });
  const unavailable = (secretId: string, reason: string, cause?: unknown, awsError?: string): AppError =>
    new AppError(
      ErrorCode.SecretsUnavailable,
      `Cannot read secret "${secretId}" from Secrets Manager: ${reason}`,
      {
        ...(cause === undefined ? {} : { cause }),
        details: { secretId, region: options.region, ...(awsError === undefined ? {} : { awsError }) },
      },
    );

  return {
    async getSecretJson(secretId) {
      let secretString: string | undefined;
      try {
        ({ SecretString: secretString } = await client.send(
          new GetSecretValueCommand({ SecretId: secretId }),
        ));
      } catch (error) {
        const name = error instanceof Error ? error.name : 'UnknownError';
        const code = (error as { code?: unknown } | null)?.code;
        const reason =
          REASONS[name] !== undefined
            ? `${REASONS[name]} [${name}]`
            : typeof code === 'string'
              ? `the endpoint could not be reached (${code})` // a Node network error: ECONNREFUSED, ENOTFOUND, …
              : `the request failed [${name}]`;
        throw unavailable(secretId, reason, error, name);
      }
      if (secretString === undefined) {
        throw unavailable(secretId, 'it has no SecretString (binary secrets are not supported)');
      }
      return parseSecretJson(secretString, (reason) => unavailable(secretId, reason));
    },
  };
}

function parseSecretJson(text: string, fail: (reason: string) => AppError): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // No cause attached on purpose: V8's SyntaxError message quotes the start of the secret.
    throw fail('its SecretString is not JSON (expected an object of key/value pairs)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw fail('its SecretString is not a JSON object (expected key/value pairs)');
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    // Scalars become strings (a room id stored as a number is still the room id); nested values and null
    // are skipped: a secret shared with other applications may hold keys Hikeshi does not read.
    if (typeof value === 'string') values[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[key] = String(value);
  }
  return values;
}
