import { Link } from "@remix-run/react";
import { useT } from "../features/i18n/use-i18n";
import type { MessageKey } from "../features/i18n/messages";

const BY_STATUS: Record<number, [MessageKey, MessageKey]> = {
  403: ["error.forbidden.title", "error.forbidden.body"],
  404: ["error.notFound.title", "error.notFound.body"],
  429: ["error.tooMany.title", "error.tooMany.body"],
};

/** The friendly page for any error status; never shows a stack trace. */
export function ErrorPage({ status }: { status: number }) {
  const t = useT();
  const [title, body] = BY_STATUS[status] ?? ["error.generic.title", "error.generic.body"];
  return (
    <section className="page narrow error-page" aria-labelledby="error-title">
      <p className="error-status">{status}</p>
      <h1 id="error-title">{t(title)}</h1>
      <p>{t(body)}</p>
      <p>
        <Link to="/">{t("error.backHome")}</Link>
      </p>
    </section>
  );
}
