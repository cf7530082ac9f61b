import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import forumStyles from "../components/forum/forum.css";
import { RevisionHistoryPage } from "../components/forum/revision-history";
import { getDb } from "../db.server";
import { revisionQuerySchema } from "../features/forum/forum.schema";
import { getQuestionForEditing } from "../features/forum/reads.server";
import { parseRouteId } from "../features/forum/responses.server";
import { getRevisionHistory } from "../features/forum/revisions.server";
import { translate } from "../features/i18n/messages";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: kbAdminStyles },
  { rel: "stylesheet", href: forumStyles },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const questionId = parseRouteId(params.questionId);
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const db = await getDb();
  const question = await getQuestionForEditing(db, viewer, questionId);
  if (!question) throw new Response("Not found", { status: 404 });
  const query = revisionQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const history = await getRevisionHistory(db, "question", questionId, query);
  return json({ title: question.title, path: question.path, ...history, pageTitle: translate(context.locale, "forum.revisions.title") });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.pageTitle ?? ""} · Hearth` }, { name: "robots", content: "noindex" }];

export default function QuestionRevisions() {
  return <RevisionHistoryPage {...useLoaderData<typeof loader>()} />;
}
