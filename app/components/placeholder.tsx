import { useT } from "../features/i18n/use-i18n";
import type { MessageKey } from "../features/i18n/messages";

/** A section whose issue has not landed yet. */
export function PlaceholderPage({ section }: { section: MessageKey }) {
  const t = useT();
  return (
    <section className="page narrow" aria-labelledby="placeholder-title">
      <h1 id="placeholder-title">{t(section)}</h1>
      <p>{t("placeholder.body")}</p>
    </section>
  );
}
