import { relations, sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";

export const ROLES = ["member", "moderator", "staff", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ["en", "ja"] as const;
export type Locale = (typeof LOCALES)[number];

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    // Stored lower-cased; the unique index is on the stored form.
    email: text("email").notNull(),
    emailVerifiedAt: tstz("email_verified_at"),
    passwordHash: text("password_hash").notNull(),
    displayName: text("display_name").notNull(),
    handle: text("handle").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("member"),
    locale: text("locale", { enum: LOCALES }),
    timeZone: text("time_zone"),
    bio: text("bio").notNull().default(""),
    // Set when staff confirm a member as a champion (the Q&A issue adds candidacy rules); null otherwise.
    championAt: tstz("champion_at"),
    suspendedAt: tstz("suspended_at"),
    suspendedReason: text("suspended_reason"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    uniqueIndex("users_handle_key").on(t.handle),
    index("users_role_idx").on(t.role).where(sql`${t.role} <> 'member'`),
  ],
);

/** lucia sessions; the id is lucia's session id (a random string). */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: tstz("expires_at").notNull(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

export const EMAIL_TOKEN_PURPOSES = ["verify_email", "reset_password"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/** One-time tokens sent by mail; only their SHA-256 is stored. */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: EMAIL_TOKEN_PURPOSES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    // The address the token was sent to: verifying proves ownership of this one only.
    email: text("email").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("email_tokens_token_hash_key").on(t.tokenHash), index("email_tokens_user_idx").on(t.userId)],
);

export const usersRelations = relations(users, ({ many }) => ({
  sessions: many(sessions),
}));
