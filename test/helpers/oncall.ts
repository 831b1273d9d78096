/**
 * On-call schedule tests (issue 18): an ONCALL_CONFIG file on disk, Hikeshi started with it over signed HTTP
 * (the emulator signs every Slack request as Slack does), and the few reads the tests repeat.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_DEV_TOKEN } from '../../src/ingress/auth.js';
import type { Logger } from '../../src/logger.js';
import { startHikeshi, type TestHikeshi } from './hikeshi.js';

export const ALICE = 'U0ALICE01';
export const BOB = 'U0BOB0001';
export const CAROL = 'U0CAROL01';
export const CHANNEL = 'C0ALERTS1';
export const USERGROUP = 'S0ONCALL1';
export const TOKEN = 'oncall-api-token-7c1d';

/** Wed 2026-01-07 12:00 UTC (13:00 in Berlin): Alice's week of payments-primary. */
export const WEDNESDAY_NOON = Date.parse('2026-01-07T12:00:00Z');
/** Mon 2026-01-12 09:00 Berlin: Alice hands over to Bob. */
export const NEXT_HANDOFF = Date.parse('2026-01-12T08:00:00Z');

/** A weekly rotation of alice, bob, carol in Berlin, with a channel and a user group. */
export const ONCALL_YAML = `schedules:
  - id: payments-primary
    time_zone: Europe/Berlin
    channel: ${CHANNEL}
    slack_usergroup: ${USERGROUP}
    layers:
      - rotation: weekly
        handoff: "09:00"
        handoff_day: monday
        start: "2026-01-05"
        users: [${ALICE}, ${BOB}, ${CAROL}]
`;

export interface OncallFile {
  path: string;
  write(text: string): Promise<void>;
  remove(): Promise<void>;
}

export async function oncallFile(text = ONCALL_YAML): Promise<OncallFile> {
  const dir = await mkdtemp(join(tmpdir(), 'hikeshi-oncall-'));
  const path = join(dir, 'oncall.yaml');
  await writeFile(path, text);
  return {
    path,
    write: (next) => writeFile(path, next),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Hikeshi over signed HTTP with the file as ONCALL_CONFIG, its clock at `now`. */
export async function startWithSchedules(
  file: OncallFile,
  options: { now?: number; logger?: Logger; env?: Record<string, string> } = {},
): Promise<TestHikeshi> {
  const h = await startHikeshi({
    transport: 'http',
    env: { ONCALL_CONFIG: file.path, ALERTS_API_TOKEN: TOKEN, ...options.env },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  h.clock.set(options.now ?? WEDNESDAY_NOON);
  return h;
}

export const bearer = { authorization: `Bearer ${TOKEN}` };
export { LOCAL_DEV_TOKEN };

/** `GET /api/oncall` as JSON. */
export async function apiOncall(h: TestHikeshi, query = ''): Promise<{ status: number; body: ApiOncall }> {
  const response = await fetch(`${h.baseUrl}/api/oncall${query}`, { headers: bearer });
  return { status: response.status, body: (await response.json()) as ApiOncall };
}

export interface ApiShift {
  user: string;
  from: string | null;
  until: string | null;
}
export interface ApiOncall {
  at: string;
  schedules: { id: string; time_zone: string; on_call: ApiShift[]; next: ApiShift[] }[];
  responders: { group: string; on_call: string[] };
  error?: string;
  field?: string;
}

/** The text of `user`'s ephemeral messages, newest last. */
export function ephemeralTexts(h: TestHikeshi, user: string): string[] {
  return h.emulator.workspace.ephemerals.filter((e) => e.user === user).map((e) => e.text);
}

/** The App Home `user` sees, as JSON text. */
export function homeText(h: TestHikeshi, user: string): string {
  return JSON.stringify(h.emulator.workspace.views.home(user)?.definition ?? '');
}

/** Messages in the DM between the app and `user`. */
export function dms(h: TestHikeshi, user: string) {
  const im = h.emulator.workspace.channel(user);
  return im === undefined ? [] : h.emulator.workspace.messages(im.id);
}
