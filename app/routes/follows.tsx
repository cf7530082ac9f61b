import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "../db.server";
import { requireUser, safeRedirectPath } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { setFollow } from "../features/forum/follows.server";
import { followFormSchema } from "../features/forum/notifications.schema";

/**
 * POST /follows: the target of FollowButton (tag and question follow forms on pages other routes own).
 * Redirects back to `redirectTo` (a path on this site only). There is no page here: GET is a 404.
 */
export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const submission = parseForm(await request.formData(), followFormSchema);
  // The form is hidden fields only: a malformed one did not come from our page.
  if (!submission.ok) throw new Response("Bad request", { status: 400 });
  const { intent, targetType, targetId, redirectTo } = submission.data;
  const result = await setFollow(await getDb(), user, { targetType, targetId, follow: intent === "follow" });
  if (!result.ok) {
    if ("fieldErrors" in result) throw new Response("Bad request", { status: 400 });
    if (result.reason === "not_found") throw new Response("Not found", { status: 404 });
    throw new Response("Forbidden", { status: 403 });
  }
  return redirect(safeRedirectPath(redirectTo, "/questions"));
}
