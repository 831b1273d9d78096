/**
 * Every setting Hikeshi reads, one entry each: its schema, its key in the SECRETS_ID secret, whether it is a
 * secret, its default and its description. config/load.ts validates the environment against `envSchema`, and
 * the same list is the README's table (`CONFIG_VARIABLES`, `npm run docs:config`). To add a setting: one entry
 * here, one field in `Config` and one line in `toConfig` (config/load.ts); the entry goes in the variables-*.ts file of its concern.
 */
import * as z from '../domain/zod.js';
import { TABLE_DEFINITIONS, TABLE_IDS } from '../store/tables.js';
import type { VariableSpec } from './fields.js';
import { CORE_VARIABLES } from './variables-core.js';
import { INGRESS_VARIABLES } from './variables-ingress.js';
import { OUTSIDE_VARIABLES } from './variables-outside.js';

export type { VariableSpec } from './fields.js';

/** In README order: the process, the store and Slack; escalation and the outside systems; the routes and tasks. */
export const VARIABLES = {
  ...CORE_VARIABLES,
  ...OUTSIDE_VARIABLES,
  ...INGRESS_VARIABLES,
} as const satisfies Record<string, VariableSpec>;

export type VariableName = keyof typeof VARIABLES;
type Shape = { [K in VariableName]: (typeof VARIABLES)[K]['schema'] };

export const SPECS = Object.entries(VARIABLES) as [VariableName, VariableSpec][];
export const envSchema = z.object(
  Object.fromEntries(SPECS.map(([name, spec]) => [name, spec.schema])) as Shape,
);
export type ParsedEnv = z.output<typeof envSchema>;

export interface ConfigVariable {
  /** Environment variable name. */
  readonly env: string;
  /** Key in the SECRETS_ID JSON secret that supplies the value when the variable is unset. */
  readonly secretKey?: string;
  /** Held as a `Secret`: never logged, never quoted in a configuration error. */
  readonly secret: boolean;
  /** Value used when unset. Defaults that depend on other settings are given in `description`. */
  readonly default?: string;
  readonly description: string;
}

/** Every environment variable Hikeshi reads, in README order; table names come from src/store/tables.ts. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  ...SPECS.map(([env, spec]) => ({
    env,
    secret: spec.secret === true,
    ...(spec.secretKey === undefined ? {} : { secretKey: spec.secretKey }),
    ...(spec.default === undefined ? {} : { default: spec.default }),
    description: spec.description,
  })),
  { env: 'TABLE_PREFIX', secret: false, description: 'Prefix of every default DynamoDB table name.' },
  ...TABLE_IDS.map((id) => ({
    env: TABLE_DEFINITIONS[id].envVar,
    secret: false,
    default: TABLE_DEFINITIONS[id].defaultName,
    description: `DynamoDB table name (${id}); wins over TABLE_PREFIX.`,
  })),
];
