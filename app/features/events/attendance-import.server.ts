import type { Db } from "../../../db/client";
import type { EventActor, EventResult } from "./result";

// CONTRACT STUB (helper C implements): attendee-report CSV import (preview, then commit).

/** Largest report accepted; larger uploads are refused with a clear message before anything is stored. */
export const ATTENDANCE_FILE_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Streams an attendee report (CSV from Zoom, Webex, GoToWebinar, Teams…): finds the header, maps columns
 * (email, name, join time, leave time, duration), merges rejoins per email (minutes summed), matches
 * members by email, and stores the preview (attendance_imports + attendance_import_rows). Nothing about
 * attendance changes here. A file that cannot be read (wrong columns, too large, not text) gets a failed
 * import with file errors. Memory is bounded by distinct attendees, not file size.
 */
export async function previewAttendanceImport(
  db: Db,
  actor: EventActor,
  input: { eventId: number; fileName: string; data: AsyncIterable<Uint8Array> },
): Promise<EventResult<{ importId: number }>> {
  void db; void actor; void input;
  throw new Error("not implemented");
}

/**
 * Applies a ready import: matched members become attended with the report's minutes (registering them when
 * they attended without registering). Idempotent: committing the same report again, or another import of
 * an identical file, changes nothing. Side effects: attended_count, attended activities.
 */
export async function commitAttendanceImport(db: Db, actor: EventActor, importId: number): Promise<EventResult<{ applied: number }>> {
  void db; void actor; void importId;
  throw new Error("not implemented");
}
