import type { Db } from "../../../db/client";
import type { AttendanceMode, EventKind, EventLanguage, EventLevel, EventStatus } from "../../../db/schema/events";

// CONTRACT STUB (helper B implements): what the public pages read. Only published and cancelled events
// are visible to everyone; drafts and pending events only to those who manage them.

export interface EventCard {
  id: number;
  kind: EventKind;
  slug: string;
  path: string;
  title: string;
  summary: string;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  language: EventLanguage;
  level: EventLevel;
  tags: string[];
  attendanceMode: AttendanceMode;
  venueName: string | null;
  capacity: number | null;
  registeredCount: number;
  /** null when unlimited. */
  seatsLeft: number | null;
  hasRecording: boolean;
  group: { id: number; slug: string; name: string } | null;
}

export interface ListEventsFilter {
  kind?: EventKind;
  groupId?: number;
  tag?: string;
  language?: EventLanguage;
  /** upcoming: not yet ended, soonest first; past: ended, newest first; on_demand: ended with a recording. */
  when: "upcoming" | "past" | "on_demand";
  page?: number;
  pageSize?: number;
}

export async function listEvents(db: Db, filter: ListEventsFilter): Promise<{ items: EventCard[]; total: number }> {
  void db; void filter;
  throw new Error("not implemented");
}
