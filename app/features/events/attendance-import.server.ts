import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { parse, type Info } from "csv-parse";
import { and, asc, count, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { attendanceImportRows, attendanceImports, eventRegistrations, events, users } from "../../../db/schema";
import type { AttendanceImportStatus, AttendanceRowStatus } from "../../../db/schema/events";
import { canManageEvent } from "./access.server";
import { attendedActivityKeyPrefix, attendedActivityType } from "./activity";
import { enqueueEventFollowUps } from "./jobs.server";
import { refuse, type EventActor, type EventResult } from "./result";
import { zonedLocalToUtc } from "./zoned-time";

/**
 * Attendee-report import: a CSV from Zoom, Webex, GoToWebinar, Teams… is streamed (never held whole in
 * memory), previewed, then committed.
 *
 * Reading: the header row is looked for in the first HEADER_SEARCH_LINES lines (Zoom puts a summary block
 * above it); columns are matched by name, case-insensitively, in English and Japanese. A line that repeats
 * the header starts a new section (Zoom lists hosts, panelists and attendees under separate headers);
 * one-cell lines are section titles and are skipped. Memory is bounded by the distinct attendees (merged
 * per email), the invalid rows kept for the preview are capped, and reading stops at the byte limit.
 *
 * Committing "makes the state match" for every matched member: attended, attended_at = first join (or the
 * event's start when the report has no times), attended_minutes = the merged minutes, source import.
 * Members the report does not mention are left alone (manual check-ins stay). A member who attended
 * without registering gets a registration row with status registered but is NOT added to
 * registered_count: that counter is what seat and waitlist decisions read, and a walk-in never took a
 * seat from anyone. Committing a report whose bytes (SHA-256) were already committed for the event
 * applies nothing.
 */

/** Largest report accepted; larger uploads are refused with a clear message before anything is stored. */
export const ATTENDANCE_FILE_MAX_BYTES = 20 * 1024 * 1024;
/** More lines than any real webinar report; beyond it the file is refused (and memory stays bounded). */
export const ATTENDANCE_MAX_LINES = 200_000;
/** Invalid lines kept for the preview; beyond it they are only counted. */
export const ATTENDANCE_INVALID_ROWS_KEPT = 1_000;
export const ATTENDANCE_ROWS_PAGE_SIZE = 50;
const HEADER_SEARCH_LINES = 30;
const BATCH = 1_000;
const MAX_MINUTES = 24 * 60;
/** A single CSV field or line longer than this is not an attendee report. */
const MAX_RECORD_CHARS = 64 * 1024;

type Column = "email" | "name" | "join" | "leave" | "duration" | "attended";

const COLUMN_ALIASES: Record<Column, readonly string[]> = {
  email: ["email", "user email", "email address", "attendee email", "e-mail", "メールアドレス", "メール"],
  name: ["name", "name (original name)", "user name (original name)", "user name", "full name", "attendee name", "display name", "名前", "氏名"],
  join: ["join time", "joined", "join date", "first join", "first join time", "参加時刻", "入室時刻"],
  leave: ["leave time", "left", "last leave", "last leave time", "退出時刻"],
  // Zoom lists registrants who never came with Attended = "No".
  attended: ["attended", "出席"],
  duration: ["duration", "duration (minutes)", "duration (mins)", "time in session", "time in session (minutes)", "attendance duration", "参加時間", "参加時間（分）", "参加時間 (分)"],
};

const normalizeHeader = (cell: string) => cell.replace(/^\uFEFF/, "").trim().toLowerCase().replace(/\s+/g, " ");

const ALIAS_TO_COLUMN = new Map<string, Column>();
for (const [column, aliases] of Object.entries(COLUMN_ALIASES) as Array<[Column, readonly string[]]>) {
  for (const alias of aliases) ALIAS_TO_COLUMN.set(normalizeHeader(alias), column);
}

type ColumnMap = Partial<Record<Column, number>>;

/** The columns a row names, when it looks like a header (it names an email column). */
function headerColumns(cells: readonly string[]): ColumnMap | null {
  const map: ColumnMap = {};
  cells.forEach((cell, index) => {
    const column = ALIAS_TO_COLUMN.get(normalizeHeader(cell));
    if (column && map[column] === undefined) map[column] = index;
  });
  return map.email === undefined ? null : map;
}

const isComplete = (map: ColumnMap) => map.duration !== undefined || (map.join !== undefined && map.leave !== undefined);

export type FileError = { key: string; params?: Record<string, string | number> };

export type RowProblem =
  | "adminEvents.problem.email"
  | "adminEvents.problem.date"
  | "adminEvents.problem.leaveBeforeJoin"
  | "adminEvents.problem.duration"
  | "adminEvents.problem.formula";

const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;

/**
 * Cells a spreadsheet would run as a formula. Numbers, negative numbers and phone numbers (+81 3-1234…)
 * are let through: without letters or other symbols they cannot call a function or reference anything.
 */
export function isFormulaLike(cell: string): boolean {
  if (!/^[=+\-@\t\r]/.test(cell) || isPlaceholder(cell)) return false;
  return !/^[+-]?[\d\s().,:/-]*\d[\d\s().,:/-]*$/.test(cell);
}

/** "-" and "--" are what report tools write for "no value" (a no-show's join time). */
const isPlaceholder = (cell: string) => /^\s*-{1,2}\s*$/.test(cell);
const cellText = (cells: readonly string[], index: number | undefined) => {
  if (index === undefined) return "";
  const value = (cells[index] ?? "").trim();
  return isPlaceholder(value) ? "" : value;
};

/** Minutes from "42", "42.5", "1:02:03" (h:mm:ss) or "2:03" (m:ss); null when unreadable. */
export function parseDurationMinutes(text: string): number | null {
  const value = text.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(value)) return Number(value);
  const hms = /^(\d+):([0-5]?\d):([0-5]?\d)$/.exec(value);
  if (hms) return Number(hms[1]) * 60 + Number(hms[2]) + Number(hms[3]) / 60;
  const ms = /^(\d+):([0-5]\d)$/.exec(value);
  if (ms) return Number(ms[1]) + Number(ms[2]) / 60;
  return null;
}

const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const YMD = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const MDY = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/;

/**
 * Reads report times: ISO 8601 with an offset as is; "YYYY-MM-DD HH:mm[:ss]" and "MM/DD/YYYY hh:mm[:ss]
 * AM/PM" as wall-clock times in the event's zone. The zone offset is looked up once per local hour (the
 * cache), which is right for every zone whose offset changes on the hour.
 */
export function createTimeReader(timeZone: string) {
  const hourCache = new Map<string, number | null>();
  const local = (y: number, mo: number, d: number, h: number, mi: number, s: number): Date | null => {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    const hourKey = `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}`;
    let base = hourCache.get(hourKey);
    if (base === undefined) {
      base = zonedLocalToUtc(`${hourKey}:00`, timeZone)?.getTime() ?? null;
      hourCache.set(hourKey, base);
    }
    return base === null ? null : new Date(base + mi * 60_000 + s * 1000);
  };
  return (text: string): Date | null => {
    const value = text.trim();
    let m = ISO_WITH_OFFSET.exec(value);
    if (m) {
      let offset = m[3]!.toUpperCase();
      if (offset !== "Z" && !offset.includes(":")) offset = offset.length === 3 ? `${offset}:00` : `${offset.slice(0, 3)}:${offset.slice(3)}`;
      const at = new Date(`${m[1]}T${m[2]}${offset}`);
      return Number.isNaN(at.getTime()) ? null : at;
    }
    m = YMD.exec(value);
    if (m) return local(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
    m = MDY.exec(value);
    if (m) {
      let hour = Number(m[4]);
      const meridiem = m[7]?.toLowerCase();
      if (meridiem) {
        if (hour < 1 || hour > 12) return null;
        hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
      }
      return local(Number(m[3]), Number(m[1]), Number(m[2]), hour, Number(m[5]), Number(m[6] ?? 0));
    }
    return null;
  };
}

/** Picks `,`, `;` or TAB by which occurs most in the first lines (comma on a tie). */
function detectDelimiter(head: string): string {
  const lines = head.split(/\r?\n/, HEADER_SEARCH_LINES);
  let best = ",";
  let bestCount = 0;
  for (const candidate of [",", ";", "\t"]) {
    const n = lines.reduce((sum, line) => sum + line.split(candidate).length - 1, 0);
    if (n > bestCount) {
      best = candidate;
      bestCount = n;
    }
  }
  return best;
}

interface Attendee {
  line: number;
  name: string | null;
  firstJoin: number | null;
  lastLeave: number | null;
  minutes: number;
  joins: number;
}

type InvalidRow = { line: number; email: string | null; name: string | null; problem: RowProblem };

type LineResult = { ok: true; email: string; name: string | null; join: number | null; leave: number | null; minutes: number } | { ok: false; problem: RowProblem; email: string | null; name: string | null };

const clip = (value: string | undefined, max: number) => {
  const v = (value ?? "").trim();
  return v ? v.slice(0, max) : null;
};

function readLine(cells: readonly string[], columns: ColumnMap, readTime: (text: string) => Date | null): LineResult {
  const rawEmail = columns.email !== undefined ? cells[columns.email] : undefined;
  const email = clip(rawEmail, 320)?.toLowerCase() ?? null;
  const name = columns.name !== undefined ? clip(cells[columns.name], 200) : null;
  if (cells.some(isFormulaLike)) return { ok: false, problem: "adminEvents.problem.formula", email, name };
  if (!email || email.length > 254 || !EMAIL.test(email)) return { ok: false, problem: "adminEvents.problem.email", email, name };
  const joinText = cellText(cells, columns.join);
  const leaveText = cellText(cells, columns.leave);
  const durationText = cellText(cells, columns.duration);
  const join = joinText ? readTime(joinText) : null;
  const leave = leaveText ? readTime(leaveText) : null;
  if ((joinText && !join) || (leaveText && !leave)) return { ok: false, problem: "adminEvents.problem.date", email, name };
  if (join && leave && leave.getTime() < join.getTime()) return { ok: false, problem: "adminEvents.problem.leaveBeforeJoin", email, name };
  let minutes: number | null = null;
  if (durationText) {
    minutes = parseDurationMinutes(durationText);
    if (minutes === null || minutes < 0 || minutes > MAX_MINUTES) return { ok: false, problem: "adminEvents.problem.duration", email, name };
  } else if (join && leave) {
    minutes = (leave.getTime() - join.getTime()) / 60_000;
    if (minutes > MAX_MINUTES) return { ok: false, problem: "adminEvents.problem.duration", email, name };
  } else {
    // Neither a duration nor both times on this line: nothing says how long they stayed.
    return { ok: false, problem: columns.duration !== undefined ? "adminEvents.problem.duration" : "adminEvents.problem.date", email, name };
  }
  return { ok: true, email, name, join: join?.getTime() ?? null, leave: leave?.getTime() ?? null, minutes };
}

class FileRefused extends Error {
  constructor(readonly fileError: FileError) {
    super(fileError.key);
  }
}

/**
 * Streams an attendee report (CSV from Zoom, Webex, GoToWebinar, Teams…): finds the header, maps columns
 * (email, name, join time, leave time, duration), merges rejoins per email (minutes summed), matches
 * members by email, and stores the preview (attendance_imports + attendance_import_rows). Nothing about
 * attendance changes here. A file that cannot be read (wrong columns, too large, not text) gets a failed
 * import with file errors. Memory is bounded by distinct attendees, not file size.
 * Staff, or the event's group leaders. Never holds a transaction open while the upload streams in.
 */
export async function previewAttendanceImport(
  db: Db,
  actor: EventActor,
  input: { eventId: number; fileName: string; data: AsyncIterable<Uint8Array> },
): Promise<EventResult<{ importId: number }>> {
  const [event] = await db.select({ id: events.id, groupId: events.groupId, timeZone: events.timeZone }).from(events).where(eq(events.id, input.eventId));
  if (!event) return refuse("not_found");
  if (!(await canManageEvent(db, actor, event))) return refuse("forbidden");

  const fileName = (input.fileName.replaceAll("\u0000", "").trim() || "attendees.csv").slice(0, 255);
  const [created] = await db
    .insert(attendanceImports)
    // Failed until the whole file was read: an upload cut off half-way never looks ready.
    .values({ eventId: event.id, createdById: actor.id, fileName, fileSha256: "", byteSize: 0, status: "failed" })
    .returning({ id: attendanceImports.id });
  const importId = created!.id;

  const hash = createHash("sha256");
  let byteSize = 0;
  let fileError: FileError | null = null;
  const attendees = new Map<string, Attendee>();
  let invalidKept: InvalidRow[] = [];
  let invalidCount = 0;
  let invalidStored = 0;
  let rowCount = 0;

  const flushInvalid = async () => {
    if (invalidKept.length === 0) return;
    const batch = invalidKept;
    invalidKept = [];
    await db.insert(attendanceImportRows).values(batch.map((r) => ({ importId, status: "invalid" as const, line: r.line, email: r.email, name: r.name, problem: r.problem })));
  };

  try {
    const iterator = input.data[Symbol.asyncIterator]();
    const decoder = new TextDecoder("utf-8", { fatal: true });
    // Every chunk passes here: counted, hashed and checked before the parser sees it.
    const nextText = async (): Promise<string | null> => {
      const step = await iterator.next();
      if (step.done) return null;
      const chunk = step.value;
      byteSize += chunk.byteLength;
      if (byteSize > ATTENDANCE_FILE_MAX_BYTES) throw new FileRefused({ key: "adminEvents.file.tooLarge", params: { size: ATTENDANCE_FILE_MAX_BYTES / 1024 / 1024 } });
      if (chunk.includes(0)) throw new FileRefused({ key: "adminEvents.file.binary" });
      hash.update(chunk);
      try {
        return decoder.decode(chunk, { stream: true });
      } catch {
        throw new FileRefused({ key: "adminEvents.file.encoding" });
      }
    };

    // Enough of the start to choose the delimiter.
    let head = "";
    let ended = false;
    while (head.length < 16 * 1024) {
      const text = await nextText();
      if (text === null) {
        ended = true;
        break;
      }
      head += text;
    }
    if (ended) {
      try {
        head += decoder.decode();
      } catch {
        throw new FileRefused({ key: "adminEvents.file.encoding" });
      }
    }
    head = head.replace(/^\uFEFF/, "");
    if (!head.trim()) throw new FileRefused({ key: "adminEvents.file.empty" });

    // A failure inside the source ends the parser's input; it is re-thrown after the loop.
    let sourceError: unknown = null;
    const source = Readable.from(
      (async function* () {
        yield head;
        if (ended) return;
        try {
          for (;;) {
            const text = await nextText();
            if (text === null) break;
            if (text) yield text;
          }
          const rest = decoder.decode();
          if (rest) yield rest;
        } catch (error) {
          sourceError = error instanceof TypeError ? new FileRefused({ key: "adminEvents.file.encoding" }) : error;
        }
      })(),
    );
    const parser = parse({
      delimiter: detectDelimiter(head),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_CHARS,
      info: true,
    });
    const readTime = createTimeReader(event.timeZone);
    let columns: ColumnMap | null = null;
    let firstRowSeen: string[] | null = null;
    let incompleteHeader: string[] | null = null;

    try {
      for await (const item of source.pipe(parser) as AsyncIterable<{ record: string[]; info: Info }>) {
        if (sourceError) break;
        const { record, info } = item;
        const line = info.lines;
        if (line > ATTENDANCE_MAX_LINES) throw new FileRefused({ key: "adminEvents.file.tooManyRows", params: { max: ATTENDANCE_MAX_LINES } });
        const filled = record.reduce((n, cell) => (cell.trim() ? n + 1 : n), 0);
        // Blank separators and one-cell section titles ("Attendee Details").
        if (filled < 2) continue;
        const asHeader = headerColumns(record);
        if (asHeader) {
          if (isComplete(asHeader) && (columns || line <= HEADER_SEARCH_LINES)) {
            columns = asHeader;
          } else {
            incompleteHeader ??= record;
          }
          // A header of another section (or one we cannot use) is never a data row.
          continue;
        }
        if (!columns) {
          firstRowSeen ??= record;
          if (line > HEADER_SEARCH_LINES) break;
          continue;
        }
        if (columns.attended !== undefined && /^(no|false|いいえ|欠席)$/i.test(cellText(record, columns.attended))) continue;
        rowCount++;
        const result = readLine(record, columns, readTime);
        if (!result.ok) {
          invalidCount++;
          if (invalidStored < ATTENDANCE_INVALID_ROWS_KEPT) {
            invalidStored++;
            invalidKept.push({ line, email: result.email, name: result.name, problem: result.problem });
            if (invalidKept.length >= BATCH) await flushInvalid();
          }
          continue;
        }
        const seen = attendees.get(result.email);
        if (!seen) {
          attendees.set(result.email, { line, name: result.name, firstJoin: result.join, lastLeave: result.leave, minutes: result.minutes, joins: 1 });
        } else {
          seen.minutes += result.minutes;
          seen.joins++;
          seen.name ??= result.name;
          if (result.join !== null && (seen.firstJoin === null || result.join < seen.firstJoin)) seen.firstJoin = result.join;
          if (result.leave !== null && (seen.lastLeave === null || result.leave > seen.lastLeave)) seen.lastLeave = result.leave;
        }
      }
    } catch (error) {
      if (error instanceof FileRefused) throw error;
      if (sourceError) throw sourceError;
      const detail = error instanceof Error ? error.message.slice(0, 200) : "";
      throw new FileRefused({ key: "adminEvents.file.unreadable", params: { detail } });
    } finally {
      source.destroy();
    }
    if (sourceError) throw sourceError;
    if (!columns) {
      const found = (incompleteHeader ?? firstRowSeen ?? [])
        .map((c) => c.trim())
        .filter(Boolean)
        .slice(0, 12)
        .map((c) => c.slice(0, 40));
      throw new FileRefused(
        found.length ? { key: "adminEvents.file.missingColumns", params: { found: found.join(", ") } } : { key: "adminEvents.file.noHeader" },
      );
    }
    await flushInvalid();
  } catch (error) {
    if (!(error instanceof FileRefused)) {
      await db.delete(attendanceImportRows).where(eq(attendanceImportRows.importId, importId));
      throw error;
    }
    fileError = error.fileError;
  }

  if (fileError) {
    await db.delete(attendanceImportRows).where(eq(attendanceImportRows.importId, importId));
    await db
      .update(attendanceImports)
      .set({ fileSha256: hash.digest("hex"), byteSize, fileErrors: [fileError], rowCount, invalidCount: 0 })
      .where(eq(attendanceImports.id, importId));
    return { ok: true, importId };
  }

  // Match the merged attendees to members, a batch of emails per query.
  let matched = 0;
  let unknown = 0;
  const emails = [...attendees.keys()];
  for (let i = 0; i < emails.length; i += BATCH) {
    const batch = emails.slice(i, i + BATCH);
    const members = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, batch));
    const idByEmail = new Map(members.map((m) => [m.email.toLowerCase(), m.id]));
    await db.insert(attendanceImportRows).values(
      batch.map((email) => {
        const a = attendees.get(email)!;
        const userId = idByEmail.get(email) ?? null;
        if (userId === null) unknown++;
        else matched++;
        return {
          importId,
          status: (userId === null ? "unknown" : "matched") as AttendanceRowStatus,
          line: a.line,
          email,
          name: a.name,
          userId,
          firstJoinAt: a.firstJoin === null ? null : new Date(a.firstJoin),
          lastLeaveAt: a.lastLeave === null ? null : new Date(a.lastLeave),
          minutes: Math.round(a.minutes),
          joins: a.joins,
        };
      }),
    );
  }
  await db
    .update(attendanceImports)
    .set({ status: "ready", fileSha256: hash.digest("hex"), byteSize, rowCount, matchedCount: matched, unknownCount: unknown, invalidCount })
    .where(eq(attendanceImports.id, importId));
  return { ok: true, importId };
}

/**
 * Applies a ready import: matched members become attended with the report's minutes (registering them when
 * they attended without registering). Idempotent: committing the same report again, or another import of
 * an identical file, changes nothing. Side effects: attended_count, attended activities.
 * Refusals: not_found, forbidden (not staff nor the group's leader), closed (failed or already committed).
 */
export async function commitAttendanceImport(db: Db, actor: EventActor, importId: number): Promise<EventResult<{ applied: number }>> {
  const [head] = await db
    .select({ eventId: attendanceImports.eventId, groupId: events.groupId })
    .from(attendanceImports)
    .innerJoin(events, eq(events.id, attendanceImports.eventId))
    .where(eq(attendanceImports.id, importId));
  if (!head) return refuse("not_found");
  if (!(await canManageEvent(db, actor, head))) return refuse("forbidden");

  return db.transaction(async (tx) => {
    // The event row first, as every registration change does, so counters and seats move one at a time.
    const [event] = await tx
      .select({ id: events.id, kind: events.kind, startsAt: events.startsAt, followUpQueuedAt: events.followUpQueuedAt })
      .from(events)
      .where(eq(events.id, head.eventId))
      .for("update");
    const [imp] = await tx.select().from(attendanceImports).where(eq(attendanceImports.id, importId)).for("update");
    if (!event || !imp) return refuse("not_found");
    if (imp.status !== "ready") return refuse("closed");
    const now = new Date();

    if (await sameFileCommitted(tx, imp.eventId, imp.fileSha256, importId)) {
      await tx.update(attendanceImports).set({ status: "committed", committedAt: now, appliedCount: 0 }).where(eq(attendanceImports.id, importId));
      return { ok: true as const, applied: 0 };
    }

    // Set-based, inside the database: 20,000 rows never travel to the application and back (on PGlite that
    // round trip was most of the commit's time). "Make the state match": rows already as the report says
    // are not touched and not counted.
    const startsAt = event.startsAt.toISOString();
    const [upserted] = await queryRows<{ applied: number }>(
      tx,
      sql`with changed as (
            insert into ${eventRegistrations} (event_id, user_id, status, queue_seq, registered_at, attended_at, attended_minutes, attendance_source)
            select ${event.id}, r.user_id, 'registered', nextval('event_queue_seq'),
                   coalesce(r.first_join_at, ${startsAt}::timestamptz), coalesce(r.first_join_at, ${startsAt}::timestamptz), r.minutes, 'import'
              from ${attendanceImportRows} r
             where r.import_id = ${importId} and r.status = 'matched' and r.user_id is not null
             order by r.id
            on conflict (event_id, user_id) do update
               set attended_at = excluded.attended_at, attended_minutes = excluded.attended_minutes,
                   attendance_source = excluded.attendance_source, updated_at = ${now.toISOString()}::timestamptz
             where ${eventRegistrations}.attended_at is distinct from excluded.attended_at
                or ${eventRegistrations}.attended_minutes is distinct from excluded.attended_minutes
                or ${eventRegistrations}.attendance_source is distinct from excluded.attendance_source
            returning 1
          )
          select count(*)::int as applied from changed`,
    );
    const applied = Number(upserted?.applied ?? 0);
    // The same rows attendedActivity() builds (keys from the same prefix), once per member and event however
    // often reports are committed; the account is copied at write time like recordActivities does.
    await tx.execute(sql`
      insert into activities (type, user_id, account_id, subject_type, subject_id, metadata, idempotency_key, occurred_at)
      select ${attendedActivityType(event.kind)}, r.user_id, m.account_id, 'event', ${String(event.id)},
             case when r.minutes is null then '{}'::jsonb else jsonb_build_object('minutes', r.minutes) end,
             ${attendedActivityKeyPrefix(event.kind, event.id)} || r.user_id, coalesce(r.first_join_at, ${startsAt}::timestamptz)
        from ${attendanceImportRows} r
        left join account_members m on m.user_id = r.user_id
       where r.import_id = ${importId} and r.status = 'matched' and r.user_id is not null
      on conflict (idempotency_key) do nothing`);

    await tx
      .update(events)
      .set({
        attendedCount: sql`(select count(*)::int from ${eventRegistrations} where ${eventRegistrations.eventId} = ${event.id} and ${eventRegistrations.attendedAt} is not null)`,
        updatedAt: now,
      })
      .where(eq(events.id, event.id));
    await tx.update(attendanceImports).set({ status: "committed", committedAt: now, appliedCount: applied }).where(eq(attendanceImports.id, importId));
    // The after-session mails already went out (the scan or a recording): attendees imported since then
    // get their survey now. Before that, the scan will include them anyway.
    if (applied > 0 && event.followUpQueuedAt) await enqueueEventFollowUps(tx, event.id, now);
    return { ok: true as const, applied };
  });
}

async function sameFileCommitted(db: Db, eventId: number, sha256: string, exceptImportId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: attendanceImports.id })
    .from(attendanceImports)
    .where(and(eq(attendanceImports.eventId, eventId), eq(attendanceImports.fileSha256, sha256), eq(attendanceImports.status, "committed"), ne(attendanceImports.id, exceptImportId)))
    .limit(1);
  return Boolean(row);
}

export interface AttendanceImportView {
  id: number;
  eventId: number;
  eventTitle: string;
  eventKind: "webinar" | "group_event";
  eventGroupId: number | null;
  fileName: string;
  byteSize: number;
  status: AttendanceImportStatus;
  rowCount: number;
  matchedCount: number;
  unknownCount: number;
  invalidCount: number;
  fileErrors: FileError[];
  appliedCount: number | null;
  committedAt: Date | null;
  createdAt: Date;
  /** A report with the same bytes was already committed for this event: committing applies nothing. */
  duplicateOfCommitted: boolean;
  /** Invalid rows beyond ATTENDANCE_INVALID_ROWS_KEPT were counted but not kept. */
  invalidTruncated: boolean;
  rows: Array<{ line: number; email: string | null; name: string | null; firstJoinAt: Date | null; lastLeaveAt: Date | null; minutes: number | null; joins: number; problem: string | null }>;
  rowsTotal: number;
  pageCount: number;
}

/** An import for its preview page: counts, file errors, and one page of rows of one status (by line). */
export async function getAttendanceImport(db: Db, importId: number, options: { status?: AttendanceRowStatus; page?: number } = {}): Promise<AttendanceImportView | null> {
  const [row] = await db
    .select({ imp: attendanceImports, eventTitle: events.title, eventKind: events.kind, eventGroupId: events.groupId })
    .from(attendanceImports)
    .innerJoin(events, eq(events.id, attendanceImports.eventId))
    .where(eq(attendanceImports.id, importId));
  if (!row) return null;
  const imp = row.imp;
  const status = options.status ?? (imp.matchedCount > 0 || imp.status !== "ready" ? "matched" : imp.unknownCount > 0 ? "unknown" : "invalid");
  const page = Math.max(1, options.page ?? 1);
  const where = and(eq(attendanceImportRows.importId, importId), eq(attendanceImportRows.status, status));
  const [rows, [total], duplicate] = await Promise.all([
    db
      .select({
        line: attendanceImportRows.line,
        email: attendanceImportRows.email,
        name: attendanceImportRows.name,
        firstJoinAt: attendanceImportRows.firstJoinAt,
        lastLeaveAt: attendanceImportRows.lastLeaveAt,
        minutes: attendanceImportRows.minutes,
        joins: attendanceImportRows.joins,
        problem: attendanceImportRows.problem,
      })
      .from(attendanceImportRows)
      .where(where)
      .orderBy(asc(attendanceImportRows.line), asc(attendanceImportRows.id))
      .limit(ATTENDANCE_ROWS_PAGE_SIZE)
      .offset((page - 1) * ATTENDANCE_ROWS_PAGE_SIZE),
    db.select({ n: count() }).from(attendanceImportRows).where(where),
    imp.status === "ready" && imp.fileSha256 ? sameFileCommitted(db, imp.eventId, imp.fileSha256, imp.id) : Promise.resolve(false),
  ]);
  const rowsTotal = Number(total?.n ?? 0);
  return {
    id: imp.id,
    eventId: imp.eventId,
    eventTitle: row.eventTitle,
    eventKind: row.eventKind,
    eventGroupId: row.eventGroupId,
    fileName: imp.fileName,
    byteSize: imp.byteSize,
    status: imp.status,
    rowCount: imp.rowCount,
    matchedCount: imp.matchedCount,
    unknownCount: imp.unknownCount,
    invalidCount: imp.invalidCount,
    fileErrors: imp.fileErrors,
    appliedCount: imp.appliedCount,
    committedAt: imp.committedAt,
    createdAt: imp.createdAt,
    duplicateOfCommitted: duplicate,
    invalidTruncated: imp.invalidCount > ATTENDANCE_INVALID_ROWS_KEPT,
    rows,
    rowsTotal,
    pageCount: Math.max(1, Math.ceil(rowsTotal / ATTENDANCE_ROWS_PAGE_SIZE)),
  };
}

/** The event's imports, newest first. */
export async function listAttendanceImports(db: Db, eventId: number, limit = 50) {
  return db
    .select({
      id: attendanceImports.id,
      fileName: attendanceImports.fileName,
      status: attendanceImports.status,
      rowCount: attendanceImports.rowCount,
      matchedCount: attendanceImports.matchedCount,
      unknownCount: attendanceImports.unknownCount,
      invalidCount: attendanceImports.invalidCount,
      appliedCount: attendanceImports.appliedCount,
      createdAt: attendanceImports.createdAt,
    })
    .from(attendanceImports)
    .where(eq(attendanceImports.eventId, eventId))
    .orderBy(desc(attendanceImports.createdAt), desc(attendanceImports.id))
    .limit(limit);
}
