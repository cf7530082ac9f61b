import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "../../db/client";
import { createUser } from "../../db/factories";
import { eventRegistrations, events } from "../../db/schema";
import { deleteScaleData, generateScaleData } from "../../db/scale";
import { findScaleEventsBenchTargets, generateScaleEvents, hasScaleEventsData, type ScaleEventsSummary } from "../../db/scale-events";
import { renderMarkdown } from "../../app/features/markdown/render.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let summary: ScaleEventsSummary;
const now = new Date();
// A real webinar with a real registrant, written before the generator runs: it must come through untouched.
let bystander: { eventId: number; userId: number };

const rows = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => queryRows<T>(handle.db, query);
const count = async (query: ReturnType<typeof sql>): Promise<number> => Number((await rows<{ n: number | string }>(query))[0]?.n ?? 0);

beforeAll(async () => {
  handle = await createTestDb();
  const user = await createUser(handle.db, { email: "member@real-customer.test" });
  const [event] = await handle.db
    .insert(events)
    .values({ kind: "webinar", slug: "real-webinar", title: "A real webinar", startsAt: new Date(now.getTime() + 86_400_000), endsAt: new Date(now.getTime() + 90_000_000), timeZone: "UTC", status: "published", registeredCount: 1 })
    .returning({ id: events.id });
  await handle.db.insert(eventRegistrations).values({ eventId: event!.id, userId: user.id, status: "registered", queueSeq: sql`nextval('event_queue_seq')` as unknown as number });
  bystander = { eventId: event!.id, userId: user.id };

  await generateScaleData(handle.db, { accounts: 8, members: 300, activities: 0, passwordHash: "!scale-test", now, memberBatchSize: 100 });
  summary = await generateScaleEvents(handle.db, {
    events: 80,
    registrations: 4_000,
    groups: 6,
    memberCount: 300,
    now,
    render: (markdown, locale) => renderMarkdown(markdown, { locale }),
    // Several batches, so the per-batch event boundaries are exercised.
    batchSize: 700,
  });
}, 120_000);
afterAll(async () => {
  await handle.close();
});

describe("scale events generator", () => {
  it("writes the requested events and registrations: mostly webinars, some group events, past and upcoming", async () => {
    expect(summary).toMatchObject({ events: 80, registrations: 4_000, groups: 6 });
    expect(summary.groupEvents).toBeGreaterThan(0);
    expect(summary.webinars).toBeGreaterThan(summary.groupEvents);
    expect(summary.pastEvents).toBeGreaterThan(30);
    expect(summary.pastEvents).toBeLessThan(70);
    expect(summary.withRecording).toBeGreaterThan(0);
    expect(await count(sql`select count(*) as n from event_registrations where event_id <> ${bystander.eventId}`)).toBe(4_000);
    const statuses = await rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from event_registrations group by status`);
    const by = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
    expect(by.registered).toBeGreaterThan(by.waitlisted ?? 0);
    expect(by.cancelled).toBeGreaterThan(0);
    expect(summary.attended).toBeGreaterThan(0);
  });

  it("keeps every counter equal to what it counts, and never seats more than capacity", async () => {
    expect(await count(sql`select count(*) as n from events e where
      registered_count <> (select count(*) from event_registrations r where r.event_id = e.id and r.status = 'registered')
      or waitlist_count <> (select count(*) from event_registrations r where r.event_id = e.id and r.status = 'waitlisted')
      or maybe_count <> (select count(*) from event_registrations r where r.event_id = e.id and r.status = 'maybe')
      or attended_count <> (select count(*) from event_registrations r where r.event_id = e.id and r.attended_at is not null)
      or (capacity is not null and registered_count > capacity)
      or (waitlist_count > 0 and (capacity is null or registered_count < capacity))`)).toBe(0);
    expect(await count(sql`select count(*) as n from user_groups g
      where member_count <> (select count(*) from group_memberships m where m.group_id = g.id and m.status = 'active')`)).toBe(0);
  });

  it("registers group members only for their group's events, attendance only for past events, nothing for drafts", async () => {
    expect(await count(sql`select count(*) as n from event_registrations r join events e on e.id = r.event_id
      where e.kind = 'group_event' and not exists (select 1 from group_memberships m where m.group_id = e.group_id and m.user_id = r.user_id and m.status = 'active')`)).toBe(0);
    expect(await count(sql`select count(*) as n from event_registrations r join events e on e.id = r.event_id
      where r.attended_at is not null and (e.ends_at > now() or r.status <> 'registered')`)).toBe(0);
    expect(await count(sql`select count(*) as n from event_registrations r join events e on e.id = r.event_id where e.status in ('draft', 'pending_approval')`)).toBe(0);
    // Waitlist order is arrival order, and the app's next registration queues after every generated one.
    expect(await count(sql`select count(*) as n from event_registrations a join event_registrations b
      on a.event_id = b.event_id and a.queue_seq < b.queue_seq and a.created_at > b.created_at`)).toBe(0);
    const [seq] = await rows<{ next: number; max: number }>(sql`select nextval('event_queue_seq')::int as next, (select max(queue_seq)::int from event_registrations) as max`);
    expect(seq!.next).toBeGreaterThan(seq!.max);
    expect(await count(sql`select count(*) as n from event_registrations where created_at > now()`)).toBe(0);
  });

  it("gives the benchmark popular tags and published pages to rotate over", async () => {
    const targets = await findScaleEventsBenchTargets(handle.db, 50);
    expect(targets.tags.length).toBeGreaterThan(0);
    expect(targets.webinarSlugs.length).toBeGreaterThan(10);
    expect(targets.groupEventSlugs.length).toBeGreaterThan(0);
    expect(targets.webinarSlugs).not.toContain("real-webinar");
  });

  it("removes only scale events and groups with the rest of the scale data", async () => {
    expect(await hasScaleEventsData(handle.db)).toBe(true);
    await deleteScaleData(handle.db);
    expect(await hasScaleEventsData(handle.db)).toBe(false);
    expect(await count(sql`select count(*) as n from events`)).toBe(1);
    expect(await count(sql`select count(*) as n from user_groups`)).toBe(0);
    const [real] = await rows<{ user_id: number; registered_count: number }>(sql`select r.user_id, e.registered_count from events e join event_registrations r on r.event_id = e.id`);
    expect(real).toEqual({ user_id: bystander.userId, registered_count: 1 });
  });
});
