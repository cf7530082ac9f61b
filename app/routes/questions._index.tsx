import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import forumStyles from "../components/forum/forum.css";
import { QuestionListItem } from "../components/forum/question-list-item";
import { FollowButton } from "../components/forum/follow-button";
import { getDb } from "../db.server";
import { cachedRead } from "../features/cache/content-cache.server";
import { getEnv } from "../env.server";
import { QUESTION_FILTERS, QUESTION_SORTS, questionListQuerySchema, type QuestionListQuery } from "../features/forum/forum.schema";
import { listQuestions } from "../features/forum/reads.server";
import { isFollowing } from "../features/forum/follows.server";
import { listPopularTags } from "../features/forum/tags.server";
import { translate } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";
import { absoluteUrl } from "../features/kb/seo";
import markdownStyles from "../styles/markdown.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: forumStyles },
];

const TAG_CHOICES = 30;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = questionListQuerySchema.parse(Object.fromEntries(url.searchParams));
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  // "Mine" and "my account's" have nothing to show to a signed-out visitor: show everything instead.
  const effective: QuestionListQuery = !viewer && (query.filter === "mine" || query.filter === "account") ? { ...query, filter: "all" } : query;
  const db = await getDb();
  // Apart from "mine" and "my account's", a list is the same for every reader: shared until the forum changes.
  const personal = effective.filter === "mine" || effective.filter === "account";
  const [page, tags] = await Promise.all([
    personal ? listQuestions(db, viewer, effective) : cachedRead(db, "forum", `list:${JSON.stringify(effective)}`, () => listQuestions(db, null, effective)),
    cachedRead(db, "forum", `popular-tags:${TAG_CHOICES}`, () => listPopularTags(db, TAG_CHOICES)),
  ]);
  // Follow state is the reader's own: read fresh, beside the shared list.
  const followingTag = viewer && page.tag ? await isFollowing(db, viewer.id, "tag", page.tag.id) : false;
  return json({
    query: effective,
    signedIn: !!viewer,
    followingTag,
    questions: page.questions,
    nextCursor: page.nextCursor,
    tag: page.tag,
    tags: tags.map(({ slug, name }) => ({ slug, name })),
    canonical: absoluteUrl(getEnv().APP_URL, "/questions"),
    title: translate(context.locale, page.tag ? "forum.list.titleTagged" : "forum.list.title", { tag: page.tag?.name ?? "" }),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const filtered = data.query.filter !== "all" || data.query.after || data.query.sort !== "newest";
  return [
    { title: `${data.title} · Hearth` },
    { tagName: "link", rel: "canonical", href: data.canonical },
    // Filtered and later pages are views of the same list; crawlers index the first page and the questions.
    ...(filtered ? [{ name: "robots", content: "noindex, follow" }] : []),
  ];
};

/** The list's URL for a query; the cursor is dropped whenever the sort, filter or tag changes. */
function listHref(query: Partial<QuestionListQuery>): string {
  const params = new URLSearchParams();
  if (query.sort && query.sort !== "newest") params.set("sort", query.sort);
  if (query.filter && query.filter !== "all") params.set("filter", query.filter);
  if (query.tag) params.set("tag", query.tag);
  if (query.after) params.set("after", query.after);
  const search = params.toString();
  return search ? `/questions?${search}` : "/questions";
}

export default function QuestionList() {
  const t = useT();
  const { query, signedIn, followingTag, questions, nextCursor, tag, tags, title } = useLoaderData<typeof loader>();
  const filters = QUESTION_FILTERS.filter((f) => signedIn || (f !== "mine" && f !== "account"));
  return (
    <div className="page">
      <div className="forum-header">
        <h1>{title}</h1>
        <Link to="/questions/ask" className="button">
          {t("forum.ask.button")}
        </Link>
      </div>
      <nav aria-label={t("forum.list.sortLabel")}>
        <ul className="forum-tabs">
          {QUESTION_SORTS.map((sort) => (
            <li key={sort}>
              <Link to={listHref({ ...query, sort, after: undefined })} aria-current={query.sort === sort ? "page" : undefined}>
                {t(`forum.sort.${sort}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label={t("forum.list.filterLabel")}>
        <ul className="forum-tabs">
          {filters.map((filter) => (
            <li key={filter}>
              <Link to={listHref({ ...query, filter, after: undefined })} aria-current={query.filter === filter ? "page" : undefined}>
                {t(`forum.filter.${filter}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/questions" className="toolbar">
        {query.sort !== "newest" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.filter !== "all" ? <input type="hidden" name="filter" value={query.filter} /> : null}
        <div className="field">
          <label htmlFor="tag-filter">{t("forum.list.tagFilter")}</label>
          <select id="tag-filter" name="tag" defaultValue={query.tag ?? ""}>
            <option value="">{t("forum.list.allTags")}</option>
            {tag && !tags.some((x) => x.slug === tag.slug) ? <option value={tag.slug}>{tag.name}</option> : null}
            {tags.map((x) => (
              <option key={x.slug} value={x.slug}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("forum.list.applyTag")}
        </button>
        {query.tag ? <Link to={listHref({ ...query, tag: undefined, after: undefined })}>{t("forum.list.clearTag")}</Link> : null}
      </form>
      {signedIn && tag ? <FollowButton targetType="tag" targetId={tag.id} following={followingTag} name={tag.name} /> : null}
      {questions.length === 0 ? (
        <p className="muted">{t("forum.list.empty")}</p>
      ) : (
        <ul className="question-list" aria-label={t("forum.list.questions")}>
          {questions.map((q) => (
            <QuestionListItem key={q.id} question={q} />
          ))}
        </ul>
      )}
      <nav className="forum-pager" aria-label={t("forum.list.pages")}>
        {query.after ? <Link to={listHref({ ...query, after: undefined })}>{t("forum.list.firstPage")}</Link> : null}
        {nextCursor ? (
          <Link to={listHref({ ...query, after: nextCursor })} rel="next">
            {t("forum.list.nextPage")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
