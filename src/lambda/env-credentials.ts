/**
 * Bundle-only stand-in for `@aws-sdk/credential-provider-node` (scripts/lambda-bundle-plugins.ts): on Lambda the
 * execution role's credentials are always in the environment, so the SDK's default chain (SSO, INI files,
 * process, web identity, instance metadata, with their nested STS/SSO clients: about 90 KB minified) is dead
 * weight in every function. Same export, same contract: a factory returning a credentials provider.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
interface EnvCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function defaultProvider(): () => Promise<EnvCredentials> {
  return async () => {
    const accessKeyId = process.env['AWS_ACCESS_KEY_ID'];
    const secretAccessKey = process.env['AWS_SECRET_ACCESS_KEY'];
    const sessionToken = process.env['AWS_SESSION_TOKEN'];
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(
        'No AWS credentials: the Lambda bundles read only AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN',
      );
    }
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  };
}
