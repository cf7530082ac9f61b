import { describe, expect, it } from "vitest";
import { eventJsonLd, type EventJsonLdInput } from "../../app/features/events/seo";
import { jsonForScript } from "../../app/features/kb/seo";

const base: EventJsonLdInput = {
  url: "https://community.example.test/webinars/intro",
  title: "Intro to dashboards",
  description: "Build your first dashboard.",
  startsAt: new Date("2030-01-10T01:00:00Z"),
  endsAt: "2030-01-10T02:00:00.000Z",
  status: "published",
  attendanceMode: "online",
  language: "en",
  venueName: null,
  venueAddress: null,
  speakers: [{ name: "Aiko Tanaka", title: "Product manager" }],
  seatsLeft: 80,
  capacity: 100,
  publishedAt: new Date("2029-12-01T00:00:00Z"),
  organizer: { name: "Hearth", url: "https://community.example.test/" },
};

describe("eventJsonLd", () => {
  it("describes an online webinar with a virtual location, speakers and a free offer", () => {
    const ld = eventJsonLd(base);
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Event",
      name: "Intro to dashboards",
      startDate: "2030-01-10T01:00:00.000Z",
      endDate: "2030-01-10T02:00:00.000Z",
      eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode",
      eventStatus: "https://schema.org/EventScheduled",
      location: { "@type": "VirtualLocation", url: base.url },
      inLanguage: "en",
      organizer: { "@type": "Organization", name: "Hearth" },
      performer: [{ "@type": "Person", name: "Aiko Tanaka", jobTitle: "Product manager" }],
      offers: { "@type": "Offer", price: 0, availability: "https://schema.org/InStock", url: base.url, validFrom: "2029-12-01T00:00:00.000Z" },
    });
    expect(ld).not.toHaveProperty("image");
  });

  it("describes an in-person event at a place with its address", () => {
    const ld = eventJsonLd({ ...base, attendanceMode: "in_person", venueName: "Shibuya Hall", venueAddress: "1-1 Shibuya, Tokyo", speakers: [] });
    expect(ld.eventAttendanceMode).toBe("https://schema.org/OfflineEventAttendanceMode");
    expect(ld.location).toEqual({ "@type": "Place", name: "Shibuya Hall", address: { "@type": "PostalAddress", streetAddress: "1-1 Shibuya, Tokyo" } });
    expect(ld).not.toHaveProperty("performer");
  });

  it("marks a cancelled event", () => {
    const ld = eventJsonLd({ ...base, status: "cancelled" });
    expect(ld.eventStatus).toBe("https://schema.org/EventCancelled");
  });

  it("says sold out when full, limited when few seats are left, in stock when unlimited", () => {
    expect((eventJsonLd({ ...base, seatsLeft: 0 }).offers as { availability: string }).availability).toBe("https://schema.org/SoldOut");
    expect((eventJsonLd({ ...base, seatsLeft: 3 }).offers as { availability: string }).availability).toBe("https://schema.org/LimitedAvailability");
    expect((eventJsonLd({ ...base, seatsLeft: null, capacity: null }).offers as { availability: string }).availability).toBe("https://schema.org/InStock");
  });

  it("stays inside its script element whatever the title says", () => {
    const text = jsonForScript(eventJsonLd({ ...base, title: "</script><script>alert(1)</script>" }));
    expect(text).not.toContain("</script>");
    expect(JSON.parse(text).name).toBe("</script><script>alert(1)</script>");
  });
});
