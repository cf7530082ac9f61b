import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { users } from "./identity";

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export const MAIL_STATUSES = ["stored", "sent"] as const;

/**
 * Every message the portal sends. Without SMTP_URL this is the only delivery (staff read it at /admin/mail);
 * with SMTP it is the log. One row per job, so a retried job never produces a second message.
 */
export const mailMessages = pgTable(
  "mail_messages",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    jobId: bigint("job_id", { mode: "number" }),
    toAddress: text("to_address").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    template: text("template").notNull(),
    locale: text("locale").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    status: text("status", { enum: MAIL_STATUSES }).notNull(),
    /** Files sent with the message (an event's .ics), rendered with it, so the viewer and a resend match. */
    attachments: jsonb("attachments").$type<MailAttachment[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("mail_messages_job_key").on(t.jobId), index("mail_messages_to_idx").on(t.toAddress, t.createdAt)],
);
