import type { Locale } from "../../../db/schema/identity";
import { timeZoneName } from "../../features/i18n/format";
import type { MessageKey, MessageParams } from "../../features/i18n/messages";
import { useT, useViewerI18n } from "../../features/i18n/use-i18n";

// Event times: always in the viewer's zone with the zone named, and for in-person events also the wall
// clock at the venue (a member travelling to Tokyo wants both). Formatters are built once per key, as in
// i18n/format.ts, because building one costs far more than using it.

const intlLocale: Record<Locale, string> = { en: "en-US", ja: "ja-JP" };
const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale[locale], options);
    formats.set(key, f);
  }
  return f;
}

/**
 * ICU versions differ in the spaces they put in ranges (Node's uses thin and narrow no-break spaces where
 * Chromium's uses plain ones); server and browser must render the same text, or hydration fails.
 */
const plainSpaces = (text: string) => text.replace(/[\u2009\u202f\u00a0]/g, " ");

/** "Dec 3, 2026, 10:00 – 11:00 AM" (the date once when both ends fall on the same day). */
export function formatEventRange(start: Date | string, end: Date | string, locale: Locale, timeZone: string): string {
  return plainSpaces(format(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).formatRange(new Date(start), new Date(end)));
}

/** A card's start: "Thu, Dec 3, 10:00 AM". */
export function formatEventStart(start: Date | string, locale: Locale, timeZone: string): string {
  return plainSpaces(format(locale, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone }).format(new Date(start)));
}

/** A day heading in a list: "Thursday, December 3, 2026". */
export function formatEventDay(start: Date | string, locale: Locale, timeZone: string): string {
  return plainSpaces(format(locale, { dateStyle: "full", timeZone }).format(new Date(start)));
}

type Translate = (key: MessageKey, params?: MessageParams) => string;

export function durationLabel(t: Translate, start: Date | string, end: Date | string): string {
  const minutes = Math.max(0, Math.round((new Date(end).getTime() - new Date(start).getTime()) / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return t("events.duration.minutes", { minutes });
  return rest === 0 ? t("events.duration.hours", { hours }) : t("events.duration.hoursMinutes", { hours, minutes: rest });
}

/** The event's time in the viewer's zone (named), plus the venue's own time for in-person events elsewhere. */
export function EventWhen({ startsAt, endsAt, venueZone, inPerson }: { startsAt: string; endsAt: string; venueZone: string; inPerson: boolean }) {
  const t = useT();
  const { locale, timeZone } = useViewerI18n();
  const start = new Date(startsAt);
  const showVenue = inPerson && venueZone !== timeZone && formatEventRange(startsAt, endsAt, locale, venueZone) !== formatEventRange(startsAt, endsAt, locale, timeZone);
  return (
    <>
      <p className="event-when-main">
        <time dateTime={startsAt}>{formatEventRange(startsAt, endsAt, locale, timeZone)}</time>
      </p>
      <p className="event-when-zone muted">{t("time.zone", { zone: timeZoneName(timeZone, locale, start) })}</p>
      {showVenue ? (
        <p className="event-when-venue muted">
          {t("events.detail.venueTime", { time: formatEventRange(startsAt, endsAt, locale, venueZone), zone: timeZoneName(venueZone, locale, start) })}
        </p>
      ) : null}
    </>
  );
}
