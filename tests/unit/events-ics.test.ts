import { describe, expect, it } from "vitest";
import { buildIcs, escapeIcsText, eventToIcsEvent, foldIcsLine, type IcsEvent } from "../../app/features/events/ics";

const base: IcsEvent = {
  uid: "event-1@hearth.test",
  title: "Launch",
  description: "",
  url: "https://hearth.test/webinars/launch",
  startsAt: new Date("2026-03-08T07:30:00Z"),
  endsAt: new Date("2026-03-08T08:30:00Z"),
  location: "https://hearth.test/webinars/launch",
  status: "CONFIRMED",
  sequence: 3,
  updatedAt: new Date("2026-03-01T00:00:00Z"),
};

const octets = (s: string) => Buffer.byteLength(s, "utf8");

/** Undoes folding (RFC 5545 3.1) the way a calendar app reads it. */
const unfold = (ics: string) => ics.replace(/\r\n /g, "");

describe("buildIcs", () => {
  it("writes a VCALENDAR with UTC times, CRLF line ends and the event's fields", () => {
    const ics = buildIcs({ calendarName: "Hearth", events: [base] });
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(ics).toContain("\r\nMETHOD:PUBLISH\r\n");
    expect(ics).toContain("\r\nDTSTART:20260308T073000Z\r\n");
    expect(ics).toContain("\r\nDTEND:20260308T083000Z\r\n");
    expect(ics).toContain("\r\nDTSTAMP:20260301T000000Z\r\n");
    expect(ics).toContain("\r\nUID:event-1@hearth.test\r\n");
    expect(ics).toContain("\r\nSTATUS:CONFIRMED\r\n");
    expect(ics).toContain("\r\nSEQUENCE:3\r\n");
  });

  it("escapes backslashes, semicolons, commas and newlines in text", () => {
    expect(escapeIcsText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
    const ics = unfold(buildIcs({ calendarName: "x", events: [{ ...base, title: "Q&A; tips, tricks", description: "line one\nline two" }] }));
    expect(ics).toContain("SUMMARY:Q&A\\; tips\\, tricks\r\n");
    expect(ics).toContain("DESCRIPTION:line one\\nline two\r\n");
  });

  it("folds long lines at 75 octets without splitting a multi-byte character", () => {
    const title = "日本語のウェビナー".repeat(12) + " and some ASCII to finish 🎉🎉";
    const ics = buildIcs({ calendarName: "x", events: [{ ...base, title }] });
    for (const line of ics.split("\r\n")) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      // A split inside a character would leave U+FFFD after a round trip through bytes.
      expect(Buffer.from(line, "utf8").toString("utf8")).toBe(line);
    }
    expect(unfold(ics)).toContain(`SUMMARY:${title}\r\n`);
    const folded = foldIcsLine("A".repeat(200));
    expect(folded.split("\r\n").map(octets)).toEqual([75, 75, 52]);
    expect(folded.split("\r\n").slice(1).every((l) => l.startsWith(" "))).toBe(true);
  });

  it("marks cancelled events CANCELLED", () => {
    expect(buildIcs({ calendarName: "x", events: [{ ...base, status: "CANCELLED" }] })).toContain("\r\nSTATUS:CANCELLED\r\n");
  });
});

describe("eventToIcsEvent", () => {
  const row = {
    id: 42,
    kind: "group_event" as const,
    slug: "tokyo-meetup",
    title: "Tokyo meetup",
    summary: "Beers and demos",
    startsAt: new Date("2026-05-01T09:00:00Z"),
    endsAt: new Date("2026-05-01T11:00:00Z"),
    status: "published" as const,
    attendanceMode: "in_person" as const,
    venueName: "Shibuya Hall",
    venueAddress: "1-2-3 Shibuya, Tokyo",
    updatedAt: new Date("2026-04-01T00:00:05Z"),
  };

  it("uses a stable UID from the app host, the venue for in-person events and the update time as SEQUENCE", () => {
    const ics = eventToIcsEvent(row, "https://community.example.com");
    expect(ics.uid).toBe("event-42@community.example.com");
    expect(ics.url).toBe("https://community.example.com/events/tokyo-meetup");
    expect(ics.location).toBe("Shibuya Hall, 1-2-3 Shibuya, Tokyo");
    expect(ics.sequence).toBe(Math.floor(row.updatedAt.getTime() / 1000));
    expect(ics.status).toBe("CONFIRMED");
  });

  it("points online events at their page and marks cancelled ones", () => {
    const ics = eventToIcsEvent({ ...row, kind: "webinar", attendanceMode: "online", status: "cancelled" }, "https://community.example.com");
    expect(ics.location).toBe("https://community.example.com/webinars/tokyo-meetup");
    expect(ics.status).toBe("CANCELLED");
  });
});
