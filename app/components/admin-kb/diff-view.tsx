import type { LineDiff } from "../../features/kb/diff";
import { useT } from "../../features/i18n/use-i18n";

/**
 * A unified line diff. Each changed line carries a visible "+" or "−" sign and a hidden "Added:" /
 * "Removed:" label, so the change is readable without colour and by screen readers.
 */
export function DiffView({ diff, label }: { diff: LineDiff; label: string }) {
  const t = useT();
  if (diff.hunks.length === 0) return <p className="muted">{t("adminKb.diff.none")}</p>;
  return (
    <>
      <p className="muted">
        {t("adminKb.diff.summary", { added: diff.added, removed: diff.removed })} · {t("adminKb.diff.legend")}
      </p>
      <div className="kb-diff" role="region" aria-label={label} tabIndex={0}>
        {diff.hunks.map((hunk) => (
          <div className="kb-diff-hunk" key={`${hunk.oldStart}-${hunk.newStart}`}>
            <p className="kb-diff-hunk-header" aria-hidden="true">
              @@ −{hunk.oldStart},{hunk.oldLines} +{hunk.newStart},{hunk.newLines} @@
            </p>
            {hunk.lines.map((line, i) => (
              <div key={i} className={`kb-diff-line kb-diff-${line.kind}`}>
                <span className="kb-diff-num" aria-hidden="true">
                  {line.oldNumber ?? ""}
                </span>
                <span className="kb-diff-num" aria-hidden="true">
                  {line.newNumber ?? ""}
                </span>
                <span className="kb-diff-sign" aria-hidden="true">
                  {line.kind === "added" ? "+" : line.kind === "removed" ? "−" : " "}
                </span>
                <span>
                  {line.kind === "added" ? <span className="visually-hidden">{t("adminKb.diff.added")} </span> : null}
                  {line.kind === "removed" ? <span className="visually-hidden">{t("adminKb.diff.removed")} </span> : null}
                  {line.text || " "}
                </span>
              </div>
            ))}
          </div>
        ))}
      </div>
    </>
  );
}
