/**
 * Issue 18 over HTTP: `GET /api/oncall` (Bearer ALERTS_API_TOKEN, zod-checked query), the iCalendar feed with its
 * per-schedule token, and `POST /-/reload`, where an invalid file keeps the previous configuration in force and
 * answers 422 with every problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs } from '../helpers/log-capture.js';
import {
  ALICE,
  BOB,
  ONCALL_YAML,
  apiOncall,
  bearer,
  oncallFile,
  startWithSchedules,
  type OncallFile,
} from '../helpers/oncall.js';

let h: TestHikeshi;
let file: OncallFile;
const logs = captureLogs();

beforeAll(async () => {
  file = await oncallFile();
  h = await startWithSchedules(file, { logger: logs.logger });
});
afterAll(async () => {
  await h?.close();
  await file?.remove();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${h.baseUrl}${path}`, { headers });
const reload = (headers: Record<string, string> = bearer) =>
  fetch(`${h.baseUrl}/-/reload`, { method: 'POST', headers });

describe('GET /api/oncall', () => {
  it('answers who is on call at an instant given with an offset, and the next shifts', async () => {
    const { status, body } = await apiOncall(h, '?at=2026-01-12T09:30%2B01:00&next=1');
    expect(status).toBe(200);
    expect(body).toEqual({
      at: '2026-01-12T08:30:00.000Z',
      schedules: [
        {
          id: 'payments-primary',
          time_zone: 'Europe/Berlin',
          on_call: [{ user: BOB, from: '2026-01-12T08:00:00.000Z', until: '2026-01-19T08:00:00.000Z' }],
          next: [
            { user: expect.any(String), from: '2026-01-19T08:00:00.000Z', until: '2026-01-26T08:00:00.000Z' },
          ],
        },
      ],
      responders: { group: 'default', on_call: [] },
    });
  });

  it('refuses a missing or wrong token (401) and a bad query (400 naming the parameter)', async () => {
    expect((await get('/api/oncall')).status).toBe(401);
    expect((await get('/api/oncall', { authorization: 'Bearer nope' })).status).toBe(401);
    for (const [query, field] of [
      ['?at=yesterday', 'at'],
      ['?at=2026-01-12T09:30', 'at'],
      ['?next=99', 'next'],
      ['?at=2026-01-12T09:30Z&at=2026-01-12T10:30Z', 'at'],
      ['?who=me', 'who'],
    ] as const) {
      const response = await get(`/api/oncall${query}`, bearer);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { field?: string }).field, query).toBe(field);
    }
  });
});

describe('GET /api/schedules/<id>.ics', () => {
  it('serves the shifts as iCalendar with the schedule’s own token', async () => {
    const url = h.app.services.feeds.url('payments-primary')!;
    expect(url).toMatch(/^http:\/\/localhost:\d+\/api\/schedules\/payments-primary\.ics\?token=[\w-]{43}$/);
    const response = await get(new URL(url).pathname + new URL(url).search);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await response.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('X-WR-CALNAME:On call: payments-primary');
    // Alice's week, 2026-01-05 09:00 to 2026-01-12 09:00 in Berlin.
    expect(text).toContain(
      `DTSTART:20260105T080000Z\r\nDTEND:20260112T080000Z\r\nSUMMARY:On call: ${ALICE} (payments-primary)`,
    );
  });

  it('answers 401 for a wrong or another schedule’s token, 400 without one, 404 for what is no feed', async () => {
    const token = new URL(h.app.services.feeds.url('payments-primary')!).searchParams.get('token')!;
    expect((await get('/api/schedules/payments-primary.ics?token=wrong')).status).toBe(401);
    expect((await get(`/api/schedules/other.ics?token=${token}`)).status).toBe(401);
    expect((await get('/api/schedules/payments-primary.ics')).status).toBe(400);
    expect((await get(`/api/schedules/payments-primary.txt?token=${token}`)).status).toBe(404);
  });
});

describe('POST /-/reload', () => {
  it('reads the file again; an invalid one keeps the old config, answers 422 with the reasons and logs why', async () => {
    expect((await reload({})).status).toBe(401);

    await file.write(`${ONCALL_YAML}  - id: database
    time_zone: Asia/Tokyo
    layers:
      - rotation: daily
        handoff: "10:00"
        start: "2026-01-05"
        users: [${ALICE}]
`);
    const ok = await reload();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: 'reloaded',
      file: file.path,
      schedules: 2,
      escalation_policies: 0,
      routes: 0,
    });
    expect((await apiOncall(h)).body.schedules.map((s) => s.id)).toEqual(['payments-primary', 'database']);

    await file.write(ONCALL_YAML.replace('handoff: "09:00"', 'handoff: "9:00"'));
    const refused = await reload();
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      error: `ONCALL_CONFIG ${file.path} is invalid; the previous configuration stays in force`,
      code: 'CONFIG_INVALID',
      problems: [`${file.path}:8:9: schedules[0].layers[0].handoff: expected "HH:MM", got "9:00"`],
    });
    expect((await apiOncall(h)).body.schedules.map((s) => s.id)).toEqual(['payments-primary', 'database']);
    expect(logs.entries().find((e) => String(e['msg']).includes('NOT reloaded'))).toMatchObject({
      level: 50,
      file: file.path,
      problems: [expect.stringContaining('expected "HH:MM"')],
    });
  });
});
