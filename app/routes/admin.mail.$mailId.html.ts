import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { recordIdSchema } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { getMail } from "../features/mail/mail.server";

/**
 * The HTML body of a stored message, for the preview frame. Served on its own so it can carry the
 * sandboxed policy from securityHeaders() (inline styles allowed, scripts and everything else not).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "mail.read");
  const id = recordIdSchema.safeParse(params.mailId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const mail = await getMail(await getDb(), id.data);
  if (!mail) throw new Response("Not found", { status: 404 });
  return new Response(mail.html, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store" } });
}
