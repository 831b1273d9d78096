/** Durations as people type and read them: `30m`, `2h`, `1d`; "3h 5m". */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d{1,4})\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)$/i;

/** `30m`, `2h`, `1d` (and `90min`, `3 hours`…) in milliseconds; undefined for anything else or zero. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] ?? '').charAt(0).toLowerCase() as keyof typeof UNIT_MS;
  const ms = amount * UNIT_MS[unit];
  return ms > 0 ? ms : undefined;
}

/** "3h 5m", "2d 4h", "45s": the two largest units. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const units: [string, number][] = [
    ['d', Math.floor(total / 86_400)],
    ['h', Math.floor((total % 86_400) / 3600)],
    ['m', Math.floor((total % 3600) / 60)],
    ['s', total % 60],
  ];
  const firstNonZero = units.findIndex(([, value]) => value > 0);
  if (firstNonZero === -1) return '0s';
  return units
    .slice(firstNonZero, firstNonZero + 2)
    .filter(([, value]) => value > 0)
    .map(([unit, value]) => `${value}${unit}`)
    .join(' ');
}
