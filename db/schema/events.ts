import { relations, sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgSequence, pgTable, primaryKey, smallint, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { users } from "./identity";

/**
 * Webinars and user-group events share one model: both have a time, a capacity with a waitlist,
 * registrations, reminders, calendar files and attendance. `kind` tells them apart; a group event
 * belongs to a user group, a webinar to nobody.
 */
export const EVENT_KINDS = ["webinar", "group_event"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * draft: staff still writing it; pending_approval: drafted by a group leader, waiting for staff;
 * published: listed and open for registration; cancelled: kept for history, registrants were told.
 */
export const EVENT_STATUSES = ["draft", "pending_approval", "published", "cancelled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const ATTENDANCE_MODES = ["online", "in_person"] as const;
export type AttendanceMode = (typeof ATTENDANCE_MODES)[number];

export const EVENT_LEVELS = ["all", "beginner", "intermediate", "advanced"] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

export const EVENT_LANGUAGES = ["en", "ja"] as const;
export type EventLanguage = (typeof EVENT_LANGUAGES)[number];

export interface EventSpeaker {
  name: string;
  title: string;
}

/** A question staff ask at registration; answers are stored per registration under the question's id. */
export interface RegistrationQuestion {
  id: string;
  label: string;
  kind: "text" | "choice";
  /** For "choice": the allowed answers. */
  options: string[];
  required: boolean;
}

export const events = pgTable(
  "events",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind", { enum: EVENT_KINDS }).notNull(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    /** One or two sentences for cards, feeds and meta descriptions. */
    summary: text("summary").notNull().default(""),
    descriptionMd: text("description_md").notNull().default(""),
    descriptionHtml: text("description_html").notNull().default(""),
    agendaMd: text("agenda_md").notNull().default(""),
    agendaHtml: text("agenda_html").notNull().default(""),
    speakers: jsonb("speakers").$type<EventSpeaker[]>().notNull().default(sql`'[]'::jsonb`),
    level: text("level", { enum: EVENT_LEVELS }).notNull().default("all"),
    language: text("language", { enum: EVENT_LANGUAGES }).notNull().default("en"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    startsAt: tstz("starts_at").notNull(),
    endsAt: tstz("ends_at").notNull(),
    /** The organizer's IANA zone: the form's local times are read in it, and in-person events show it. */
    timeZone: text("time_zone").notNull(),
    /** Seats; null means unlimited (no waitlist). */
    capacity: integer("capacity"),
    status: text("status", { enum: EVENT_STATUSES }).notNull().default("draft"),
    attendanceMode: text("attendance_mode", { enum: ATTENDANCE_MODES }).notNull().default("online"),
    /** Shown only to registered members, and only from shortly before the start (JOIN_LINK_OPENS_MINUTES). */
    joinUrl: text("join_url"),
    venueName: text("venue_name"),
    venueAddress: text("venue_address"),
    mapUrl: text("map_url"),
    groupId: integer("group_id").references(() => userGroups.id, { onDelete: "cascade" }),
    recordingUrl: text("recording_url"),
    slidesUrl: text("slides_url"),
    registrationQuestions: jsonb("registration_questions").$type<RegistrationQuestion[]>().notNull().default(sql`'[]'::jsonb`),
    // Counters kept in the registration transaction (the event row is locked there), so pages never count.
    registeredCount: integer("registered_count").notNull().default(0),
    waitlistCount: integer("waitlist_count").notNull().default(0),
    maybeCount: integer("maybe_count").notNull().default(0),
    attendedCount: integer("attended_count").notNull().default(0),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    approvedById: integer("approved_by_id").references(() => users.id, { onDelete: "set null" }),
    publishedAt: tstz("published_at"),
    cancelledAt: tstz("cancelled_at"),
    cancelReason: text("cancel_reason"),
    /** Set when the after-session mails (recording to no-shows, survey to attendees) were queued. */
    followUpQueuedAt: tstz("follow_up_queued_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("events_slug_key").on(t.slug),
    index("events_status_starts_idx").on(t.status, t.startsAt),
    index("events_kind_status_starts_idx").on(t.kind, t.status, t.startsAt),
    index("events_group_starts_idx").on(t.groupId, t.startsAt),
    index("events_tags_idx").using("gin", t.tags),
    check("events_time_order_check", sql`${t.endsAt} > ${t.startsAt}`),
    check("events_capacity_check", sql`${t.capacity} is null or ${t.capacity} >= 0`),
    check("events_counts_check", sql`${t.registeredCount} >= 0 and ${t.waitlistCount} >= 0 and ${t.maybeCount} >= 0 and ${t.attendedCount} >= 0`),
  ],
);

/**
 * registered: holds a seat ("going"); waitlisted: wants a seat, in queue_seq order; maybe: interested,
 * no seat (group events' RSVP "maybe"); cancelled: cancelled or "not going". One row per member and
 * event, updated in place, so a member can never hold two places.
 */
export const REGISTRATION_STATUSES = ["registered", "waitlisted", "maybe", "cancelled"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const ATTENDANCE_SOURCES = ["import", "manual"] as const;
export type AttendanceSource = (typeof ATTENDANCE_SOURCES)[number];

/** Arrival order across all events: taken while the event row is locked, so it is the order seats were asked for. */
export const eventQueueSeq = pgSequence("event_queue_seq", { startWith: 1 });

export const eventRegistrations = pgTable(
  "event_registrations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: REGISTRATION_STATUSES }).notNull(),
    answers: jsonb("answers").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    queueSeq: bigint("queue_seq", { mode: "number" }).notNull(),
    registeredAt: tstz("registered_at"),
    waitlistedAt: tstz("waitlisted_at"),
    promotedAt: tstz("promoted_at"),
    cancelledAt: tstz("cancelled_at"),
    attendedAt: tstz("attended_at"),
    attendedMinutes: integer("attended_minutes"),
    attendanceSource: text("attendance_source", { enum: ATTENDANCE_SOURCES }),
    // Each mail goes once: set in the transaction that queues it.
    reminderDaySentAt: tstz("reminder_day_sent_at"),
    reminderHourSentAt: tstz("reminder_hour_sent_at"),
    followUpSentAt: tstz("follow_up_sent_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("event_registrations_event_user_key").on(t.eventId, t.userId),
    index("event_registrations_event_status_idx").on(t.eventId, t.status, t.queueSeq),
    index("event_registrations_user_idx").on(t.userId, t.status),
  ],
);

export const eventSurveyResponses = pgTable(
  "event_survey_responses",
  {
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rating: smallint("rating").notNull(),
    comment: text("comment").notNull().default(""),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] }), check("event_survey_rating_check", sql`${t.rating} between 1 and 5`)],
);

export const ATTENDANCE_IMPORT_STATUSES = ["ready", "committed", "failed"] as const;
export type AttendanceImportStatus = (typeof ATTENDANCE_IMPORT_STATUSES)[number];

/** One uploaded attendee report: parsed and previewed (ready), then applied (committed), or refused (failed). */
export const attendanceImports = pgTable(
  "attendance_imports",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    fileName: text("file_name").notNull(),
    fileSha256: text("file_sha256").notNull(),
    byteSize: bigint("byte_size", { mode: "number" }).notNull(),
    status: text("status", { enum: ATTENDANCE_IMPORT_STATUSES }).notNull(),
    rowCount: integer("row_count").notNull().default(0),
    matchedCount: integer("matched_count").notNull().default(0),
    unknownCount: integer("unknown_count").notNull().default(0),
    invalidCount: integer("invalid_count").notNull().default(0),
    /** Problems with the file as a whole (message keys with params), when status is failed. */
    fileErrors: jsonb("file_errors").$type<Array<{ key: string; params?: Record<string, string | number> }>>().notNull().default(sql`'[]'::jsonb`),
    /** How many registrations the commit changed (0 when the same report was applied before). */
    appliedCount: integer("applied_count"),
    committedAt: tstz("committed_at"),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("attendance_imports_event_idx").on(t.eventId, t.createdAt)],
);

export const ATTENDANCE_ROW_STATUSES = ["matched", "unknown", "invalid"] as const;
export type AttendanceRowStatus = (typeof ATTENDANCE_ROW_STATUSES)[number];

/** A report's rows after merging: one per email (rejoins summed), plus one per invalid line. */
export const attendanceImportRows = pgTable(
  "attendance_import_rows",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    importId: integer("import_id")
      .notNull()
      .references(() => attendanceImports.id, { onDelete: "cascade" }),
    status: text("status", { enum: ATTENDANCE_ROW_STATUSES }).notNull(),
    /** The first line of the file this row came from (1-based, header included). */
    line: integer("line").notNull(),
    email: text("email"),
    name: text("name"),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    firstJoinAt: tstz("first_join_at"),
    lastLeaveAt: tstz("last_leave_at"),
    minutes: integer("minutes"),
    /** How many lines (joins) were merged into this row. */
    joins: integer("joins").notNull().default(1),
    /** For invalid rows: a message key saying what is wrong. */
    problem: text("problem"),
  },
  (t) => [index("attendance_import_rows_import_idx").on(t.importId, t.status, t.line)],
);

export const GROUP_KINDS = ["region", "industry", "product"] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const GROUP_JOIN_POLICIES = ["open", "approval"] as const;
export type GroupJoinPolicy = (typeof GROUP_JOIN_POLICIES)[number];

/** User groups (regional chapters, industry circles, product interest groups). */
export const userGroups = pgTable(
  "user_groups",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: GROUP_KINDS }).notNull(),
    summary: text("summary").notNull().default(""),
    descriptionMd: text("description_md").notNull().default(""),
    descriptionHtml: text("description_html").notNull().default(""),
    joinPolicy: text("join_policy", { enum: GROUP_JOIN_POLICIES }).notNull().default("open"),
    /** Active members, leaders included; kept in the join/leave transaction. */
    memberCount: integer("member_count").notNull().default(0),
    archivedAt: tstz("archived_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("user_groups_slug_key").on(t.slug), index("user_groups_kind_idx").on(t.kind, t.name)],
);

export const GROUP_ROLES = ["member", "leader"] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export const GROUP_MEMBERSHIP_STATUSES = ["active", "pending"] as const;
export type GroupMembershipStatus = (typeof GROUP_MEMBERSHIP_STATUSES)[number];

export const groupMemberships = pgTable(
  "group_memberships",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => userGroups.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: GROUP_ROLES }).notNull().default("member"),
    status: text("status", { enum: GROUP_MEMBERSHIP_STATUSES }).notNull(),
    requestedAt: tstz("requested_at").notNull().defaultNow(),
    joinedAt: tstz("joined_at"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_memberships_user_idx").on(t.userId, t.status), index("group_memberships_group_status_idx").on(t.groupId, t.status, t.role)],
);

/** A member's private calendar feed: only the token's SHA-256 is stored; resetting it replaces the row. */
export const calendarFeeds = pgTable(
  "calendar_feeds",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    lastUsedAt: tstz("last_used_at"),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("calendar_feeds_token_hash_key").on(t.tokenHash)],
);

export const eventsRelations = relations(events, ({ one, many }) => ({
  group: one(userGroups, { fields: [events.groupId], references: [userGroups.id] }),
  registrations: many(eventRegistrations),
}));

export const eventRegistrationsRelations = relations(eventRegistrations, ({ one }) => ({
  event: one(events, { fields: [eventRegistrations.eventId], references: [events.id] }),
  user: one(users, { fields: [eventRegistrations.userId], references: [users.id] }),
}));

export const userGroupsRelations = relations(userGroups, ({ many }) => ({
  memberships: many(groupMemberships),
  events: many(events),
}));

export const groupMembershipsRelations = relations(groupMemberships, ({ one }) => ({
  group: one(userGroups, { fields: [groupMemberships.groupId], references: [userGroups.id] }),
  user: one(users, { fields: [groupMemberships.userId], references: [users.id] }),
}));

/**
 * Raised by statement triggers (migration 0012) in the same transaction as any change to events or user
 * groups, so the public catalog and event pages can be cached per process and still never be stale
 * (features/cache/content-cache.server.ts, scope "events").
 */
export const eventsContentVersion = pgTable("events_content_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});
