import { LOCALES, type Locale } from "../../../db/schema/identity";

export { LOCALES, type Locale };

export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "hearth_lang";
export const TIME_ZONE_COOKIE = "hearth_tz";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The best supported language from an Accept-Language header, honouring q-values. */
export function localeFromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

// Checked on every request (cookie or profile), and constructing a formatter to check is slow: remember
// the answers. Bounded, because the values come from cookies anyone can write.
const knownTimeZones = new Map<string, boolean>();

export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) return false;
  const known = knownTimeZones.get(value);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    valid = true;
  } catch {
    valid = false;
  }
  if (knownTimeZones.size < 1000) knownTimeZones.set(value, valid);
  return valid;
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The viewer's language: their own setting, else the language they picked with the switcher (cookie),
 * else the browser's Accept-Language, else English.
 */
export function resolveLocale(
  headers: { cookie: string | null; acceptLanguage: string | null },
  userLocale: Locale | null | undefined,
): Locale {
  if (userLocale) return userLocale;
  const fromCookie = readCookie(headers.cookie, LOCALE_COOKIE);
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(headers.acceptLanguage) ?? DEFAULT_LOCALE;
}

/** The viewer's time zone: their setting, else the zone their browser reported (cookie), else UTC. */
export function resolveTimeZone(cookieHeader: string | null, userTimeZone: string | null | undefined): string {
  if (userTimeZone && isTimeZone(userTimeZone)) return userTimeZone;
  const fromCookie = readCookie(cookieHeader, TIME_ZONE_COOKIE);
  return isTimeZone(fromCookie) ? fromCookie : "UTC";
}
