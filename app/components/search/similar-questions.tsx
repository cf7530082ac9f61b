import { useEffect, useState } from "react";
import { useT } from "../../features/i18n/use-i18n";
import { DEFLECTION_MIN_CHARS, DEFLECTION_MIN_WORDS } from "../../features/search/search.schema";
import { useSuggestions } from "./header-search";
import { Highlighted } from "./search-results";

const DEBOUNCE_MS = 350;

/** Enough of a title to search on: three words, or ten characters (Japanese titles have no spaces). */
export function isTitleSearchable(title: string): boolean {
  const text = title.trim();
  return text.length >= DEFLECTION_MIN_CHARS || text.split(/\s+/u).filter(Boolean).length >= DEFLECTION_MIN_WORDS;
}

/**
 * Deflection on the ask page: while the member types the title (the input with id `inputId`), similar
 * questions and articles they may read. Opening one goes through /search/go (source "ask"), which logs it
 * and schedules the deflection check. Links open in a new tab so the draft is not lost. Renders nothing
 * without JavaScript or without matches; the ask form works the same either way.
 */
export function SimilarQuestions({ inputId }: { inputId: string }) {
  const t = useT();
  const [title, setTitle] = useState("");
  useEffect(() => {
    const input = document.getElementById(inputId) as HTMLInputElement | null;
    if (!input) return;
    const update = () => setTitle(input.value);
    update();
    input.addEventListener("input", update);
    return () => input.removeEventListener("input", update);
  }, [inputId]);
  const searchable = isTitleSearchable(title);
  const { suggestions } = useSuggestions(searchable ? title : "", { for: "ask", enabled: searchable, debounceMs: DEBOUNCE_MS });
  const items = suggestions?.items ?? [];
  return (
    <div aria-live="polite">
      {items.length > 0 ? (
        <section className="similar-questions" aria-labelledby="similar-questions-title" data-testid="similar-questions">
          <h2 id="similar-questions-title">{t("search.deflect.title")}</h2>
          <p>{t("search.deflect.lead")}</p>
          <ul>
            {items.map((item) => (
              <li key={item.key} lang={item.locale}>
                <span className={`badge search-type-${item.type}`}>{t(`search.type.${item.type}`)}</span>
                <a href={item.url} target="_blank" rel="noopener nofollow">
                  <Highlighted html={item.titleHtml} />
                  <span className="visually-hidden"> {t("search.deflect.newTab")}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
