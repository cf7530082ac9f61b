// Converting between a <input type="datetime-local"> value ("2026-03-08T02:30", no zone) and an
// instant. The browser sends wall-clock time only, so the server needs the viewer's zone
// (context.timeZone) to know which instant was meant. Pure; no dependencies.

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const HOUR = 3_600_000;

/** The wall clock of `instantMs` in `timeZone`, expressed as if it were UTC (milliseconds). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
}

/**
 * The instant a wall-clock time names in `timeZone`; null for malformed input or an unknown zone.
 * Around DST changes: a time that happens twice (clocks go back) means the first one; a time that
 * never happens (clocks go forward) is read with the offset in force before the change, so
 * 02:30 on a spring-forward night in New York becomes 03:30 EDT — what the person most likely meant.
 */
export function localDateTimeToUtc(value: string, timeZone: string): Date | null {
  const match = LOCAL_PATTERN.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls "02-30" over to March; such input is not a real date.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  let before: number;
  let after: number;
  try {
    // Offsets 12 hours either side cover any single transition near this wall time.
    before = wallClockMs(wall - 12 * HOUR, timeZone) - (wall - 12 * HOUR);
    after = wallClockMs(wall + 12 * HOUR, timeZone) - (wall + 12 * HOUR);
  } catch {
    return null;
  }
  const candidates = [wall - before, wall - after].filter((instant) => wallClockMs(instant, timeZone) === wall);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(wall - before);
}

/** The datetime-local value ("YYYY-MM-DDTHH:mm") showing `instant` on a wall clock in `timeZone`. */
export function utcToLocalDateTime(instant: Date | string, timeZone: string): string {
  return new Date(wallClockMs(new Date(instant).getTime(), timeZone)).toISOString().slice(0, 16);
}

/** Today's calendar date (YYYY-MM-DD) in `timeZone`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return utcToLocalDateTime(now, timeZone).slice(0, 10);
}
