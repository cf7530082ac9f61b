import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { accounts } from "./accounts";
import { users } from "./identity";

/**
 * The engagement ledger: append-only, one row per thing a member did.
 * account_id is copied at write time so history survives account moves.
 * Undo sets revoked_at; rows are never deleted or rewritten otherwise.
 */
export const activities = pgTable(
  "activities",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    type: text("type").notNull(),
    occurredAt: tstz("occurred_at").notNull().defaultNow(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    accountId: integer("account_id").references(() => accounts.id, { onDelete: "set null" }),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    idempotencyKey: text("idempotency_key").notNull(),
    revokedAt: tstz("revoked_at"),
  },
  (t) => [
    uniqueIndex("activities_idempotency_key_key").on(t.idempotencyKey),
    index("activities_account_occurred_idx").on(t.accountId, t.occurredAt),
    index("activities_user_occurred_idx").on(t.userId, t.occurredAt),
    index("activities_type_occurred_idx").on(t.type, t.occurredAt),
    index("activities_occurred_id_idx").on(t.occurredAt, t.id),
  ],
);
