import { desc, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { mailMessages, type Locale, type MailAttachment } from "../../../db/schema";
import { getEnv } from "../../env.server";
import { enqueueJob } from "../jobs/queue.server";
import { PermanentJobError, type JobHandler } from "../jobs/registry.server";
import { MAIL_LOCALES, MAIL_TEMPLATE_PARAMS, renderMail, type MailAttachment as RenderedAttachment, type MailLocale } from "./templates";

// templates.ts stays free of db imports (it is pure); this fails to compile if a user locale has no templates.
const everyUserLocaleHasTemplates: [Locale] extends [MailLocale] ? true : never = true;
void everyUserLocaleHasTemplates;
// The rendered attachment type is declared again in templates.ts; this fails to compile if the two drift apart.
const attachmentTypesAgree: [RenderedAttachment, MailAttachment] extends [MailAttachment, RenderedAttachment] ? true : never = true;
void attachmentTypesAgree;

export const MAIL_SEND_JOB = "mail.send";

// Addresses are compared and listed lower-cased; every provider we deliver to treats them case-insensitively.
const address = z.string().trim().toLowerCase().pipe(z.email());

const common = {
  to: address,
  userId: z.number().int().positive().nullable().default(null),
  locale: z.enum(MAIL_LOCALES),
};

/** The payload of a mail.send job: which template to render, for whom, in which language. */
export const mailJobPayloadSchema = z.discriminatedUnion("template", [
  z.object({ ...common, template: z.literal("verify_email"), params: MAIL_TEMPLATE_PARAMS.verify_email }),
  z.object({ ...common, template: z.literal("reset_password"), params: MAIL_TEMPLATE_PARAMS.reset_password }),
  z.object({ ...common, template: z.literal("account_exists"), params: MAIL_TEMPLATE_PARAMS.account_exists }),
  z.object({ ...common, template: z.literal("test"), params: MAIL_TEMPLATE_PARAMS.test }),
  z.object({ ...common, template: z.literal("forum_notification"), params: MAIL_TEMPLATE_PARAMS.forum_notification }),
  z.object({ ...common, template: z.literal("forum_digest"), params: MAIL_TEMPLATE_PARAMS.forum_digest }),
  z.object({ ...common, template: z.literal("event_registered"), params: MAIL_TEMPLATE_PARAMS.event_registered }),
  z.object({ ...common, template: z.literal("event_waitlisted"), params: MAIL_TEMPLATE_PARAMS.event_waitlisted }),
  z.object({ ...common, template: z.literal("event_promoted"), params: MAIL_TEMPLATE_PARAMS.event_promoted }),
  z.object({ ...common, template: z.literal("event_reminder"), params: MAIL_TEMPLATE_PARAMS.event_reminder }),
  z.object({ ...common, template: z.literal("event_cancelled"), params: MAIL_TEMPLATE_PARAMS.event_cancelled }),
  z.object({ ...common, template: z.literal("event_recording"), params: MAIL_TEMPLATE_PARAMS.event_recording }),
  z.object({ ...common, template: z.literal("event_survey"), params: MAIL_TEMPLATE_PARAMS.event_survey }),
]);

export type MailInput = z.input<typeof mailJobPayloadSchema>;
export type MailJobPayload = z.output<typeof mailJobPayloadSchema>;

/**
 * Queues one email in the caller's transaction (db may be a transaction): the message goes out only if the
 * change that caused it commits. Throws a ZodError on invalid input (a programming error: params come from
 * our own code). Returns the job id. Side effects: one `mail.send` job.
 */
export async function enqueueMail(db: Db, input: MailInput): Promise<number> {
  const payload = mailJobPayloadSchema.parse(input);
  return enqueueJob(db, { type: MAIL_SEND_JOB, payload });
}

let transport: { url: string; transporter: nodemailer.Transporter } | undefined;

function getTransport(url: string): nodemailer.Transporter {
  if (transport?.url !== url) {
    transport = {
      url,
      // Bounded timeouts: the send happens inside a database transaction (see sendMailJob).
      transporter: nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
    };
  }
  return transport.transporter;
}

/**
 * The `mail.send` handler: renders the template and delivers it once per job.
 *
 * Idempotency: in one transaction, insert the mail_messages row for this job (job_id is unique, ON CONFLICT
 * DO NOTHING), and only when the row is new, send over SMTP; commit. A second run of the same job finds the
 * row and sends nothing; an overlapping run waits on the unique index until the first commits or rolls
 * back. A failed send rolls the row back, so the retry sends again.
 * Trade-off: the transaction stays open during the SMTP conversation (bounded by the transport timeouts; on
 * embedded PGlite that briefly holds its single connection). And if the SMTP server accepts the message but
 * the commit then fails, the retry sends a duplicate: at-least-once, made visible by the job-derived
 * Message-ID that receiving servers can use to drop it. Without SMTP_URL the row (status "stored") is the
 * delivery: staff read it in the mail viewer.
 */
export const sendMailJob: JobHandler = async ({ db, job, logger }) => {
  const parsed = mailJobPayloadSchema.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError(`Invalid mail.send payload: ${z.prettifyError(parsed.error)}`);
  const payload = parsed.data;
  const rendered = renderMail(payload);
  const env = getEnv();
  const smtpUrl = env.SMTP_URL;

  const outcome = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(mailMessages)
      .values({
        jobId: job.id,
        toAddress: payload.to,
        userId: payload.userId,
        template: payload.template,
        locale: payload.locale,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachments: rendered.attachments,
        status: smtpUrl ? "sent" : "stored",
      })
      .onConflictDoNothing({ target: mailMessages.jobId })
      .returning({ id: mailMessages.id });
    const row = inserted[0];
    if (!row) return { mailId: null, status: "duplicate" as const };
    if (smtpUrl) {
      await getTransport(smtpUrl).sendMail({
        from: env.MAIL_FROM,
        to: payload.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        // Calendar files go as ordinary attachments (text/calendar; method=PUBLISH): clients offer "add to
        // calendar" without treating the mail as a meeting invitation that expects a reply.
        attachments: rendered.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
        messageId: `<hearth-mail-job-${job.id}@${new URL(env.APP_URL).hostname}>`,
      });
    }
    return { mailId: row.id, status: smtpUrl ? ("sent" as const) : ("stored" as const) };
  });

  if (outcome.status === "duplicate") logger.info({ template: payload.template }, "mail already delivered for this job; not sending again");
  else logger.info({ mailId: outcome.mailId, template: payload.template, status: outcome.status }, "mail delivered");
};

export type MailSummary = Omit<typeof mailMessages.$inferSelect, "text" | "html" | "attachments">;
export type MailMessage = typeof mailMessages.$inferSelect;

/** Messages for the staff mail viewer, newest first, without bodies (getMail loads one in full). */
export async function listMail(db: Db, input: { limit: number; offset?: number; to?: string }): Promise<MailSummary[]> {
  const to = input.to?.trim().toLowerCase();
  return db
    .select({
      id: mailMessages.id,
      jobId: mailMessages.jobId,
      toAddress: mailMessages.toAddress,
      userId: mailMessages.userId,
      template: mailMessages.template,
      locale: mailMessages.locale,
      subject: mailMessages.subject,
      status: mailMessages.status,
      createdAt: mailMessages.createdAt,
    })
    .from(mailMessages)
    .where(to ? eq(mailMessages.toAddress, to) : undefined)
    .orderBy(desc(mailMessages.createdAt), desc(mailMessages.id))
    .limit(input.limit)
    .offset(input.offset ?? 0);
}

/** One message with its bodies, or null. */
export async function getMail(db: Db, id: number): Promise<MailMessage | null> {
  const [row] = await db.select().from(mailMessages).where(eq(mailMessages.id, id));
  return row ?? null;
}
