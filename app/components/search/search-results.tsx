import { Link } from "@remix-run/react";
import type { SearchDocType } from "../../../search/engine";
import { formatNumber } from "../../features/i18n/format";
import { useT, useViewerI18n } from "../../features/i18n/use-i18n";
import { escapeHtml, isSafeHighlight } from "../../features/search/highlight";
import { askWithTitleUrl, searchClickUrl, searchPageUrl } from "../../features/search/links";
import { SEARCH_MAX_PAGE, SEARCH_PAGE_SIZE, SEARCH_QUERY_MAX } from "../../features/search/search.schema";

export interface SearchResultView {
  key: string;
  type: SearchDocType;
  url: string;
  locale: string;
  titleHtml: string;
  snippetHtml: string;
  answerCount: number | null;
  answered: boolean;
}

export interface SearchResultsProps {
  q: string;
  type: string | null;
  tag: string | null;
  page: number;
  sqId: number | null;
  unavailable: boolean;
  results: {
    items: SearchResultView[];
    total: number;
    pageCount: number;
    typeFacets: Array<{ type: string; count: number }>;
    tagFacets: Array<{ tag: string; count: number }>;
  } | null;
}

/**
 * Highlighted text from the engine, checked again here (the loader already did): only text and <mark>
 * ever reach innerHTML; anything else is shown escaped, as text.
 */
export function Highlighted({ html, as: Tag = "span", className }: { html: string; as?: "span" | "p"; className?: string }) {
  const safe = isSafeHighlight(html) ? html : escapeHtml(html);
  return <Tag className={className} dangerouslySetInnerHTML={{ __html: safe }} />;
}

/** The /search page: the form, the filters with counts, the results, paging, and the empty state. */
export function SearchResultsView({ q, type, tag, page, sqId, unavailable, results }: SearchResultsProps) {
  const t = useT();
  const { locale } = useViewerI18n();
  const hasFilter = Boolean(type || tag);
  const items = results?.items ?? [];
  return (
    <div className="page search-page">
      <h1 id="search-title">{q ? t("search.page.titleFor", { q }) : t("search.page.title")}</h1>
      <form method="get" action="/search" role="search" className="search-form" aria-labelledby="search-title">
        <label htmlFor="search-page-q" className="visually-hidden">
          {t("search.form.label")}
        </label>
        <input id="search-page-q" type="search" name="q" defaultValue={q} maxLength={SEARCH_QUERY_MAX} autoComplete="off" />
        <button type="submit" className="button">
          {t("search.submit")}
        </button>
      </form>

      {unavailable ? (
        <p className="notice notice-error" role="alert">
          {t("search.unavailable")}
        </p>
      ) : null}

      {!q && !unavailable ? <p className="muted">{t("search.page.start")}</p> : null}

      {results ? (
        <div className="search-layout">
          <SearchFilters q={q} type={type} tag={tag} typeFacets={results.typeFacets} tagFacets={results.tagFacets} />
          <section aria-labelledby="search-results-heading" className="search-main">
            <h2 id="search-results-heading" className="visually-hidden">
              {t("search.results.label")}
            </h2>
            <p className="search-count" role="status">
              {results.total === 1 ? t("search.results.countOne") : t("search.results.count", { count: formatNumber(results.total, locale) })}
              {items.length > 0 && results.total > SEARCH_PAGE_SIZE ? (
                <span className="muted">
                  {" · "}
                  {t("search.results.range", { from: (page - 1) * SEARCH_PAGE_SIZE + 1, to: (page - 1) * SEARCH_PAGE_SIZE + items.length })}
                </span>
              ) : null}
            </p>
            {items.length === 0 ? (
              <EmptyState q={q} hasFilter={hasFilter} />
            ) : (
              <ol className="search-results" start={(page - 1) * SEARCH_PAGE_SIZE + 1}>
                {items.map((item, index) => {
                  const position = (page - 1) * SEARCH_PAGE_SIZE + index + 1;
                  const href = sqId ? searchClickUrl({ key: item.key, position, sq: sqId }) : item.url;
                  return (
                    <li key={item.key} className="search-result" lang={item.locale}>
                      <p className="search-result-meta">
                        <span className={`badge search-type search-type-${item.type}`}>{t(`search.type.${item.type}`)}</span>
                        {item.answerCount !== null ? (
                          <span className="muted">
                            {item.answerCount === 1 ? t("search.question.answersOne") : t("search.question.answers", { count: item.answerCount })}
                          </span>
                        ) : null}
                        {item.answered ? <span className="badge badge-ok">{t("search.question.answered")}</span> : null}
                      </p>
                      <h3 className="search-result-title">
                        {/* rel=nofollow: the click route records a click; crawlers should not. */}
                        <a href={href} rel="nofollow" dangerouslySetInnerHTML={{ __html: isSafeHighlight(item.titleHtml) ? item.titleHtml : escapeHtml(item.titleHtml) }} />
                      </h3>
                      {item.snippetHtml ? <Highlighted as="p" className="search-snippet" html={item.snippetHtml} /> : null}
                    </li>
                  );
                })}
              </ol>
            )}
            <SearchPagination q={q} type={type} tag={tag} page={page} pageCount={results.pageCount} sqId={sqId} />
          </section>
        </div>
      ) : null}
    </div>
  );
}

function SearchFilters({
  q,
  type,
  tag,
  typeFacets,
  tagFacets,
}: {
  q: string;
  type: string | null;
  tag: string | null;
  typeFacets: Array<{ type: string; count: number }>;
  tagFacets: Array<{ tag: string; count: number }>;
}) {
  const t = useT();
  const { locale } = useViewerI18n();
  const shownTypes = typeFacets.filter((f) => f.count > 0 || f.type === type);
  return (
    <nav className="search-filters" aria-label={t("search.filters.label")}>
      <h2 className="search-filters-heading">{t("search.filters.types")}</h2>
      <ul>
        <li>
          <Link to={searchPageUrl({ q, tag: tag ?? undefined })} aria-current={type ? undefined : "page"}>
            {t("search.filters.all")}
          </Link>
        </li>
        {shownTypes.map((f) => (
          <li key={f.type}>
            <Link to={searchPageUrl({ q, type: f.type, tag: tag ?? undefined })} aria-current={type === f.type ? "page" : undefined}>
              {t("search.filters.count", { label: t(`search.type.${f.type as SearchDocType}`), count: formatNumber(f.count, locale) })}
            </Link>
          </li>
        ))}
      </ul>
      {tagFacets.length > 0 || tag ? (
        <>
          <h2 className="search-filters-heading">{t("search.filters.tags")}</h2>
          <ul>
            {tag && !tagFacets.some((f) => f.tag === tag) ? (
              <li>
                <Link to={searchPageUrl({ q, type: type ?? undefined, tag })} aria-current="page">
                  {tag}
                </Link>
              </li>
            ) : null}
            {tagFacets.map((f) => (
              <li key={f.tag}>
                <Link
                  to={searchPageUrl({ q, type: type ?? undefined, tag: tag === f.tag ? undefined : f.tag })}
                  aria-current={tag === f.tag ? "page" : undefined}
                >
                  {t("search.filters.count", { label: f.tag, count: formatNumber(f.count, locale) })}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {type || tag ? (
        <p>
          <Link to={searchPageUrl({ q })}>{t("search.filters.clear")}</Link>
        </p>
      ) : null}
    </nav>
  );
}

function EmptyState({ q, hasFilter }: { q: string; hasFilter: boolean }) {
  const t = useT();
  return (
    <div className="search-empty">
      <h3>{t("search.empty.title", { q })}</h3>
      <p className="muted">{t("search.empty.tips")}</p>
      {hasFilter ? (
        <p>
          <Link to={searchPageUrl({ q })}>{t("search.filters.clear")}</Link>
        </p>
      ) : null}
      <p>{t("search.empty.askLead")}</p>
      <p className="search-empty-actions">
        <Link to={askWithTitleUrl(q)} className="button">
          {t("search.empty.ask")}
        </Link>
        <Link to="/kb" className="button button-secondary">
          {t("search.empty.kb")}
        </Link>
      </p>
    </div>
  );
}

function SearchPagination({
  q,
  type,
  tag,
  page,
  pageCount,
  sqId,
}: {
  q: string;
  type: string | null;
  tag: string | null;
  page: number;
  pageCount: number;
  sqId: number | null;
}) {
  const t = useT();
  if (pageCount <= 1 && page <= 1) return null;
  const href = (target: number) => searchPageUrl({ q, type: type ?? undefined, tag: tag ?? undefined, page: target, sq: sqId });
  const last = Math.min(pageCount, SEARCH_MAX_PAGE);
  return (
    <nav className="pagination" aria-label={t("search.pagination.label")}>
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          {t("search.pagination.previous")}
        </Link>
      ) : null}
      <span aria-current="page">{t("search.pagination.status", { page, pages: Math.max(last, page) })}</span>
      {page < last ? (
        <Link to={href(page + 1)} rel="next">
          {t("search.pagination.next")}
        </Link>
      ) : null}
    </nav>
  );
}
