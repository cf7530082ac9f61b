import type { EventKind } from "../../../db/schema/events";

/** Public URLs of events and groups: webinars live under /webinars, group events under /events. */
export function eventPath(kind: EventKind, slug: string): string {
  return kind === "webinar" ? `/webinars/${encodeURIComponent(slug)}` : `/events/${encodeURIComponent(slug)}`;
}

/** The single event's .ics file ("Add to calendar"). */
export function eventCalendarPath(kind: EventKind, slug: string): string {
  return `${eventPath(kind, slug)}/calendar.ics`;
}

/** Records a "recording watched" activity, then redirects to the recording. */
export function eventRecordingPath(slug: string): string {
  return `/webinars/${encodeURIComponent(slug)}/recording`;
}

/** The phone-sized check-in list for the door (staff and the group's leaders). */
export function eventCheckInPath(kind: EventKind, slug: string): string {
  return `${eventPath(kind, slug)}/check-in`;
}

export function groupPath(slug: string): string {
  return `/groups/${encodeURIComponent(slug)}`;
}

/** A group's leader page: members, join requests, event drafts and attendance. */
export function groupManagePath(slug: string): string {
  return `${groupPath(slug)}/manage`;
}

export function adminEventPath(eventId: number): string {
  return `/admin/webinars/${eventId}`;
}

/** The public calendar of every upcoming published event. */
export const PUBLIC_CALENDAR_PATH = "/events.ics";

/** A member's private feed; the token is the only credential, so it is never logged or shown twice. */
export function privateCalendarPath(token: string): string {
  return `/calendar/${token}.ics`;
}
