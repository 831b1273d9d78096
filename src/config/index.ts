/**
 * Configuration, one folder split by concern: the variables (variables*.ts, the README's table), the validated
 * `Config` (types.ts), loading and its errors (load.ts), the SECRETS_ID secret (secrets.ts), the cross-field
 * rules (rules.ts) and ONCALL_CONFIG (oncall/).
 */
export { Secret } from './secret.js';
export { CONFIG_VARIABLES, type ConfigVariable } from './variables.js';
export { DEFAULT_AMQP_URL, usesLocalEmulator, type Config, type SlackMode } from './types.js';
export { loadConfig } from './load.js';
export {
  clearSecretsCache,
  loadConfigWithSecrets,
  secretValuesOf,
  type FetchSecret,
  type LoadConfigDeps,
} from './secrets.js';
