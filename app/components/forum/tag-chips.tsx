import { Link } from "@remix-run/react";
import { useT } from "../../features/i18n/use-i18n";

/** A question's tags, each linking to the list filtered by it. */
export function TagChips({ tags }: { tags: ReadonlyArray<{ slug: string; name: string }> }) {
  const t = useT();
  if (tags.length === 0) return null;
  return (
    <ul className="tag-chips" aria-label={t("forum.tags")}>
      {tags.map((tag) => (
        <li key={tag.slug}>
          <Link className="badge" to={`/questions?tag=${encodeURIComponent(tag.slug)}`}>
            {tag.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
