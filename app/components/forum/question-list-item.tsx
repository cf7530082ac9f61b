import { Link } from "@remix-run/react";
import { useFormatDateTime, useT } from "../../features/i18n/use-i18n";
import { AuthorChip, type AuthorChipData } from "./author-chip";
import { TagChips } from "./tag-chips";

export interface QuestionListItemData {
  id: number;
  path: string;
  title: string;
  excerpt: string;
  locale: string;
  score: number;
  answerCount: number;
  viewCount: number;
  hasAccepted: boolean;
  closed: boolean;
  createdAt: string | Date;
  author: AuthorChipData;
  tags: ReadonlyArray<{ slug: string; name: string }>;
}

/** One question in the list: its counts, title, excerpt, tags and asker. */
export function QuestionListItem({ question }: { question: QuestionListItemData }) {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  return (
    <li className="question-item">
      <div className="question-stats">
        <span>{t("forum.list.votes", { count: question.score })}</span>
        <span className={question.hasAccepted ? "answered" : undefined}>
          {question.hasAccepted ? <span aria-hidden="true">✓ </span> : null}
          {t("forum.list.answers", { count: question.answerCount })}
          {question.hasAccepted ? <span className="visually-hidden"> ({t("forum.accepted")})</span> : null}
        </span>
        <span>{t("forum.list.views", { count: question.viewCount })}</span>
      </div>
      <div>
        <h2 lang={question.locale}>
          <Link to={question.path}>{question.title}</Link>
          {question.closed ? <span className="badge badge-warn"> {t("forum.closed")}</span> : null}
        </h2>
        <p className="question-excerpt" lang={question.locale}>
          {question.excerpt}
        </p>
        <div className="question-meta">
          <TagChips tags={question.tags} />
          <span className="muted">
            <AuthorChip author={question.author} /> · <time dateTime={new Date(question.createdAt).toISOString()}>{dateTime(question.createdAt)}</time>
          </span>
        </div>
      </div>
    </li>
  );
}
