import type { AttendanceMode, EventSpeaker, EventStatus } from "../../../db/schema/events";

// schema.org Event for webinar and group-event pages (what search engines show as event listings). Pure:
// the loader builds it and the page prints it with jsonForScript (kb/seo.ts).

export interface EventJsonLdInput {
  /** The page's absolute URL. */
  url: string;
  title: string;
  description: string;
  startsAt: Date | string;
  endsAt: Date | string;
  status: EventStatus;
  attendanceMode: AttendanceMode;
  language: string;
  venueName: string | null;
  venueAddress: string | null;
  speakers: readonly EventSpeaker[];
  /** null: unlimited. */
  seatsLeft: number | null;
  capacity: number | null;
  /** When registration opened (publication); omitted when unknown. */
  publishedAt: Date | string | null;
  /** The organizer shown; a group event's group, else the community. */
  organizer: { name: string; url: string };
  /** ISO 4217; the events are free, but schema.org's Offer expects a currency with a price. */
  priceCurrency?: string;
}

/** Fewer seats than this left (of a limited event) is "limited availability". */
const LIMITED_SEATS = 10;

function availability(input: EventJsonLdInput): string {
  if (input.status === "cancelled") return "https://schema.org/SoldOut";
  if (input.seatsLeft === null) return "https://schema.org/InStock";
  if (input.seatsLeft <= 0) return "https://schema.org/SoldOut";
  if (input.seatsLeft < LIMITED_SEATS || (input.capacity !== null && input.seatsLeft <= input.capacity / 10)) return "https://schema.org/LimitedAvailability";
  return "https://schema.org/InStock";
}

export function eventJsonLd(input: EventJsonLdInput): Record<string, unknown> {
  const online = input.attendanceMode === "online";
  const location = online
    ? { "@type": "VirtualLocation", url: input.url }
    : {
        "@type": "Place",
        name: input.venueName ?? input.title,
        ...(input.venueAddress ? { address: { "@type": "PostalAddress", streetAddress: input.venueAddress } } : {}),
      };
  return {
    "@context": "https://schema.org",
    "@type": "Event",
    name: input.title,
    description: input.description,
    url: input.url,
    startDate: new Date(input.startsAt).toISOString(),
    endDate: new Date(input.endsAt).toISOString(),
    eventAttendanceMode: online ? "https://schema.org/OnlineEventAttendanceMode" : "https://schema.org/OfflineEventAttendanceMode",
    eventStatus: input.status === "cancelled" ? "https://schema.org/EventCancelled" : "https://schema.org/EventScheduled",
    location,
    inLanguage: input.language,
    organizer: { "@type": "Organization", name: input.organizer.name, url: input.organizer.url },
    ...(input.speakers.length
      ? { performer: input.speakers.map((s) => ({ "@type": "Person", name: s.name, ...(s.title ? { jobTitle: s.title } : {}) })) }
      : {}),
    offers: {
      "@type": "Offer",
      price: 0,
      priceCurrency: input.priceCurrency ?? "USD",
      availability: availability(input),
      url: input.url,
      ...(input.publishedAt ? { validFrom: new Date(input.publishedAt).toISOString() } : {}),
    },
  };
}
