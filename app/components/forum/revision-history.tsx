import { Link } from "@remix-run/react";
import type { LineDiff } from "../../features/kb/diff";
import { useFormatDateTime, useT } from "../../features/i18n/use-i18n";
import { DiffView } from "../admin-kb/diff-view";

export interface RevisionSummary {
  number: number;
  note: string | null;
  createdAt: string | Date;
  authorName: string | null;
}

/** A post's revisions, newest first, each comparable with the one before; the chosen comparison below. */
export function RevisionHistory({
  revisions,
  comparison,
}: {
  revisions: ReadonlyArray<RevisionSummary>;
  comparison: { from: number; to: number; diff: LineDiff } | null;
}) {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  return (
    <>
      <ol className="revision-list" reversed>
        {revisions.map((r) => (
          <li key={r.number}>
            <strong>{t("forum.revisions.number", { number: r.number })}</strong> · {r.authorName ?? t("forum.revisions.unknownAuthor")} ·{" "}
            <time dateTime={new Date(r.createdAt).toISOString()}>{dateTime(r.createdAt)}</time>
            {r.note ? <> · {r.note}</> : null}
            {r.number > 1 ? (
              <>
                {" · "}
                <Link to={`?from=${r.number - 1}&to=${r.number}`} aria-current={comparison?.to === r.number && comparison.from === r.number - 1 ? "true" : undefined}>
                  {t("forum.revisions.compare")}
                </Link>
              </>
            ) : (
              <> · {t("forum.revisions.original")}</>
            )}
          </li>
        ))}
      </ol>
      {comparison ? (
        <section aria-labelledby="revision-diff">
          <h2 id="revision-diff">{t("forum.revisions.diffTitle", { from: comparison.from, to: comparison.to })}</h2>
          <DiffView diff={comparison.diff} label={t("forum.revisions.diffTitle", { from: comparison.from, to: comparison.to })} />
        </section>
      ) : null}
    </>
  );
}

/** The whole revisions page of a question or an answer: back link, heading, the post's title, the history. */
export function RevisionHistoryPage({
  title,
  path,
  pageTitle,
  revisions,
  comparison,
}: {
  title: string;
  path: string;
  pageTitle: string;
  revisions: ReadonlyArray<RevisionSummary>;
  comparison: { from: number; to: number; diff: LineDiff } | null;
}) {
  const t = useT();
  return (
    <div className="page">
      <p>
        <Link to={path}>{t("forum.edit.back")}</Link>
      </p>
      <h1>{pageTitle}</h1>
      <p className="muted">{title}</p>
      <RevisionHistory revisions={revisions} comparison={comparison} />
    </div>
  );
}
