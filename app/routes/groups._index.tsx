import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { GROUP_KINDS } from "../features/events/groups.schema";
import { EventPager } from "../components/events/event-list";
import { GroupCardItem } from "../components/groups/group-card";
import groupStyles from "../components/groups/groups.css";
import { queryValues } from "../features/admin/admin.schema";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { groupsQuerySchema } from "../features/events/groups.schema";
import { listGroups } from "../features/events/groups.server";
import { translate } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";
import { absoluteUrl } from "../features/kb/seo";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = groupsQuerySchema.parse(queryValues(request.url));
  const result = await listGroups(await getDb(), { kind: query.kind, page: query.page });
  return json({
    query,
    groups: result.items,
    pageCount: result.pageCount,
    canonical: absoluteUrl(getEnv().APP_URL, "/groups"),
    title: translate(context.locale, "groups.title"),
    description: translate(context.locale, "groups.lead"),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const filtered = Boolean(data.query.kind) || data.query.page > 1;
  return [
    { title: `${data.title} · Hearth` },
    { name: "description", content: data.description },
    { tagName: "link", rel: "canonical", href: data.canonical },
    ...(filtered ? [{ name: "robots", content: "noindex, follow" }] : []),
  ];
};

export default function GroupsDirectory() {
  const t = useT();
  const { query, groups, pageCount } = useLoaderData<typeof loader>();
  const href = (page: number) => {
    const params = new URLSearchParams();
    if (query.kind) params.set("kind", query.kind);
    if (page > 1) params.set("page", String(page));
    const search = params.toString();
    return search ? `/groups?${search}` : "/groups";
  };
  return (
    <div className="page">
      <h1>{t("groups.title")}</h1>
      <p className="lead">{t("groups.lead")}</p>
      <Form method="get" className="group-filter">
        <div className="field">
          <label htmlFor="kind">{t("groups.filter.label")}</label>
          <select id="kind" name="kind" defaultValue={query.kind ?? ""}>
            <option value="">{t("groups.filter.all")}</option>
            {GROUP_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`groups.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("groups.filter.apply")}
        </button>
      </Form>
      {groups.length === 0 ? (
        <p className="muted">{t("groups.empty")}</p>
      ) : (
        <ul className="card-grid" aria-label={t("groups.title")}>
          {groups.map((g) => (
            <GroupCardItem key={g.id} group={g} />
          ))}
        </ul>
      )}
      <EventPager page={query.page} pageCount={pageCount} href={href} />
    </div>
  );
}
