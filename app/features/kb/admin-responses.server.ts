import { recordIdSchema } from "../admin/admin.schema";

/** A malformed id in the URL is a page that does not exist, never a database error. */
export function parseArticleId(value: string | undefined): number {
  const id = recordIdSchema.safeParse(value);
  if (!id.success) throw new Response("Not found", { status: 404 });
  return id.data;
}

/** A kb command's refusal as the status the error boundary shows. */
export function refusal(reason: "not_found" | "forbidden"): Response {
  return reason === "forbidden" ? new Response("Forbidden", { status: 403 }) : new Response("Not found", { status: 404 });
}
