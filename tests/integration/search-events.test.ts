import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../db/client";
import { events, searchIndexQueue, userGroups } from "../../db/schema";
import { resolveResultUrl } from "../../app/features/search/search.server";
import { countSearchableDocuments, listSearchableKeys, loadSearchDocuments } from "../../search/documents";
import { createTestDb } from "../support/db";

// Migration 0011's triggers and search/documents.ts for webinars and group events.

let handle: DbHandle;
let db: Db;
let groupId: number;
const HOUR = 3600_000;
let seq = 0;

type NewEvent = typeof events.$inferInsert;
async function makeEvent(overrides: Partial<NewEvent> = {}) {
  seq += 1;
  const startsAt = overrides.startsAt ?? new Date(Date.now() + 24 * HOUR);
  const [row] = await db
    .insert(events)
    .values({
      kind: "webinar",
      slug: `search-event-${seq}`,
      title: `Dashboards deep dive ${seq}`,
      summary: "Build dashboards your team trusts.",
      descriptionMd: "Learn **filters**.",
      descriptionHtml: "<p>Learn <strong>filters</strong> &amp; drill-downs.</p>",
      agendaHtml: "<ol><li>Intro</li><li>Q&amp;A</li></ol>",
      speakers: [{ name: "Aiko Tanaka", title: "PM" }],
      tags: ["dashboards", "analytics"],
      timeZone: "UTC",
      status: "published",
      ...overrides,
      startsAt,
      endsAt: overrides.endsAt ?? new Date(startsAt.getTime() + HOUR),
    })
    .returning();
  return row!;
}

async function queuedKeys(): Promise<string[]> {
  return (await db.select({ key: searchIndexQueue.docKey }).from(searchIndexQueue)).map((r) => r.key).sort();
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const [group] = await db.insert(userGroups).values({ slug: "tokyo-ug", name: "Tokyo User Group", kind: "region" }).returning();
  groupId = group!.id;
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  await db.delete(searchIndexQueue);
});

describe("event search documents", () => {
  it("queues published webinars and group events under their own types, never drafts", async () => {
    const webinar = await makeEvent();
    const meetup = await makeEvent({ kind: "group_event", groupId, attendanceMode: "in_person", venueName: "Hall" });
    await makeEvent({ status: "draft" });
    expect(await queuedKeys()).toEqual([`event:${meetup.id}`, `webinar:${webinar.id}`].sort());
  });

  it("builds a public document with the text of the description, agenda, speakers and group", async () => {
    const meetup = await makeEvent({ kind: "group_event", groupId, language: "ja", title: "東京ミートアップ" });
    const docs = await loadSearchDocuments(db, [`event:${meetup.id}`, `webinar:${meetup.id}`], 7);
    expect([...docs.keys()]).toEqual([`event:${meetup.id}`]);
    const doc = docs.get(`event:${meetup.id}`)!;
    expect(doc).toMatchObject({ type: "event", sourceId: meetup.id, locale: "ja", visibility: "public", title: "東京ミートアップ", tags: ["analytics", "dashboards"], revision: 7 });
    expect(doc.body).toContain("Learn filters & drill-downs.");
    expect(doc.body).toContain("Q&A");
    expect(doc.body).toContain("Aiko Tanaka");
    expect(doc.body).toContain("Tokyo User Group");
    expect(doc.body).not.toContain("<");
  });

  it("drops ended events without a recording, keeps those with one", async () => {
    const ended = await makeEvent({ startsAt: new Date(Date.now() - 5 * HOUR) });
    const recorded = await makeEvent({ startsAt: new Date(Date.now() - 5 * HOUR), recordingUrl: "https://video.example.test/1" });
    const docs = await loadSearchDocuments(db, [`webinar:${ended.id}`, `webinar:${recorded.id}`]);
    expect([...docs.keys()]).toEqual([`webinar:${recorded.id}`]);
    // The after-session job touches the row once the event ended, which re-checks its document.
    await db.delete(searchIndexQueue);
    await db.update(events).set({ followUpQueuedAt: new Date() }).where(eq(events.id, ended.id));
    expect(await queuedKeys()).toEqual([`webinar:${ended.id}`]);
  });

  it("re-queues on content and status changes but not on registration counters", async () => {
    const webinar = await makeEvent();
    await db.delete(searchIndexQueue);
    await db.update(events).set({ registeredCount: sql`${events.registeredCount} + 1`, waitlistCount: 3 }).where(eq(events.id, webinar.id));
    expect(await queuedKeys()).toEqual([]);
    await db.update(events).set({ title: "Renamed session" }).where(eq(events.id, webinar.id));
    expect(await queuedKeys()).toEqual([`webinar:${webinar.id}`]);
    await db.delete(searchIndexQueue);
    await db.update(events).set({ status: "cancelled" }).where(eq(events.id, webinar.id));
    expect(await queuedKeys()).toEqual([`webinar:${webinar.id}`]);
    expect((await loadSearchDocuments(db, [`webinar:${webinar.id}`])).size).toBe(0);
  });

  it("re-queues a group's published events when the group is renamed, not when members join", async () => {
    const [group] = await db.insert(userGroups).values({ slug: "api-club", name: "API Club", kind: "product" }).returning();
    const meetup = await makeEvent({ kind: "group_event", groupId: group!.id });
    await db.delete(searchIndexQueue);
    await db.update(userGroups).set({ memberCount: 5 }).where(eq(userGroups.id, group!.id));
    expect(await queuedKeys()).toEqual([]);
    await db.update(userGroups).set({ name: "API Builders" }).where(eq(userGroups.id, group!.id));
    expect(await queuedKeys()).toEqual([`event:${meetup.id}`]);
  });

  it("walks searchable events for a rebuild and counts them", async () => {
    const before = await countSearchableDocuments(db);
    await makeEvent();
    await makeEvent({ status: "pending_approval", kind: "group_event", groupId });
    expect(await countSearchableDocuments(db)).toBe(before + 1);
    const webinars = await listSearchableKeys(db, "webinar", 0, 1000);
    expect(webinars.keys.every((k) => k.startsWith("webinar:"))).toBe(true);
    const groupEvents = await listSearchableKeys(db, "event", 0, 1000);
    expect(groupEvents.keys.every((k) => k.startsWith("event:"))).toBe(true);
  });

  it("opens a hit on the event's page, and nothing for a hidden or mistyped one", async () => {
    const webinar = await makeEvent({ slug: "open-me" });
    const meetup = await makeEvent({ slug: "meet-me", kind: "group_event", groupId });
    const draft = await makeEvent({ slug: "hidden-draft", status: "draft" });
    expect(await resolveResultUrl(db, null, `webinar:${webinar.id}`)).toBe("/webinars/open-me");
    expect(await resolveResultUrl(db, null, `event:${meetup.id}`)).toBe("/events/meet-me");
    expect(await resolveResultUrl(db, null, `event:${webinar.id}`)).toBeNull();
    expect(await resolveResultUrl(db, null, `webinar:${draft.id}`)).toBeNull();
  });
});
