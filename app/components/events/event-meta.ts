import type { SerializeFrom } from "@remix-run/node";
import type { EventPage } from "../../features/events/reads.server";

/** The catalog filtered to one topic (tags on event pages and cards link here). */
export function webinarTagHref(tag: string): string {
  return `/webinars?${new URLSearchParams({ tag }).toString()}`;
}

export function eventsTagHref(tag: string): string {
  return `/events?${new URLSearchParams({ tag }).toString()}`;
}

interface EventPageMetaData {
  event: SerializeFrom<EventPage>;
  canonical: string;
  description: string;
  isPublic: boolean;
}

/** Title, description, canonical and Open Graph tags of an event page; drafts are never indexed. */
export function eventPageMeta(data: EventPageMetaData | undefined) {
  if (!data) return [{ title: "Hearth" }];
  const { event, canonical, description } = data;
  return [
    { title: `${event.title} · Hearth` },
    { name: "description", content: description },
    { tagName: "link", rel: "canonical", href: canonical },
    ...(data.isPublic ? [] : [{ name: "robots", content: "noindex" }]),
    { property: "og:type", content: "website" },
    { property: "og:title", content: event.title },
    { property: "og:description", content: description },
    { property: "og:url", content: canonical },
    { property: "og:site_name", content: "Hearth" },
    { property: "og:locale", content: event.language === "ja" ? "ja_JP" : "en_US" },
  ];
}
