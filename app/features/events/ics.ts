import type { AttendanceMode, EventKind, EventStatus } from "../../../db/schema/events";
import { eventPath } from "./paths";

/**
 * RFC 5545 calendars, pure (no db): used by the mails (.ics attachments), the "Add to calendar" files and
 * the public and private feeds, so every copy of an event carries the same UID and SEQUENCE and calendar
 * apps replace rather than duplicate it.
 */

export interface IcsEvent {
  /** Stable across updates, e.g. "event-12@<app host>". */
  uid: string;
  title: string;
  description: string;
  url: string;
  startsAt: Date;
  endsAt: Date;
  /** A venue and address, or the event page's URL for online events. */
  location: string;
  status: "CONFIRMED" | "CANCELLED";
  /** Bumped when the event changes, so calendar apps replace their copy (use the updated time in seconds). */
  sequence: number;
  updatedAt: Date;
}

const CRLF = "\r\n";
/** RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_LINE_OCTETS = 75;

/** 20260308T073000Z: every time is written in UTC, so no VTIMEZONE block is needed and no app guesses a zone. */
export function icsUtcTime(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/** TEXT values (3.3.11): backslash, semicolon, comma and newlines escaped; other control characters dropped. */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\n/g, "\\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Folds a content line at 75 octets (3.1): continuation lines start with one space, which counts toward
 * their 75. Splits between code points, never inside a multi-byte UTF-8 sequence, so each physical line
 * stays valid UTF-8 for strict parsers.
 */
export function foldIcsLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0)!);
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      // The leading space of a continuation line takes one octet.
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** A VCALENDAR with the events, CRLF line endings, lines folded at 75 octets, text escaped. */
export function buildIcs(input: { calendarName: string; events: readonly IcsEvent[]; method?: "PUBLISH" }): string {
  const lines: string[] = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Hearth//Events//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${input.method ?? "PUBLISH"}`,
    `X-WR-CALNAME:${escapeIcsText(input.calendarName)}`,
    `NAME:${escapeIcsText(input.calendarName)}`,
  ];
  for (const event of input.events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeIcsText(event.uid)}`,
      // DTSTAMP is the event's last change rather than "now": the same event always produces the same bytes,
      // so a mail, a download and a feed agree, and feed responses stay cacheable.
      `DTSTAMP:${icsUtcTime(event.updatedAt)}`,
      `DTSTART:${icsUtcTime(event.startsAt)}`,
      `DTEND:${icsUtcTime(event.endsAt)}`,
      `SUMMARY:${escapeIcsText(event.title)}`,
      ...(event.description ? [`DESCRIPTION:${escapeIcsText(event.description)}`] : []),
      // URI values are not TEXT: escaping a comma there would change the link.
      `URL:${event.url.replace(/[\r\n]/g, "")}`,
      ...(event.location ? [`LOCATION:${escapeIcsText(event.location)}`] : []),
      `STATUS:${event.status}`,
      `SEQUENCE:${event.sequence}`,
      `LAST-MODIFIED:${icsUtcTime(event.updatedAt)}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldIcsLine).join(CRLF) + CRLF;
}

/** The columns of an events row that its calendar entry needs. */
export interface IcsEventSource {
  id: number;
  kind: EventKind;
  slug: string;
  title: string;
  summary: string;
  startsAt: Date;
  endsAt: Date;
  status: EventStatus;
  attendanceMode: AttendanceMode;
  venueName: string | null;
  venueAddress: string | null;
  updatedAt: Date;
}

/**
 * An events row as a calendar entry. The join link is deliberately left out: it is for registered members
 * only, shortly before the start, while .ics files and feeds travel further than that.
 */
export function eventToIcsEvent(row: IcsEventSource, appUrl: string): IcsEvent {
  const url = new URL(eventPath(row.kind, row.slug), appUrl).toString();
  const venue = [row.venueName, row.venueAddress].filter((part): part is string => Boolean(part?.trim())).join(", ");
  return {
    uid: `event-${row.id}@${new URL(appUrl).hostname}`,
    title: row.title,
    description: row.summary ? `${row.summary}\n\n${url}` : url,
    url,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    location: row.attendanceMode === "in_person" && venue ? venue : url,
    status: row.status === "cancelled" ? "CANCELLED" : "CONFIRMED",
    sequence: Math.floor(row.updatedAt.getTime() / 1000),
    updatedAt: row.updatedAt,
  };
}

/** A file name for an event's .ics, from its slug (already [a-z0-9-]). */
export function icsFileName(slug: string): string {
  return `${slug.replace(/[^a-z0-9-]/gi, "") || "event"}.ics`;
}
