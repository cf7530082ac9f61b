import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "../../db/client";
import { seedDemo } from "../../db/seed";
import { seedDemoEvents } from "../../app/features/events/demo.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let seeded: Awaited<ReturnType<typeof seedDemoEvents>>;

beforeAll(async () => {
  handle = await createTestDb();
  // Any hash will do: these tests never sign in.
  await seedDemo(handle.db, { passwordHash: "x" });
  seeded = await seedDemoEvents(handle.db);
}, 60_000);
afterAll(async () => {
  await handle.close();
});

const rows = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => queryRows<T>(handle.db, query);
const one = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T> => (await rows<T>(query))[0]!;

interface EventRow extends Record<string, unknown> {
  slug: string;
  kind: string;
  status: string;
  capacity: number | null;
  registered_count: number;
  waitlist_count: number;
  attended_count: number;
  days_ahead: number;
  time_zone: string;
  language: string;
  recording_url: string | null;
}

const event = (slug: string) =>
  one<EventRow>(sql`select slug, kind, status, capacity, registered_count, waitlist_count, attended_count, time_zone, language, recording_url,
    extract(epoch from starts_at - now())::float / 86400 as days_ahead from events where slug = ${slug}`);

/** Emails of the members with a registration of this status for the event. */
const registrants = async (slug: string, status: string) =>
  (
    await rows<{ email: string }>(sql`select u.email from event_registrations r join events e on e.id = r.event_id join users u on u.id = r.user_id
      where e.slug = ${slug} and r.status = ${status} order by r.queue_seq`)
  ).map((r) => r.email);

describe("demo webinars, groups and events", () => {
  it("seeds the groups the leader and member pages rely on", async () => {
    expect(seeded.groups).toBeGreaterThanOrEqual(3);
    const groups = await rows<{ slug: string; kind: string; join_policy: string; leader: string; member_count: number; active: number; pending: number }>(sql`
      select g.slug, g.kind, g.join_policy, g.member_count,
        (select u.email from group_memberships m join users u on u.id = m.user_id where m.group_id = g.id and m.role = 'leader') as leader,
        (select count(*)::int from group_memberships m where m.group_id = g.id and m.status = 'active') as active,
        (select count(*)::int from group_memberships m where m.group_id = g.id and m.status = 'pending') as pending
      from user_groups g order by g.slug`);
    const bySlug = new Map(groups.map((g) => [g.slug, g]));
    expect(bySlug.get("tokyo-user-group")).toMatchObject({ kind: "region", join_policy: "open", leader: "haruto.sato@sakura-systems.example" });
    expect(bySlug.get("healthcare-analytics-circle")).toMatchObject({ kind: "industry", join_policy: "approval", leader: "olivia.chen@northwind.example", pending: 1 });
    expect(bySlug.get("api-builders")).toMatchObject({ kind: "product", join_policy: "open", leader: "marcus.bell@northwind.example" });
    for (const g of groups) expect(g.member_count).toBe(g.active);
    expect(bySlug.get("tokyo-user-group")!.active).toBeGreaterThanOrEqual(5);
    const oliviaInApi = await one<{ n: number }>(sql`select count(*)::int as n from group_memberships m join user_groups g on g.id = m.group_id
      join users u on u.id = m.user_id where g.slug = 'api-builders' and u.email = 'olivia.chen@northwind.example'`);
    expect(oliviaInApi.n).toBe(0);
  });

  it("seeds the webinars other tests use, with the promised seats, zones and registrants", async () => {
    const dashboards = await event("getting-started-with-dashboards");
    expect(dashboards).toMatchObject({ kind: "webinar", status: "published", capacity: 100 });
    expect(dashboards.days_ahead).toBeGreaterThan(3);
    expect(dashboards.days_ahead).toBeLessThan(7);
    const question = await one<{ q: { label: string; options: string[]; required: boolean; kind: string }[] }>(
      sql`select registration_questions as q from events where slug = 'getting-started-with-dashboards'`,
    );
    expect(question.q).toEqual([expect.objectContaining({ label: "What is your role?", kind: "choice", options: ["Admin", "Analyst", "Developer", "Other"], required: true })]);
    const registered = await registrants("getting-started-with-dashboards", "registered");
    expect(registered.length).toBeGreaterThanOrEqual(3);
    expect(registered).not.toContain("olivia.chen@northwind.example");
    expect(registered).not.toContain("haruto.sato@sakura-systems.example");

    const api = await event("advanced-api-automation");
    expect(api).toMatchObject({ capacity: 2, registered_count: 2, waitlist_count: 2 });
    const apiPeople = [...(await registrants("advanced-api-automation", "registered")), ...(await registrants("advanced-api-automation", "waitlisted"))];
    expect(apiPeople).not.toContain("olivia.chen@northwind.example");
    expect(apiPeople).not.toContain("haruto.sato@sakura-systems.example");

    const sso = await event("sso-deep-dive");
    expect(sso.days_ahead).toBeLessThan(-8);
    expect(sso.recording_url).toMatch(/^https:\/\//);
    expect(sso.attended_count).toBeGreaterThanOrEqual(3);
    const olivia = await one<{ status: string; attended_at: Date | null }>(sql`select r.status, r.attended_at from event_registrations r
      join events e on e.id = r.event_id join users u on u.id = r.user_id where e.slug = 'sso-deep-dive' and u.email = 'olivia.chen@northwind.example'`);
    expect(olivia).toEqual({ status: "registered", attended_at: null });
    const surveys = await one<{ n: number; comments: number }>(sql`select count(*)::int as n, count(*) filter (where comment <> '')::int as comments
      from event_survey_responses s join events e on e.id = s.event_id where e.slug = 'sso-deep-dive'`);
    expect(surveys.comments).toBeGreaterThanOrEqual(2);

    expect(await event("dashboard-nyumon")).toMatchObject({ language: "ja", time_zone: "Asia/Tokyo", capacity: 50 });
    const statuses = await rows<{ status: string }>(sql`select distinct status from events where kind = 'webinar'`);
    expect(statuses.map((s) => s.status).sort()).toEqual(["cancelled", "draft", "published"]);
  });

  it("seeds group events: in person in Tokyo, online with no seat limit, and one waiting for approval", async () => {
    const tokyo = await one<EventRow & { group: string; attendance_mode: string; map_url: string; maybe_count: number }>(sql`
      select e.*, g.slug as "group", extract(epoch from e.starts_at - now())::float / 86400 as days_ahead
      from events e join user_groups g on g.id = e.group_id where e.slug = 'tokyo-meetup-december'`);
    expect(tokyo).toMatchObject({ kind: "group_event", status: "published", group: "tokyo-user-group", attendance_mode: "in_person", time_zone: "Asia/Tokyo", capacity: 30 });
    expect(tokyo.map_url).toMatch(/^https:\/\/www\.openstreetmap\.org\//);
    expect(tokyo.days_ahead).toBeGreaterThan(14);
    expect(tokyo.registered_count).toBeGreaterThan(0);
    expect(tokyo.maybe_count).toBeGreaterThan(0);
    expect(await event("api-builders-online-hour")).toMatchObject({ kind: "group_event", status: "published", capacity: null });
    const pending = await one<{ n: number; by_leader: number }>(sql`select count(*)::int as n,
      count(*) filter (where exists (select 1 from group_memberships m where m.group_id = e.group_id and m.user_id = e.created_by_id and m.role = 'leader'))::int as by_leader
      from events e where e.kind = 'group_event' and e.status = 'pending_approval'`);
    expect(pending).toEqual({ n: 1, by_leader: 1 });
  });

  it("keeps every counter equal to the registration rows it counts", async () => {
    const wrong = await rows<{ slug: string }>(sql`select e.slug from events e where
      registered_count <> (select count(*) from event_registrations r where r.event_id = e.id and r.status = 'registered')
      or waitlist_count <> (select count(*) from event_registrations r where r.event_id = e.id and r.status = 'waitlisted')
      or maybe_count <> (select count(*) from event_registrations r where r.event_id = e.id and r.status = 'maybe')
      or attended_count <> (select count(*) from event_registrations r where r.event_id = e.id and r.attended_at is not null)
      or (capacity is not null and registered_count > capacity)`);
    expect(wrong).toEqual([]);
    // Nobody waits while a seat is free, and queue order is arrival order.
    const waitingWithSeats = await one<{ n: number }>(sql`select count(*)::int as n from events e where waitlist_count > 0 and (capacity is null or registered_count < capacity)`);
    expect(waitingWithSeats.n).toBe(0);
    const order = await one<{ n: number }>(sql`select count(*)::int as n from event_registrations a join event_registrations b
      on a.event_id = b.event_id and a.queue_seq < b.queue_seq and a.created_at > b.created_at`);
    expect(order.n).toBe(0);
  });

  it("records the ledger entries of what members did, all in the past", async () => {
    const ledger = await one<{ registered: number; attended: number; rsvp: number; joined: number; surveys: number; future: number; revoked: number }>(sql`select
      count(*) filter (where type = 'webinar.registered')::int as registered, count(*) filter (where type in ('webinar.attended', 'event.attended'))::int as attended,
      count(*) filter (where type = 'event.rsvp')::int as rsvp, count(*) filter (where type = 'group.joined')::int as joined,
      count(*) filter (where type = 'webinar.survey_answered')::int as surveys, count(*) filter (where occurred_at > now())::int as future,
      count(*) filter (where type = 'webinar.registered' and revoked_at is not null)::int as revoked
      from activities where type like 'webinar.%' or type like 'event.%' or type = 'group.joined'`);
    const counts = await one<{ webinar_regs: number; group_regs: number; attended: number; active: number; surveys: number; cancelled: number }>(sql`select
      (select count(*)::int from event_registrations r join events e on e.id = r.event_id where e.kind = 'webinar') as webinar_regs,
      (select count(*)::int from event_registrations r join events e on e.id = r.event_id where e.kind = 'group_event') as group_regs,
      (select count(*)::int from event_registrations where attended_at is not null) as attended,
      (select count(*)::int from group_memberships where status = 'active') as active,
      (select count(*)::int from event_survey_responses) as surveys,
      (select count(*)::int from event_registrations r join events e on e.id = r.event_id where e.kind = 'webinar' and r.status = 'cancelled') as cancelled`);
    expect(ledger).toEqual({
      registered: counts.webinar_regs,
      attended: counts.attended,
      rsvp: counts.group_regs,
      joined: counts.active,
      surveys: counts.surveys,
      future: 0,
      revoked: counts.cancelled,
    });
    // The attendee's account is copied onto the row, as recordActivity does.
    const orphaned = await one<{ n: number }>(sql`select count(*)::int as n from activities a join account_members m on m.user_id = a.user_id
      where a.type = 'webinar.attended' and a.account_id is distinct from m.account_id`);
    expect(orphaned.n).toBe(0);
  });

  it("adds nothing when run again", async () => {
    const before = await one<{ events: number; regs: number; groups: number; ledger: number }>(sql`select (select count(*)::int from events) as events,
      (select count(*)::int from event_registrations) as regs, (select count(*)::int from user_groups) as groups, (select count(*)::int from activities) as ledger`);
    expect(await seedDemoEvents(handle.db)).toEqual({ groups: 0, events: 0, registrations: 0 });
    const after = await one<typeof before>(sql`select (select count(*)::int from events) as events,
      (select count(*)::int from event_registrations) as regs, (select count(*)::int from user_groups) as groups, (select count(*)::int from activities) as ledger`);
    expect(after).toEqual(before);
  });
});
