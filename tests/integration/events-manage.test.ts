import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { addMembership, createAccount, createUser, type UserRow } from "../../db/factories";
import { eventRegistrations, events, eventSurveyResponses, groupMemberships, jobs, userGroups } from "../../db/schema";
import type { EventFormInput } from "../../app/features/events/events.schema";
import {
  cancelEvent,
  createEvent,
  csvCell,
  duplicateEvent,
  getAdminEvent,
  getEventStats,
  listAdminEvents,
  listEventRegistrations,
  publishEvent,
  setEventRecording,
  streamRegistrationsCsv,
  updateEvent,
} from "../../app/features/events/manage.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let staff: UserRow;
let member: UserRow;
let leader: UserRow;
let groupId: number;
let otherGroupId: number;

const actor = (u: UserRow) => ({ id: u.id, role: u.role });
const DAY = 24 * 3600_000;

function form(overrides: Partial<Record<string, string>> = {}): EventFormInput {
  return {
    kind: "webinar",
    title: "Intro to Dashboards",
    startsLocal: "2030-05-01T10:00",
    endsLocal: "2030-05-01T11:00",
    timeZone: "Asia/Tokyo",
    descriptionMd: "**Hello** <script>alert(1)</script>",
    registrationQuestions: "Your role? :: Admin | Developer *",
    ...overrides,
  } as EventFormInput;
}

async function create(overrides: Partial<Record<string, string>> = {}, who: UserRow = staff, publish = false) {
  const result = await createEvent(handle.db, actor(who), form(overrides), { publish });
  if (!result.ok) throw new Error(`createEvent failed: ${JSON.stringify(result)}`);
  return result;
}

async function eventRow(id: number) {
  const [row] = await handle.db.select().from(events).where(eq(events.id, id));
  return row!;
}

async function mailJobs(template: string) {
  return handle.db.select().from(jobs).where(sql`${jobs.payload}->>'template' = ${template}`);
}

beforeAll(async () => {
  handle = await createTestDb();
  staff = await createUser(handle.db, { role: "staff" });
  member = await createUser(handle.db);
  leader = await createUser(handle.db);
  const groups = await handle.db
    .insert(userGroups)
    .values([
      { slug: "tokyo", name: "Tokyo Users", kind: "region" },
      { slug: "osaka", name: "Osaka Users", kind: "region" },
    ])
    .returning({ id: userGroups.id });
  groupId = groups[0]!.id;
  otherGroupId = groups[1]!.id;
  await handle.db.insert(groupMemberships).values({ groupId, userId: leader.id, role: "leader", status: "active", joinedAt: new Date() });
});

afterAll(async () => {
  await handle.close();
});

describe("createEvent", () => {
  it("derives unique slugs from titles, names Japanese titles event-<id>, and refuses a taken slug", async () => {
    const first = await create();
    const second = await create();
    expect(first.slug).toBe("intro-to-dashboards");
    expect(second.slug).toBe("intro-to-dashboards-2");
    const japanese = await create({ title: "ダッシュボード入門" });
    expect(japanese.slug).toBe(`event-${japanese.eventId}`);
    const taken = await createEvent(handle.db, actor(staff), form({ slug: "intro-to-dashboards" }));
    expect(taken).toEqual({ ok: false, fieldErrors: { slug: ["events.field.slugTaken"] } });
    const row = await eventRow(first.eventId);
    expect(row).toMatchObject({ status: "draft", kind: "webinar", timeZone: "Asia/Tokyo", createdById: staff.id });
    expect(row.startsAt.toISOString()).toBe("2030-05-01T01:00:00.000Z");
    expect(row.descriptionHtml).toContain("<strong>Hello</strong>");
    expect(row.descriptionHtml).not.toContain("<script");
    expect(row.registrationQuestions[0]).toMatchObject({ label: "Your role?", options: ["Admin", "Developer"], required: true });
  });

  it("returns field errors for bad input", async () => {
    expect(await createEvent(handle.db, actor(staff), form({ endsLocal: "2030-05-01T09:00" }))).toEqual({ ok: false, fieldErrors: { endsLocal: ["events.field.endBeforeStart"] } });
    expect(await createEvent(handle.db, actor(staff), form({ joinUrl: "javascript:alert(1)" }))).toEqual({ ok: false, fieldErrors: { joinUrl: ["events.field.urlInvalid"] } });
  });

  it("publishes at once when asked", async () => {
    const result = await create({ title: "Published now" }, staff, true);
    expect(await eventRow(result.eventId)).toMatchObject({ status: "published", approvedById: staff.id });
  });

  it("refuses members, and lets a leader draft only for their own group (pending approval)", async () => {
    expect(await createEvent(handle.db, actor(member), form())).toEqual({ ok: false, reason: "forbidden" });
    expect(await createEvent(handle.db, actor(leader), form())).toEqual({ ok: false, reason: "forbidden" });
    const groupForm = { kind: "group_event", attendanceMode: "in_person", venueName: "Shibuya office", title: "Tokyo meetup" };
    expect(await createEvent(handle.db, actor(leader), form({ ...groupForm, groupId: String(otherGroupId) }))).toEqual({ ok: false, reason: "forbidden" });
    const drafted = await create({ ...groupForm, groupId: String(groupId) }, leader, true);
    expect(await eventRow(drafted.eventId)).toMatchObject({ status: "pending_approval", groupId, kind: "group_event", venueName: "Shibuya office" });

    // The leader may edit it until approved, never approve it; staff approve.
    expect((await updateEvent(handle.db, actor(leader), drafted.eventId, form({ ...groupForm, title: "Tokyo meetup #1", groupId: String(otherGroupId) }))).ok).toBe(true);
    expect(await eventRow(drafted.eventId)).toMatchObject({ title: "Tokyo meetup #1", groupId });
    expect(await publishEvent(handle.db, actor(leader), drafted.eventId)).toEqual({ ok: false, reason: "forbidden" });
    expect(await publishEvent(handle.db, actor(staff), drafted.eventId)).toEqual({ ok: true });
    expect(await eventRow(drafted.eventId)).toMatchObject({ status: "published", approvedById: staff.id });
    expect(await updateEvent(handle.db, actor(leader), drafted.eventId, form({ ...groupForm, groupId: String(groupId) }))).toEqual({ ok: false, reason: "forbidden" });

    const { items } = await listAdminEvents(handle.db, { tab: "upcoming", kind: "group_event", page: 1 }, new Date("2030-01-01T00:00:00Z"));
    expect(items.map((e) => e.id)).toEqual([drafted.eventId]);
    expect(items[0]!.groupName).toBe("Tokyo Users");
  });
});

describe("running an event", () => {
  async function seatedEvent(capacity: number) {
    const created = await create({ title: "Seated", capacity: String(capacity) }, staff, true);
    const [a, b, c] = await Promise.all([createUser(handle.db), createUser(handle.db), createUser(handle.db)]);
    await handle.db.insert(eventRegistrations).values([
      { eventId: created.eventId, userId: a!.id, status: "registered", queueSeq: 1, registeredAt: new Date() },
      { eventId: created.eventId, userId: b!.id, status: "waitlisted", queueSeq: 2, waitlistedAt: new Date() },
      { eventId: created.eventId, userId: c!.id, status: "waitlisted", queueSeq: 3, waitlistedAt: new Date() },
    ]);
    await handle.db.update(events).set({ registeredCount: 1, waitlistCount: 2 }).where(eq(events.id, created.eventId));
    return { eventId: created.eventId, a: a!, b: b!, c: c! };
  }

  it("raising the capacity seats the first waitlisted member, in queue order", async () => {
    const { eventId, b, c } = await seatedEvent(1);
    const defaults = (await getAdminEvent(handle.db, eventId))!.defaults;
    expect(defaults.startsLocal).toBe("2030-05-01T10:00");
    const result = await updateEvent(handle.db, actor(staff), eventId, { ...defaults, capacity: "2" } as EventFormInput);
    expect(result.ok).toBe(true);
    const waitlist = await listEventRegistrations(handle.db, eventId, { status: "waitlisted", page: 1 });
    expect(waitlist.items.map((r) => [r.userId, r.position])).toEqual([[c.id, 1]]);
    const registered = await listEventRegistrations(handle.db, eventId, { status: "registered", page: 1 });
    expect(registered.items.map((r) => r.userId)).toContain(b.id);
    expect(await eventRow(eventId)).toMatchObject({ capacity: 2, registeredCount: 2, waitlistCount: 1 });
  });

  it("cancelling tells registered and waitlisted members once, and closes the event", async () => {
    const { eventId } = await seatedEvent(1);
    const before = (await mailJobs("event_cancelled")).length;
    expect(await cancelEvent(handle.db, actor(member), eventId, "Speaker ill")).toEqual({ ok: false, reason: "forbidden" });
    expect(await cancelEvent(handle.db, actor(staff), eventId, "  ")).toEqual({ ok: false, fieldErrors: { reason: ["form.required"] } });
    expect(await cancelEvent(handle.db, actor(staff), eventId, "Speaker ill")).toEqual({ ok: true });
    expect((await mailJobs("event_cancelled")).length - before).toBe(3);
    expect(await eventRow(eventId)).toMatchObject({ status: "cancelled", cancelReason: "Speaker ill" });
    expect(await cancelEvent(handle.db, actor(staff), eventId, "Again")).toEqual({ ok: false, reason: "closed" });
    expect((await mailJobs("event_cancelled")).length - before).toBe(3);
  });

  it("duplicates as a draft a week later, without registrations", async () => {
    const { eventId } = await seatedEvent(5);
    const result = await duplicateEvent(handle.db, actor(staff), eventId);
    if (!result.ok) throw new Error("duplicate refused");
    const [source, copy] = [await eventRow(eventId), await eventRow(result.eventId)];
    expect(copy).toMatchObject({ status: "draft", title: source.title, registeredCount: 0, waitlistCount: 0, capacity: 5 });
    expect(copy.slug).not.toBe(source.slug);
    expect(copy.startsAt.getTime() - source.startsAt.getTime()).toBe(7 * DAY);
    expect(await listEventRegistrations(handle.db, result.eventId, { page: 1 })).toMatchObject({ total: 0 });
    expect(await duplicateEvent(handle.db, actor(member), eventId)).toEqual({ ok: false, reason: "forbidden" });
  });

  it("attaching a recording after the end queues the follow-ups; bad links are field errors", async () => {
    const created = await create({ title: "Ended", startsLocal: "2024-01-10T10:00", endsLocal: "2024-01-10T11:00" }, staff, true);
    const [attendee, noShow] = await Promise.all([createUser(handle.db), createUser(handle.db)]);
    await handle.db.insert(eventRegistrations).values([
      { eventId: created.eventId, userId: attendee!.id, status: "registered", queueSeq: 10, registeredAt: new Date("2024-01-01"), attendedAt: new Date("2024-01-10T01:00:00Z"), attendedMinutes: 50 },
      { eventId: created.eventId, userId: noShow!.id, status: "registered", queueSeq: 11, registeredAt: new Date("2024-01-01") },
    ]);
    expect(await setEventRecording(handle.db, actor(staff), created.eventId, { recordingUrl: "javascript:alert(1)", slidesUrl: null })).toEqual({
      ok: false,
      fieldErrors: { recordingUrl: ["events.field.urlInvalid"] },
    });
    expect(await setEventRecording(handle.db, actor(member), created.eventId, { recordingUrl: "https://video.example/r", slidesUrl: null })).toEqual({ ok: false, reason: "forbidden" });
    const surveys = (await mailJobs("event_survey")).length;
    const recordings = (await mailJobs("event_recording")).length;
    expect(await setEventRecording(handle.db, actor(staff), created.eventId, { recordingUrl: "https://video.example/r", slidesUrl: "https://slides.example/s" })).toEqual({ ok: true });
    expect((await mailJobs("event_survey")).length - surveys).toBe(1);
    expect((await mailJobs("event_recording")).length - recordings).toBe(1);
    expect(await eventRow(created.eventId)).toMatchObject({ recordingUrl: "https://video.example/r", slidesUrl: "https://slides.example/s" });
    // Saving again mails nobody twice.
    await setEventRecording(handle.db, actor(staff), created.eventId, { recordingUrl: "https://video.example/r2", slidesUrl: null });
    expect((await mailJobs("event_recording")).length - recordings).toBe(1);
  });
});

describe("getEventStats", () => {
  it("counts registrations, attendance, minutes, accounts and survey answers of one event only", async () => {
    const created = await create({ title: "Stats" }, staff, true);
    const other = await create({ title: "Other stats" }, staff, true);
    const [acme, globex] = [await createAccount(handle.db), await createAccount(handle.db)];
    const people = await Promise.all(Array.from({ length: 5 }, () => createUser(handle.db)));
    await addMembership(handle.db, { userId: people[0]!.id, accountId: acme.id, source: "staff" });
    await addMembership(handle.db, { userId: people[1]!.id, accountId: acme.id, source: "staff" });
    await addMembership(handle.db, { userId: people[2]!.id, accountId: globex.id, source: "staff" });
    const at = new Date("2030-05-01T01:00:00Z");
    await handle.db.insert(eventRegistrations).values([
      { eventId: created.eventId, userId: people[0]!.id, status: "registered", queueSeq: 21, attendedAt: at, attendedMinutes: 40 },
      { eventId: created.eventId, userId: people[1]!.id, status: "registered", queueSeq: 22, attendedAt: at, attendedMinutes: 20 },
      { eventId: created.eventId, userId: people[2]!.id, status: "registered", queueSeq: 23 },
      { eventId: created.eventId, userId: people[3]!.id, status: "registered", queueSeq: 24, attendedAt: at, attendedMinutes: null },
      { eventId: created.eventId, userId: people[4]!.id, status: "waitlisted", queueSeq: 25 },
      { eventId: other.eventId, userId: people[2]!.id, status: "registered", queueSeq: 26, attendedAt: at, attendedMinutes: 90 },
    ]);
    await handle.db.insert(eventSurveyResponses).values([
      { eventId: created.eventId, userId: people[0]!.id, rating: 5 },
      { eventId: created.eventId, userId: people[1]!.id, rating: 4 },
      { eventId: other.eventId, userId: people[2]!.id, rating: 1 },
    ]);
    expect(await getEventStats(handle.db, created.eventId)).toEqual({
      registered: 4,
      waitlisted: 1,
      cancelled: 0,
      attended: 3,
      attendanceRate: 0.75,
      averageMinutes: 30,
      accountsRepresented: 1,
      surveyCount: 2,
      surveyAverage: 4.5,
    });
    expect(await getEventStats(handle.db, other.eventId)).toMatchObject({ registered: 1, attended: 1, accountsRepresented: 1, surveyAverage: 1 });
  });
});

describe("registrations CSV", () => {
  it("neutralizes formula cells and starts with a BOM", async () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell(42)).toBe("42");
    const created = await create({ title: "CSV" }, staff, true);
    const evil = await createUser(handle.db, { displayName: "=cmd|' /C calc'!A0" });
    await handle.db.insert(eventRegistrations).values({ eventId: created.eventId, userId: evil.id, status: "registered", queueSeq: 31, answers: {} });
    const bytes = new Uint8Array(await new Response(streamRegistrationsCsv(handle.db, created.eventId, { locale: "en", questions: [] })).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`'=cmd|' /C calc'!A0`);
    const [reg] = await handle.db.select().from(eventRegistrations).where(and(eq(eventRegistrations.eventId, created.eventId))).orderBy(asc(eventRegistrations.id));
    expect(reg!.userId).toBe(evil.id);
  });
});
