import { describe, expect, it } from "vitest";
import { eventFormSchema } from "../../app/features/events/events.schema";
import { buildIcs, eventToIcsEvent } from "../../app/features/events/ics";
import { utcToZonedLocal, zonedLocalToUtc } from "../../app/features/events/zoned-time";

const utc = (local: string, zone: string) => zonedLocalToUtc(local, zone)?.toISOString();

/** The .ics DTSTART of an event created from the event form in a zone. */
function dtstartFromForm(startsLocal: string, endsLocal: string, timeZone: string): string {
  const parsed = eventFormSchema.parse({ kind: "webinar", title: "DST check", startsLocal, endsLocal, timeZone });
  const ics = buildIcs({
    calendarName: "t",
    events: [
      eventToIcsEvent(
        { id: 1, kind: "webinar", slug: "dst", title: parsed.title, summary: "", startsAt: parsed.startsAt, endsAt: parsed.endsAt, status: "published", attendanceMode: "online", venueName: null, venueAddress: null, updatedAt: new Date("2026-01-01T00:00:00Z") },
        "https://hearth.test",
      ),
    ],
  });
  return /DTSTART:(\S+)/.exec(ics)![1]!;
}

describe("events across daylight-saving changes", () => {
  it("America/New_York, spring forward on 2026-03-08: 10:00 that day is EDT, a week earlier EST", () => {
    expect(utc("2026-03-08T10:00", "America/New_York")).toBe("2026-03-08T14:00:00.000Z");
    expect(utc("2026-03-01T10:00", "America/New_York")).toBe("2026-03-01T15:00:00.000Z");
    expect(utc("2026-03-15T10:00", "America/New_York")).toBe("2026-03-15T14:00:00.000Z");
    // The gap: 02:30 does not exist that night; it moves forward by the gap.
    expect(utc("2026-03-08T02:30", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    expect(utcToZonedLocal(new Date("2026-03-08T07:30:00Z"), "America/New_York")).toBe("2026-03-08T03:30");
    expect(dtstartFromForm("2026-03-08T10:00", "2026-03-08T11:00", "America/New_York")).toBe("20260308T140000Z");
    expect(dtstartFromForm("2026-03-08T02:30", "2026-03-08T04:00", "America/New_York")).toBe("20260308T073000Z");
  });

  it("America/New_York, fall back on 2026-11-01: 10:00 that day is EST, a week earlier EDT; 01:30 is the earlier of two", () => {
    expect(utc("2026-11-01T10:00", "America/New_York")).toBe("2026-11-01T15:00:00.000Z");
    expect(utc("2026-10-25T10:00", "America/New_York")).toBe("2026-10-25T14:00:00.000Z");
    expect(utc("2026-11-08T10:00", "America/New_York")).toBe("2026-11-08T15:00:00.000Z");
    // The overlap: 01:30 happens twice (EDT then EST); the first is taken.
    expect(utc("2026-11-01T01:30", "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    expect(dtstartFromForm("2026-11-01T10:00", "2026-11-01T11:30", "America/New_York")).toBe("20261101T150000Z");
    expect(dtstartFromForm("2026-11-01T01:30", "2026-11-01T02:30", "America/New_York")).toBe("20261101T053000Z");
  });

  it("Europe/London, spring forward on 2026-03-29: 10:00 is BST that day and GMT a week before", () => {
    expect(utc("2026-03-29T10:00", "Europe/London")).toBe("2026-03-29T09:00:00.000Z");
    expect(utc("2026-03-22T10:00", "Europe/London")).toBe("2026-03-22T10:00:00.000Z");
    expect(utc("2026-03-29T01:30", "Europe/London")).toBe("2026-03-29T01:30:00.000Z");
    expect(dtstartFromForm("2026-03-29T10:00", "2026-03-29T11:00", "Europe/London")).toBe("20260329T090000Z");
    expect(dtstartFromForm("2026-03-22T10:00", "2026-03-22T11:00", "Europe/London")).toBe("20260322T100000Z");
  });

  it("a weekly 10:00 series keeps its wall-clock time, so its UTC instant moves by an hour across the change", () => {
    const before = zonedLocalToUtc("2026-03-01T10:00", "America/New_York")!;
    const after = zonedLocalToUtc("2026-03-08T10:00", "America/New_York")!;
    expect(after.getTime() - before.getTime()).toBe(7 * 24 * 3600_000 - 3600_000);
  });
});
