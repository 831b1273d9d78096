// Types for serverless-deploy-params.mjs (plain JavaScript: osls loads it as a plugin, see there why).

export interface ParameterProblem {
  /** The stage parameter, as named under `params` in serverless.yml. */
  param: string;
  reason: string;
}

export const PLACEHOLDER_ACCOUNT: string;
export const DRY_RUN_STAGE: string;

export function deployParameterProblems(params: Readonly<Record<string, unknown>>): ParameterProblem[];

export function resolveStageParams(
  configured: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>,
  stage: string,
  cliParams: readonly string[],
): Record<string, unknown>;

export function formatProblems(stage: string, problems: readonly ParameterProblem[]): string;

export default class DeployParameterCheck {
  constructor(serverless: unknown, options: { stage?: string; param?: string[] | string });
  hooks: Record<string, () => void>;
  check(): void;
}
