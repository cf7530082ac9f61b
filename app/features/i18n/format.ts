import type { Locale } from "../../../db/schema/identity";

const intlLocale: Record<Locale, string> = { en: "en-US", ja: "ja-JP" };

// Building an Intl formatter costs far more than using one (it was ~3% of an article page's server time),
// so each distinct (locale, options) formatter is built once per process. Few distinct keys exist:
// two locales × the time zones readers use × four styles.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale[locale], options);
    dateTimeFormats.set(key, format);
  }
  return format;
}
const numberFormats: Partial<Record<Locale, Intl.NumberFormat>> = {};

/** A date and time in the viewer's language and time zone, e.g. "Nov 23, 2026, 3:04 PM". */
export function formatDateTime(value: Date | string, locale: Locale, timeZone: string): string {
  return dateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(value));
}

export function formatDate(value: Date | string, locale: Locale, timeZone: string): string {
  return dateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(value));
}

/** A calendar date (no time, no zone shift), such as a renewal date stored as YYYY-MM-DD. */
export function formatCalendarDate(isoDate: string, locale: Locale): string {
  return dateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** The zone's readable name in the viewer's language, e.g. "Japan Standard Time". */
export function timeZoneName(timeZone: string, locale: Locale, at: Date = new Date()): string {
  const part = dateTimeFormat(locale, { timeZone, timeZoneName: "long" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

export function formatNumber(value: number, locale: Locale): string {
  numberFormats[locale] ??= new Intl.NumberFormat(intlLocale[locale]);
  return numberFormats[locale].format(value);
}
