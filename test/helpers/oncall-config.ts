/** Test helpers for ONCALL_CONFIG texts: parse one that must be valid, or list the problems of one that is not. */
import { formatProblem, parseOncallConfig, type OncallConfigResult } from '../../src/config/oncall/load.js';
import type { OncallConfig } from '../../src/domain/oncall-config.js';

export function valid(text: string): OncallConfig {
  const result = parseOncallConfig(text, 'oncall.yaml');
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

/** Every problem as `line:column: path: reason`. */
export function problems(text: string): string[] {
  const result: OncallConfigResult = parseOncallConfig(text, 'oncall.yaml');
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems.map((p) => formatProblem(p).replace(/^oncall\.yaml:/, ''));
}

export const schedule = (layer: string, extra = '') => `schedules:
  - id: s1
    time_zone: Europe/Berlin${extra}
    layers:
      - ${layer.trim().split('\n').join('\n        ')}
`;
export const LAYER = `rotation: daily
handoff: "09:00"
start: "2026-11-02"
users: [U01ALICE]`;
