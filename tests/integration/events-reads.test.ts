import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import { eventRegistrations, events, groupMemberships, userGroups } from "../../db/schema";
import {
  getEventPage,
  getPublicEventId,
  listEvents,
  listEventTags,
  listGroupPathsForSitemap,
  listPublicEventsForSitemap,
  listViewerRegistrations,
} from "../../app/features/events/reads.server";
import { cachedRead, noteMutation } from "../../app/features/cache/content-cache.server";
import { registerForEvent } from "../../app/features/events/registrations.server";
import { eq } from "drizzle-orm";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let member: UserRow;
let other: UserRow;
let staff: UserRow;
let leader: UserRow;
let groupId: number;

const HOUR = 3600_000;
const NOW = new Date("2030-06-01T12:00:00Z");
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);
let seq = 0;

type NewEvent = typeof events.$inferInsert;
async function makeEvent(overrides: Partial<NewEvent> = {}) {
  seq += 1;
  const startsAt = overrides.startsAt ?? at(24 * seq);
  const [row] = await handle.db
    .insert(events)
    .values({
      kind: "webinar",
      slug: `event-${seq}`,
      title: `Event ${seq}`,
      timeZone: "Asia/Tokyo",
      status: "published",
      publishedAt: at(-1000),
      joinUrl: "https://meet.example.test/room",
      ...overrides,
      startsAt,
      endsAt: overrides.endsAt ?? new Date(startsAt.getTime() + HOUR),
    })
    .returning();
  return row!;
}

async function register(eventId: number, userId: number, status: "registered" | "waitlisted" | "maybe" | "cancelled", queueSeq = 1) {
  await handle.db.insert(eventRegistrations).values({ eventId, userId, status, queueSeq, registeredAt: status === "registered" ? NOW : null });
}

beforeAll(async () => {
  handle = await createTestDb();
  [member, other, staff, leader] = await Promise.all([createUser(handle.db), createUser(handle.db), createUser(handle.db, { role: "staff" }), createUser(handle.db)]);
  const [group] = await handle.db.insert(userGroups).values({ slug: "tokyo", name: "Tokyo", kind: "region" }).returning();
  groupId = group!.id;
  await handle.db.insert(groupMemberships).values({ groupId, userId: leader.id, role: "leader", status: "active", joinedAt: NOW });
  await handle.db.insert(userGroups).values({ slug: "old-group", name: "Old", kind: "region", archivedAt: NOW });
});
afterAll(async () => {
  await handle.close();
});

describe("listEvents", () => {
  let soon: number, later: number, groupEvent: number, ja: number, past: number, recorded: number, draft: number, pending: number, cancelled: number, running: number;
  beforeAll(async () => {
    running = (await makeEvent({ slug: "running", startsAt: at(-1), endsAt: at(1), tags: ["api"] })).id;
    soon = (await makeEvent({ slug: "soon", startsAt: at(2), tags: ["dashboards", "api"], capacity: 10, registeredCount: 4 })).id;
    later = (await makeEvent({ slug: "later", startsAt: at(48), tags: ["dashboards"] })).id;
    ja = (await makeEvent({ slug: "nyumon", startsAt: at(30), language: "ja" })).id;
    groupEvent = (await makeEvent({ slug: "meetup", kind: "group_event", groupId, attendanceMode: "in_person", venueName: "Hall", startsAt: at(10) })).id;
    past = (await makeEvent({ slug: "past", startsAt: at(-50) })).id;
    recorded = (await makeEvent({ slug: "recorded", startsAt: at(-30), recordingUrl: "https://video.example.test/1", tags: ["sso"] })).id;
    draft = (await makeEvent({ slug: "draft", status: "draft", startsAt: at(5) })).id;
    pending = (await makeEvent({ slug: "pending", kind: "group_event", groupId, status: "pending_approval", startsAt: at(6) })).id;
    cancelled = (await makeEvent({ slug: "cancelled", status: "cancelled", startsAt: at(7), cancelledAt: NOW })).id;
  });

  it("lists upcoming events soonest first, including running and cancelled ones, never drafts or pending", async () => {
    const { items, total } = await listEvents(handle.db, { when: "upcoming" }, NOW);
    expect(items.map((e) => e.id)).toEqual([running, soon, cancelled, groupEvent, ja, later]);
    expect(total).toBe(6);
    expect(items.map((e) => e.id)).not.toContain(draft);
    expect(items.map((e) => e.id)).not.toContain(pending);
  });

  it("filters by kind, group, tag and language", async () => {
    expect((await listEvents(handle.db, { when: "upcoming", kind: "group_event" }, NOW)).items.map((e) => e.id)).toEqual([groupEvent]);
    expect((await listEvents(handle.db, { when: "upcoming", groupId }, NOW)).items.map((e) => e.id)).toEqual([groupEvent]);
    expect((await listEvents(handle.db, { when: "upcoming", tag: "dashboards" }, NOW)).items.map((e) => e.id)).toEqual([soon, later]);
    expect((await listEvents(handle.db, { when: "upcoming", language: "ja" }, NOW)).items.map((e) => e.id)).toEqual([ja]);
  });

  it("lists past events newest first and the on-demand library only with recordings", async () => {
    expect((await listEvents(handle.db, { when: "past" }, NOW)).items.map((e) => e.id)).toEqual([recorded, past]);
    const library = await listEvents(handle.db, { when: "on_demand", kind: "webinar" }, NOW);
    expect(library.items.map((e) => e.id)).toEqual([recorded]);
    expect(library.items[0]!.hasRecording).toBe(true);
  });

  it("pages with a total and computes seats left from the counters", async () => {
    const first = await listEvents(handle.db, { when: "upcoming", pageSize: 2, page: 1 }, NOW);
    const second = await listEvents(handle.db, { when: "upcoming", pageSize: 2, page: 2 }, NOW);
    expect(first.items.map((e) => e.id)).toEqual([running, soon]);
    expect(second.items.map((e) => e.id)).toEqual([cancelled, groupEvent]);
    expect(first.total).toBe(6);
    expect(first.items[1]!.seatsLeft).toBe(6);
    expect(first.items[0]!.seatsLeft).toBeNull();
    const card = second.items[1]!;
    expect(card.group).toEqual({ id: groupId, slug: "tokyo", name: "Tokyo" });
    expect(card.path).toBe("/events/meetup");
  });

  it("offers the tags of published events, most used first", async () => {
    const tags = await listEventTags(handle.db, { kind: "webinar" });
    expect(tags.slice(0, 2)).toEqual(["api", "dashboards"]);
    expect(tags).toContain("sso");
  });

  it("puts published events and live groups in the sitemap, nothing else", async () => {
    const paths = (await listPublicEventsForSitemap(handle.db)).map((e) => e.path);
    expect(paths).toContain("/webinars/soon");
    expect(paths).toContain("/events/meetup");
    expect(paths).not.toContain("/webinars/draft");
    expect(paths).not.toContain("/events/pending");
    expect(paths).not.toContain("/webinars/cancelled");
    expect((await listGroupPathsForSitemap(handle.db)).map((g) => g.path)).toEqual(["/groups/tokyo"]);
  });

  it("finds public events by slug for the recording link, never drafts", async () => {
    expect(await getPublicEventId(handle.db, "webinar", "recorded")).toBe(recorded);
    expect(await getPublicEventId(handle.db, "webinar", "draft")).toBeNull();
    expect(await getPublicEventId(handle.db, "group_event", "recorded")).toBeNull();
  });
});

describe("getEventPage", () => {
  const asActor = (u: UserRow) => ({ id: u.id, role: u.role });

  it("hides drafts and pending events from members and visitors, shows them to those who manage them", async () => {
    await makeEvent({ slug: "secret-draft", status: "draft" });
    await makeEvent({ slug: "leader-pending", kind: "group_event", groupId, status: "pending_approval" });
    expect(await getEventPage(handle.db, null, "webinar", "secret-draft", NOW)).toBeNull();
    expect(await getEventPage(handle.db, asActor(member), "webinar", "secret-draft", NOW)).toBeNull();
    expect((await getEventPage(handle.db, asActor(staff), "webinar", "secret-draft", NOW))?.canManage).toBe(true);
    expect(await getEventPage(handle.db, asActor(member), "group_event", "leader-pending", NOW)).toBeNull();
    const forLeader = await getEventPage(handle.db, asActor(leader), "group_event", "leader-pending", NOW);
    expect(forLeader?.canManage).toBe(true);
    // The kind is part of the address: a webinar is not found under /events.
    expect(await getEventPage(handle.db, asActor(staff), "group_event", "secret-draft", NOW)).toBeNull();
  });

  it("gives the join link only to a registered member inside the window", async () => {
    const event = await makeEvent({ slug: "join-window", startsAt: at(1), capacity: 1, registeredCount: 1, waitlistCount: 1 });
    await register(event.id, member.id, "registered", 1);
    await register(event.id, other.id, "waitlisted", 2);
    const beforeWindow = new Date(event.startsAt.getTime() - 16 * 60_000);
    const inWindow = new Date(event.startsAt.getTime() - 14 * 60_000);
    const afterEnd = new Date(event.endsAt.getTime() + 60_000);

    expect((await getEventPage(handle.db, asActor(member), "webinar", "join-window", beforeWindow))?.joinUrl).toBeNull();
    const page = await getEventPage(handle.db, asActor(member), "webinar", "join-window", inWindow);
    expect(page?.joinUrl).toBe("https://meet.example.test/room");
    expect(page?.registration?.status).toBe("registered");
    expect((await getEventPage(handle.db, asActor(member), "webinar", "join-window", afterEnd))?.joinUrl).toBeNull();

    const waitlisted = await getEventPage(handle.db, asActor(other), "webinar", "join-window", inWindow);
    expect(waitlisted?.joinUrl).toBeNull();
    expect(waitlisted?.registration?.status).toBe("waitlisted");
    expect(waitlisted?.isFull).toBe(true);
    expect(waitlisted?.seatsLeft).toBe(0);

    expect((await getEventPage(handle.db, asActor(staff), "webinar", "join-window", inWindow))?.joinUrl).toBeNull();
    expect((await getEventPage(handle.db, null, "webinar", "join-window", inWindow))?.joinUrl).toBeNull();
  });

  it("shows the recording and slides only once the event ended, and never an unsafe link", async () => {
    const event = await makeEvent({
      slug: "with-recording",
      startsAt: at(2),
      recordingUrl: "https://video.example.test/r",
      slidesUrl: "https://files.example.test/s.pdf",
      mapUrl: "javascript:alert(1)",
    });
    const before = await getEventPage(handle.db, null, "webinar", "with-recording", NOW);
    expect(before).toMatchObject({ hasRecording: false, slidesUrl: null, mapUrl: null });
    const after = await getEventPage(handle.db, null, "webinar", "with-recording", new Date(event.endsAt.getTime() + 1));
    expect(after).toMatchObject({ hasRecording: true, slidesUrl: "https://files.example.test/s.pdf", hasEnded: true });
  });

  it("lists a member's own upcoming places only", async () => {
    const a = await makeEvent({ slug: "mine-a", startsAt: at(3) });
    const b = await makeEvent({ slug: "mine-b", kind: "group_event", groupId, startsAt: at(4) });
    const c = await makeEvent({ slug: "mine-c", startsAt: at(5) });
    const ended = await makeEvent({ slug: "mine-ended", startsAt: at(-10) });
    const mineUser = await createUser(handle.db);
    await register(a.id, mineUser.id, "registered");
    await register(b.id, mineUser.id, "maybe");
    await register(c.id, mineUser.id, "cancelled");
    await register(ended.id, mineUser.id, "registered");
    await register(c.id, other.id, "registered");
    const mine = await listViewerRegistrations(handle.db, mineUser.id, NOW);
    expect(mine.map((r) => [r.path, r.status])).toEqual([
      ["/webinars/mine-a", "registered"],
      ["/events/mine-b", "maybe"],
    ]);
    expect((await listViewerRegistrations(handle.db, other.id, NOW)).map((r) => r.path)).not.toContain("/webinars/mine-a");
  });
});

describe("cached event pages", () => {
  it("serve a cached event row until any change to events commits, then the new seats", async () => {
    const event = await makeEvent({ slug: "cached-page", capacity: 3, startsAt: new Date(Date.now() + 48 * HOUR), endsAt: new Date(Date.now() + 49 * HOUR) });
    noteMutation();
    const first = await getEventPage(handle.db, null, "webinar", "cached-page", new Date(), { cached: true });
    expect(first?.seatsLeft).toBe(3);
    const result = await registerForEvent(handle.db, { id: other.id, role: "member" }, { eventId: event.id, answers: {} });
    expect(result.ok).toBe(true);
    // A request that changed something notes it when it finishes; the next read checks the version.
    noteMutation();
    const after = await getEventPage(handle.db, null, "webinar", "cached-page", new Date(), { cached: true });
    expect(after?.seatsLeft).toBe(2);
  });

  it("keep a catalog read while nothing changes, and drop it when a group is renamed", async () => {
    let loads = 0;
    const read = () => cachedRead(handle.db, "events", "test:groups", async () => (loads += 1));
    noteMutation();
    await read();
    await read();
    expect(loads).toBe(1);
    await handle.db.update(userGroups).set({ name: "Tokyo chapter" }).where(eq(userGroups.id, groupId));
    noteMutation();
    await read();
    expect(loads).toBe(2);
  });
});
