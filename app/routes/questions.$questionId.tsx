import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "../db.server";
import { getQuestionPathById } from "../features/forum/reads.server";
import { parseRouteId } from "../features/forum/responses.server";

/** /questions/<id> moves to the canonical /questions/<id>/<slug>. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const questionId = parseRouteId(params.questionId);
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const path = await getQuestionPathById(await getDb(), viewer, questionId);
  if (!path) throw new Response("Not found", { status: 404 });
  throw redirect(path, 301);
}
