import { Link } from "@remix-run/react";
import { useT } from "../../features/i18n/use-i18n";

export interface AuthorChipData {
  displayName: string;
  handle: string;
  champion: boolean;
  reputation?: number;
}

/** A post's author: name linking to their profile, the champion mark on every post, and reputation. */
export function AuthorChip({ author }: { author: AuthorChipData }) {
  const t = useT();
  return (
    <span className="author-chip">
      <Link to={`/members/${encodeURIComponent(author.handle)}`}>{author.displayName}</Link>
      {author.champion ? (
        <span className="champion-mark" title={t("forum.champion")}>
          <span aria-hidden="true">★</span>
          <span className="visually-hidden">{t("forum.champion")}</span>
        </span>
      ) : null}
      {author.reputation !== undefined ? <span className="muted" title={t("forum.reputation")}>{t("forum.reputationShort", { count: author.reputation })}</span> : null}
    </span>
  );
}
