import { describe, expect, it } from "vitest";
import { localDateTimeToUtc, todayIn, utcToLocalDateTime } from "../../app/components/admin-kb/local-time";

describe("scheduling times typed in the viewer's time zone", () => {
  it("reads a Tokyo wall-clock time as the instant nine hours earlier in UTC", () => {
    expect(localDateTimeToUtc("2026-12-01T09:00", "Asia/Tokyo")?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });

  it("uses the summer and winter offsets of a zone with daylight saving", () => {
    expect(localDateTimeToUtc("2026-07-01T12:00", "America/New_York")?.toISOString()).toBe("2026-07-01T16:00:00.000Z");
    expect(localDateTimeToUtc("2026-01-15T12:00", "America/New_York")?.toISOString()).toBe("2026-01-15T17:00:00.000Z");
  });

  it("moves a time skipped by spring-forward to just after the change", () => {
    // 2026-03-08 02:30 does not exist in New York: clocks jump from 02:00 EST to 03:00 EDT.
    expect(localDateTimeToUtc("2026-03-08T02:30", "America/New_York")?.toISOString()).toBe("2026-03-08T07:30:00.000Z");
    expect(localDateTimeToUtc("2026-03-08T03:30", "America/New_York")?.toISOString()).toBe("2026-03-08T07:30:00.000Z");
  });

  it("takes the first of the two 01:30s when clocks go back", () => {
    // 2026-11-01 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(localDateTimeToUtc("2026-11-01T01:30", "America/New_York")?.toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(localDateTimeToUtc("2026-10-25T02:30", "Europe/Berlin")?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("refuses malformed input, impossible dates and unknown zones", () => {
    expect(localDateTimeToUtc("", "UTC")).toBeNull();
    expect(localDateTimeToUtc("tomorrow", "UTC")).toBeNull();
    expect(localDateTimeToUtc("2026-02-30T10:00", "UTC")).toBeNull();
    expect(localDateTimeToUtc("2026-01-01T24:00", "UTC")).toBeNull();
    expect(localDateTimeToUtc("2026-01-01T10:00", "Mars/Olympus")).toBeNull();
  });

  it("shows an instant back as the same wall-clock value", () => {
    const instant = localDateTimeToUtc("2026-11-01T01:30", "America/New_York")!;
    expect(utcToLocalDateTime(instant, "America/New_York")).toBe("2026-11-01T01:30");
    expect(utcToLocalDateTime("2026-12-01T00:00:00Z", "Asia/Tokyo")).toBe("2026-12-01T09:00");
    expect(todayIn("Asia/Tokyo", new Date("2026-12-31T20:00:00Z"))).toBe("2027-01-01");
  });
});
