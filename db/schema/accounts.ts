import { relations } from "drizzle-orm";
import { bigint, boolean, date, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { users } from "./identity";

export const TIERS = ["high_touch", "low_touch", "tech_touch"] as const;
export type Tier = (typeof TIERS)[number];

/** Customer companies. */
export const accounts = pgTable(
  "accounts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    crmExternalId: text("crm_external_id"),
    tier: text("tier", { enum: TIERS }).notNull().default("tech_touch"),
    ownerId: integer("owner_id").references(() => users.id, { onDelete: "set null" }),
    renewalDate: date("renewal_date", { mode: "string" }),
    arrCents: bigint("arr_cents", { mode: "number" }),
    licensedSeats: integer("licensed_seats"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("accounts_crm_external_id_key").on(t.crmExternalId),
    index("accounts_name_idx").on(t.name),
    index("accounts_owner_idx").on(t.ownerId),
  ],
);

/** Verified email domains that auto-join their users to an account; a domain belongs to one account. */
export const accountDomains = pgTable(
  "account_domains",
  {
    domain: text("domain").primaryKey(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("account_domains_account_idx").on(t.accountId)],
);

export const MEMBERSHIP_SOURCES = ["domain", "staff", "seed"] as const;
export type MembershipSource = (typeof MEMBERSHIP_SOURCES)[number];

/** A user's current account: at most one (user_id is the key). */
export const accountMembers = pgTable(
  "account_members",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    source: text("source", { enum: MEMBERSHIP_SOURCES }).notNull(),
    // Set when staff pin or remove a membership: domain auto-join must not undo a staff decision.
    isStaffOverride: boolean("is_staff_override").notNull().default(false),
    joinedAt: tstz("joined_at").notNull().defaultNow(),
  },
  (t) => [index("account_members_account_idx").on(t.accountId)],
);

export const MEMBERSHIP_CHANGES = ["joined", "left"] as const;

/** Every membership change, append-only, so "who was at this account when" can be answered later. */
export const accountMembershipHistory = pgTable(
  "account_membership_history",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    change: text("change", { enum: MEMBERSHIP_CHANGES }).notNull(),
    source: text("source", { enum: MEMBERSHIP_SOURCES }).notNull(),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    at: tstz("at").notNull().defaultNow(),
  },
  (t) => [
    index("account_membership_history_user_idx").on(t.userId, t.at),
    index("account_membership_history_account_idx").on(t.accountId, t.at),
    // Deleting a user nulls actor_id here; without an index that is a scan of the whole history.
    index("account_membership_history_actor_idx").on(t.actorId),
  ],
);

export const accountsRelations = relations(accounts, ({ many, one }) => ({
  domains: many(accountDomains),
  members: many(accountMembers),
  owner: one(users, { fields: [accounts.ownerId], references: [users.id] }),
}));

export const accountDomainsRelations = relations(accountDomains, ({ one }) => ({
  account: one(accounts, { fields: [accountDomains.accountId], references: [accounts.id] }),
}));

export const accountMembersRelations = relations(accountMembers, ({ one }) => ({
  account: one(accounts, { fields: [accountMembers.accountId], references: [accounts.id] }),
  user: one(users, { fields: [accountMembers.userId], references: [users.id] }),
}));
