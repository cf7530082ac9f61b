import { describe, expect, it } from "vitest";
import { isTimeZone, localeFromAcceptLanguage, resolveLocale, resolveTimeZone } from "../../app/features/i18n/locale";
import { catalogs, translate } from "../../app/features/i18n/messages";
import { formatDateTime, timeZoneName } from "../../app/features/i18n/format";

describe("choosing the viewer's language", () => {
  it("prefers the member's own setting over cookie and browser", () => {
    expect(resolveLocale({ cookie: "hearth_lang=en", acceptLanguage: "en-US" }, "ja")).toBe("ja");
  });
  it("uses the switcher's cookie for visitors", () => {
    expect(resolveLocale({ cookie: "a=1; hearth_lang=ja", acceptLanguage: "en-US,en;q=0.9" }, null)).toBe("ja");
  });
  it("falls back to Accept-Language by q-value, then English", () => {
    expect(localeFromAcceptLanguage("fr-FR,ja;q=0.8,en;q=0.5")).toBe("ja");
    expect(localeFromAcceptLanguage("en;q=0.2,ja-JP;q=0.9")).toBe("ja");
    expect(localeFromAcceptLanguage("de,fr")).toBeUndefined();
    expect(resolveLocale({ cookie: null, acceptLanguage: "de" }, null)).toBe("en");
  });
  it("ignores a forged cookie value", () => {
    expect(resolveLocale({ cookie: "hearth_lang=<script>", acceptLanguage: null }, null)).toBe("en");
  });
});

describe("time zones", () => {
  it("accepts IANA zones and rejects junk", () => {
    expect(isTimeZone("Asia/Tokyo")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
  it("uses the browser-reported zone for visitors, else UTC", () => {
    expect(resolveTimeZone("hearth_tz=Europe%2FLondon", null)).toBe("Europe/London");
    expect(resolveTimeZone("hearth_tz=nonsense", null)).toBe("UTC");
    expect(resolveTimeZone(null, "America/New_York")).toBe("America/New_York");
  });
  it("renders one instant in the viewer's zone and language", () => {
    const instant = new Date("2026-03-08T15:30:00Z");
    expect(formatDateTime(instant, "en", "Asia/Tokyo")).toContain("12:30");
    expect(formatDateTime(instant, "ja", "Asia/Tokyo")).toMatch(/2026\/03\/09|2026年3月9日/);
    // The US switched to daylight time at 2:00 local on this day: 15:30Z is 11:30 EDT, not 10:30 EST.
    expect(formatDateTime(instant, "en", "America/New_York")).toContain("11:30");
    expect(timeZoneName("Asia/Tokyo", "en")).toBe("Japan Standard Time");
  });
});

describe("message catalogs", () => {
  it("has a non-empty Japanese string for every English key", () => {
    for (const key of Object.keys(catalogs.en) as Array<keyof typeof catalogs.en>) {
      expect(catalogs.ja[key], key).toBeTruthy();
    }
  });
  it("fills placeholders", () => {
    expect(translate("en", "home.greeting", { name: "Ken" })).toBe("Signed in as Ken");
    expect(translate("ja", "home.greeting", { name: "Ken" })).toBe("Ken としてログイン中");
  });
});
