/** Times as the page shows them: local 24-hour `HH:MM`. */

/** A Slack `ts` (`seconds.micros`) as a Date. */
export function timeOf(ts: string): Date {
  return new Date(Number(ts) * 1000);
}

function hhmm(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

export function clock(ts: string): string {
  return hhmm(timeOf(ts));
}

export function clockOfIso(iso: string): string {
  return hhmm(new Date(iso));
}
