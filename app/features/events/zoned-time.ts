/**
 * Wall-clock times in IANA zones, without a dependency: Intl knows every zone's offsets, so converting a
 * local time to UTC is "guess with the offset at that instant, then correct once". Pure, used by the
 * event forms (local time in the organizer's zone → UTC), the pages and the .ics files.
 */

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/** True for zones Intl knows ("Asia/Tokyo", "UTC"); false for anything else, including "". */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    partsFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instant: Date, timeZone: string): WallClock {
  const values: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") values[part.type] = Number(part.value);
  }
  return { year: values.year!, month: values.month!, day: values.day!, hour: values.hour!, minute: values.minute!, second: values.second! };
}

/** The zone's offset from UTC at an instant, in minutes (Tokyo +540, New York −300 or −240). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const wall = wallClockAt(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time ("2026-03-08T02:30", as an <input type="datetime-local"> sends it) names
 * in a zone, or null when the text is not such a time. Across a daylight-saving change: a time that does
 * not exist (skipped by the spring-forward gap) moves forward by the gap, as calendar apps do; a time that
 * happens twice (fall back) is the earlier one.
 */
export function zonedLocalToUtc(local: string, timeZone: string): Date | null {
  const match = LOCAL_PATTERN.exec(local.trim());
  if (!match || !isValidTimeZone(timeZone)) return null;
  const [, y, mo, d, h, mi, s] = match;
  const wallAsUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const check = new Date(wallAsUtc);
  // Reject dates JavaScript would roll over (2026-02-30).
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) {
    return null;
  }
  // Try both offsets around the time (the one before and after a possible change); prefer the earlier
  // instant whose wall clock matches exactly.
  const offsetBefore = zoneOffsetMinutes(new Date(wallAsUtc - 24 * 3600_000), timeZone);
  const offsetAfter = zoneOffsetMinutes(new Date(wallAsUtc + 24 * 3600_000), timeZone);
  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => wallAsUtc - offset * 60_000)
    .sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (zoneOffsetMinutes(new Date(candidate), timeZone) * 60_000 === wallAsUtc - candidate) return new Date(candidate);
  }
  // In a gap: no instant shows this wall time. Read it with the offset in force before the gap, which
  // lands after the gap by its length (02:30 in a skipped hour becomes 03:30).
  return new Date(wallAsUtc - offsetBefore * 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The wall-clock time of an instant in a zone, as "YYYY-MM-DDTHH:mm" (what datetime-local inputs take). */
export function utcToZonedLocal(instant: Date, timeZone: string): string {
  const wall = wallClockAt(instant, timeZone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** A few zones offered first in the forms; any valid IANA zone is accepted. */
export const COMMON_TIME_ZONES = [
  "UTC",
  "America/Los_Angeles",
  "America/Denver",
  "America/Chicago",
  "America/New_York",
  "America/Sao_Paulo",
  "Europe/London",
  "Europe/Paris",
  "Europe/Berlin",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Australia/Sydney",
] as const;
