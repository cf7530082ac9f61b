import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { can } from "../features/auth/permissions";
import { useT, useViewerI18n } from "../features/i18n/use-i18n";
import type { MessageKey } from "../features/i18n/messages";
import { useRootData } from "./root-data";
import { UNREAD_COUNT_CAP } from "../features/forum/notifications.schema";
import { HeaderSearch } from "./search/header-search";

const NAV: ReadonlyArray<{ to: string; label: MessageKey }> = [
  { to: "/kb", label: "nav.kb" },
  { to: "/questions", label: "nav.questions" },
  { to: "/champions", label: "nav.champions" },
  { to: "/webinars", label: "nav.webinars" },
  { to: "/events", label: "nav.events" },
  { to: "/groups", label: "nav.groups" },
];

export function SiteHeader() {
  const t = useT();
  const data = useRootData();
  const user = data?.user ?? null;
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <div className="header-row">
        <Link to="/" className="brand" aria-label={t("nav.home")}>
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          {t("app.name")}
        </Link>
        <HeaderSearch />
        <div className="header-account">
          {user ? (
            <>
              {can(user, "admin.access") ? (
                <Link to="/admin" className="header-link">
                  {t("nav.admin")}
                </Link>
              ) : null}
              {data?.mayReview ? (
                <Link to="/review" className="header-link">
                  {t("nav.review")}
                </Link>
              ) : null}
              <NotificationBell count={data?.unreadNotifications ?? 0} />
              <Link to="/settings/profile" className="header-link" data-testid="user-menu">
                {user.displayName}
              </Link>
              <Form method="post" action="/logout" className="inline-form">
                <button type="submit" className="link-button">
                  {t("nav.signOut")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="header-link">
                {t("nav.signIn")}
              </Link>
              <Link to="/signup" className="button button-small">
                {t("nav.signUp")}
              </Link>
            </>
          )}
          <LanguageSwitcher redirectTo={here} />
        </div>
      </div>
      <nav aria-label={t("nav.main")} className="main-nav">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} prefetch="intent">
                {t(item.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

/**
 * The bell: a plain link to /notifications whose accessible name carries the unread count (the visible
 * badge is hidden from screen readers so the count is not read twice). Server-rendered, so it works without
 * JavaScript; the root loader refreshes the count after every navigation and form post.
 */
function NotificationBell({ count }: { count: number }) {
  const t = useT();
  const shown = count >= UNREAD_COUNT_CAP ? t("notifications.bell.overflow") : String(count);
  return (
    <Link
      to="/notifications"
      className="header-link notification-bell"
      aria-label={count > 0 ? t("notifications.bell.labelUnread", { count: shown }) : t("notifications.bell.label")}
      data-testid="notification-bell"
    >
      {/* An SVG, not the 🔔 emoji: machines without a colour-emoji font showed an empty box. */}
      <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z" />
        <path d="M10 20a2 2 0 0 0 4 0" />
      </svg>
      {count > 0 ? (
        <span className="notification-bell-count" aria-hidden="true">
          {shown}
        </span>
      ) : null}
    </Link>
  );
}

/** A plain form, so switching works without JavaScript; the server remembers the choice. */
function LanguageSwitcher({ redirectTo }: { redirectTo: string }) {
  const t = useT();
  const { locale } = useViewerI18n();
  const other = locale === "en" ? "ja" : "en";
  return (
    <Form method="post" action="/language" className="inline-form language-switch">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <input type="hidden" name="locale" value={other} />
      <button type="submit" className="link-button" lang={other} aria-label={`${t("language.label")}: ${t(`language.${other}`)}`}>
        {t(`language.${other}`)}
      </button>
    </Form>
  );
}

export function SiteFooter() {
  const t = useT();
  const { timeZone } = useViewerI18n();
  return (
    <footer className="site-footer">
      <p>{t("footer.text")}</p>
      <p className="muted">{t("time.zone", { zone: timeZone })}</p>
    </footer>
  );
}
