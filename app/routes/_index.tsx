import type { MetaFunction } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { useRootData } from "../components/root-data";
import { Notice } from "../components/forms";
import { useT } from "../features/i18n/use-i18n";
import type { MessageKey } from "../features/i18n/messages";

export const meta: MetaFunction = () => [
  { title: "Hearth community" },
  { name: "description", content: "Knowledge base, questions and answers, webinars and user groups." },
];

const SECTIONS: ReadonlyArray<{ to: string; title: MessageKey; body: MessageKey }> = [
  { to: "/kb", title: "home.kb.title", body: "home.kb.body" },
  { to: "/questions", title: "home.questions.title", body: "home.questions.body" },
  { to: "/webinars", title: "home.webinars.title", body: "home.webinars.body" },
  { to: "/events", title: "home.events.title", body: "home.events.body" },
  { to: "/groups", title: "home.groups.title", body: "home.groups.body" },
];

export default function Home() {
  const t = useT();
  const user = useRootData()?.user;
  return (
    <div className="page">
      {user && !user.emailVerified ? (
        <Notice>
          <span>{t("home.verifyBanner")} </span>
          <Form method="post" action="/verify-email" className="inline-form">
            <button type="submit" className="link-button">
              {t("home.resend")}
            </button>
          </Form>
        </Notice>
      ) : null}
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t("home.title")}</h1>
        <p className="lead">{t("home.lead")}</p>
        {user ? <p className="muted">{t("home.greeting", { name: user.displayName })}</p> : null}
        <form method="get" action="/search" role="search" className="hero-search">
          <label htmlFor="hero-search" className="visually-hidden">
            {t("search.label")}
          </label>
          <input id="hero-search" type="search" name="q" placeholder={t("search.placeholder")} maxLength={200} />
          <button type="submit" className="button">
            {t("search.submit")}
          </button>
        </form>
      </section>
      <ul className="card-grid">
        {SECTIONS.map((s) => (
          <li key={s.to} className="card">
            <h2>
              <Link to={s.to}>{t(s.title)}</Link>
            </h2>
            <p>{t(s.body)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
