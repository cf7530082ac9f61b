import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { KbArticleList } from "../components/kb/article-list";
import { KbBreadcrumbs } from "../components/kb/breadcrumbs";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { useT } from "../features/i18n/use-i18n";
import { KB_SLUG_PATTERN } from "../features/kb/kb.schema";
import { kbCollectionPath } from "../features/kb/paths";
import { getCollectionBySlug } from "../features/kb/reads.server";
import { absoluteUrl } from "../features/kb/seo";

const paramsSchema = z.object({ collection: z.string().max(120).regex(KB_SLUG_PATTERN) });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const collection = await getCollectionBySlug(await getDb(), viewer, context.locale, parsed.data.collection);
  if (!collection) throw new Response("Not found", { status: 404 });
  return json({
    collection: {
      slug: collection.slug,
      name: collection.name,
      description: collection.description,
      articles: collection.articles.map((a) => ({ path: a.path, title: a.title, summary: a.summary, locale: a.locale })),
    },
    canonical: absoluteUrl(getEnv().APP_URL, kbCollectionPath(collection.slug)),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const title = `${data.collection.name} · Hearth`;
  return [
    { title },
    { name: "description", content: data.collection.description },
    { tagName: "link", rel: "canonical", href: data.canonical },
    { property: "og:type", content: "website" },
    { property: "og:title", content: title },
    { property: "og:description", content: data.collection.description },
    { property: "og:url", content: data.canonical },
  ];
};

export default function KbCollectionPage() {
  const t = useT();
  const { collection } = useLoaderData<typeof loader>();
  return (
    <div className="page kb-collection-page">
      <KbBreadcrumbs trail={[]} current={collection.name} />
      <h1>{collection.name}</h1>
      {collection.description ? <p className="lead">{collection.description}</p> : null}
      {collection.articles.length ? <KbArticleList articles={collection.articles} withSummary /> : <p className="muted">{t("kb.empty")}</p>}
    </div>
  );
}
