import { Link } from "@remix-run/react";
import type { Locale } from "../../../db/schema/identity";

/** What a kb list shows of an article; loaders trim list items to this so hydration data stays small. */
export interface KbListLink {
  path: string;
  title: string;
  summary?: string;
  locale: Locale;
}

/** A plain list of article links; `lang` marks items shown in the other language (lists fall back to it). */
export function KbArticleList({ articles, withSummary = false }: { articles: KbListLink[]; withSummary?: boolean }) {
  return (
    <ul className="kb-list">
      {articles.map((a) => (
        <li key={a.path} lang={a.locale}>
          <Link to={a.path}>{a.title}</Link>
          {withSummary && a.summary ? <p className="kb-list-summary">{a.summary}</p> : null}
        </li>
      ))}
    </ul>
  );
}
