/**
 * Bundle-only stand-in for `pino-pretty` (scripts/lambda-bundle-plugins.ts). Lambda logs are JSON (LOG_FORMAT
 * defaults to json there), so the pretty printer and its dependencies stay out of the bundles; a function
 * configured with LOG_FORMAT=pretty anyway writes the JSON lines to stdout instead of failing.
 */
export default function pretty(_options?: unknown): NodeJS.WritableStream {
  return process.stdout;
}
