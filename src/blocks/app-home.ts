/**
 * App Home: open incidents, the on-call list, and a slot for the latest job results (filled in once job
 * monitoring lands; until then a placeholder section).
 */
import type { Incident } from '../domain/incident.js';
import { isOpen } from '../domain/incident.js';
import type { OncallEntry } from '../domain/oncall.js';
import { incidentLine } from './incident-list.js';
import { context, divider, header, section, type HomeView, type KnownBlock } from './kit.js';
import { Limits } from './limits.js';
import { oncallListText } from './oncall.js';

/** Incidents listed on the Home tab before "…and N more". */
export const HOME_INCIDENTS_MAX = 15;

export const HomeBlockIds = {
  incidents: 'home_incidents',
  oncall: 'home_oncall',
  jobs: 'home_jobs',
  silences: 'home_silences',
} as const;

export interface AppHomeInput {
  openIncidents: readonly Incident[];
  oncall: readonly OncallEntry[];
  /** The on-call section from the schedules (issue 18): replaces the flat list alone when given. */
  oncallBlocks?: readonly KnownBlock[];
  /** Blocks for the jobs section, from the job monitor; a placeholder is shown when absent. */
  jobBlocks?: readonly KnownBlock[];
  /** The silences and maintenance windows in force and to come (blocks/silences.ts). */
  silenceBlocks?: readonly KnownBlock[];
}

export function buildAppHome(input: AppHomeInput): HomeView {
  const open = input.openIncidents.filter(isOpen).sort((a, b) => b.number - a.number);
  const shown = open.slice(0, HOME_INCIDENTS_MAX);
  const blocks: KnownBlock[] = [
    header('🚒 Hikeshi'),
    section(`*Open incidents* (${open.length})`, HomeBlockIds.incidents),
  ];
  if (shown.length === 0) blocks.push(section('🎉 No open incidents.'));
  for (const incident of shown) blocks.push(section(incidentLine(incident)));
  if (open.length > shown.length)
    blocks.push(context([`…and ${open.length - shown.length} more — \`/incident list\``]));

  if (input.silenceBlocks !== undefined) {
    blocks.push(divider(), section('*Silences and maintenance windows*', HomeBlockIds.silences));
    blocks.push(...input.silenceBlocks);
  }

  blocks.push(divider(), section('*On call*', HomeBlockIds.oncall));
  if (input.oncallBlocks !== undefined) blocks.push(...input.oncallBlocks);
  else blocks.push(section(oncallListText(input.oncall)));

  blocks.push(divider(), section('*Latest job results*', HomeBlockIds.jobs));
  // Room left for job blocks after the fixed sections, within the 100-block view limit.
  const room = Limits.viewBlocks - blocks.length;
  if (input.jobBlocks !== undefined && input.jobBlocks.length > 0)
    blocks.push(...input.jobBlocks.slice(0, room));
  else blocks.push(context(['Job results will appear here once job monitoring is set up.']));

  return { type: 'home', blocks };
}
