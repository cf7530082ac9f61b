import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import type { Db } from "../../../db/client";
import type { EventKind } from "../../../db/schema/events";
import { requireUser } from "../auth/guards.server";
import { queryValues } from "../admin/admin.schema";
import { parseForm } from "../forms/parse";
import { invalidForm } from "../forms/responses.server";
import { translate } from "../i18n/messages";
import { eventSlugParam } from "./catalog.schema";
import { checkInActionSchema, checkInQuerySchema } from "./groups.schema";
import { checkInAtDoor, getCheckInList } from "./groups.server";
import { eventCheckInPath } from "./paths";
import { failedEventResult } from "./responses.server";

// The loader and action shared by /webinars/<slug>/check-in and /events/<slug>/check-in (the door list):
// the two differ only in kind. Kept out of the route modules so neither route imports the other.

function slugOf(params: LoaderFunctionArgs["params"]): string {
  const parsed = eventSlugParam.safeParse(params.slug);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function checkInLoader(db: Db, { request, params, context }: LoaderFunctionArgs, kind: EventKind) {
  const user = requireUser(context, request);
  const slug = slugOf(params);
  const { q } = checkInQuerySchema.parse(queryValues(request.url));
  const result = await getCheckInList(db, { id: user.id, role: user.role }, { kind, slug }, { q });
  if (!result.ok) {
    const forbidden = "reason" in result && result.reason === "forbidden";
    throw new Response(forbidden ? "Forbidden" : "Not found", { status: forbidden ? 403 : 404 });
  }
  const { ok: _ok, ...list } = result;
  return json({ ...list, q: q ?? "", pageTitle: translate(context.locale, "groups.checkIn.title") }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function checkInAction(db: Db, { request, params, context }: ActionFunctionArgs, kind: EventKind) {
  const user = requireUser(context, request);
  const slug = slugOf(params);
  const submission = parseForm(await request.formData(), checkInActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const { intent, userId, stay, q } = submission.data;
  const result = await checkInAtDoor(db, { id: user.id, role: user.role }, { event: { kind, slug }, userId, attended: intent === "checkIn" });
  if (!result.ok) return failedEventResult(result, {});
  // The enhanced page stays put (its fetchers revalidate the list); a plain form post comes back to the same search.
  if (stay) return json({ ok: true as const, userId, attended: result.attended });
  const search = q?.trim() ? `?q=${encodeURIComponent(q.trim())}` : "";
  return redirect(`${eventCheckInPath(kind, slug)}${search}`);
}
