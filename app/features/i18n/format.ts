import type { Locale } from "../../../db/schema/identity";

const intlLocale: Record<Locale, string> = { en: "en-US", ja: "ja-JP" };

/** A date and time in the viewer's language and time zone, e.g. "Nov 23, 2026, 3:04 PM". */
export function formatDateTime(value: Date | string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(value),
  );
}

export function formatDate(value: Date | string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: "medium", timeZone }).format(new Date(value));
}

/** A calendar date (no time, no zone shift), such as a renewal date stored as YYYY-MM-DD. */
export function formatCalendarDate(isoDate: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

/** The zone's readable name in the viewer's language, e.g. "Japan Standard Time". */
export function timeZoneName(timeZone: string, locale: Locale, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat(intlLocale[locale], { timeZone, timeZoneName: "long" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale]).format(value);
}
