// CONTRACT STUB (helper A implements): RFC 5545 calendars, pure (no db), used by mail, routes and feeds.

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

/** A VCALENDAR with the events, CRLF line endings, lines folded at 75 octets, text escaped. */
export function buildIcs(input: { calendarName: string; events: readonly IcsEvent[]; method?: "PUBLISH" }): string {
  void input;
  throw new Error("not implemented");
}
