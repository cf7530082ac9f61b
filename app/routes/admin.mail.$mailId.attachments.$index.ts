import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { recordIdSchema } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { getMail } from "../features/mail/mail.server";

/** One file sent with a stored message (an event's .ics), downloaded as it was attached; staff with mail.read only. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "mail.read");
  const id = recordIdSchema.safeParse(params.mailId);
  if (!id.success || !/^\d{1,3}$/.test(params.index ?? "")) throw new Response("Not found", { status: 404 });
  const mail = await getMail(await getDb(), id.data);
  const attachment = mail?.attachments[Number(params.index)];
  if (!attachment) throw new Response("Not found", { status: 404 });
  // The stored name came from our own templates, but it still goes into a header: keep it to safe characters.
  const filename = attachment.filename.replace(/[^A-Za-z0-9._-]/g, "_") || "attachment";
  return new Response(attachment.content, {
    headers: {
      "Content-Type": attachment.contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
