import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice } from "../components/forms";
import type { RootData } from "../components/root-data";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { requireUser } from "../features/auth/guards.server";
import { hasCalendarFeed, listMyUpcomingRegistrations, resetCalendarFeed } from "../features/events/calendar-feed.server";
import { eventCalendarPath, eventPath, PUBLIC_CALENDAR_PATH, privateCalendarPath } from "../features/events/paths";
import { timeZoneName } from "../features/i18n/format";
import { translate } from "../features/i18n/messages";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale ?? "en";
  return [{ title: translate(locale, "calendar.settings.metaTitle") }, { name: "robots", content: "noindex" }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const db = await getDb();
  const [hasFeed, registrations] = await Promise.all([hasCalendarFeed(db, user.id), listMyUpcomingRegistrations(db, user.id)]);
  return json({
    hasFeed,
    registrations: registrations.map((r) => ({ ...r, href: eventPath(r.kind, r.slug), icsHref: eventCalendarPath(r.kind, r.slug) })),
  });
}

/**
 * Creates or resets the private feed. Answers with the address instead of redirecting: only the token's hash
 * is stored, so this response is the one time the address can be shown.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  if (formData.get("intent") !== "reset") throw new Response("Bad request", { status: 400 });
  const token = await resetCalendarFeed(await getDb(), user.id);
  const feedUrl = new URL(privateCalendarPath(token), getEnv().APP_URL);
  return json({ feedUrl: feedUrl.toString(), webcalUrl: `webcal://${feedUrl.host}${feedUrl.pathname}` }, { headers: { "Cache-Control": "no-store" } });
}

export default function CalendarSettings() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { locale, timeZone } = useViewerI18n();
  const { hasFeed, registrations } = useLoaderData<typeof loader>();
  const created = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="page narrow" aria-labelledby="calendar-settings-title">
      <h1 id="calendar-settings-title">{t("calendar.settings.title")}</h1>
      <p>{t("calendar.settings.intro")}</p>
      <p className="muted">{t("calendar.settings.privateNote")}</p>

      {created ? (
        <div className="notice notice-success" role="status" data-testid="calendar-feed-created">
          <h2>{t("calendar.settings.createdTitle")}</h2>
          <p>{t("calendar.settings.createdHint")}</p>
          <label htmlFor="calendar-feed-url">{t("calendar.settings.urlLabel")}</label>
          <input id="calendar-feed-url" type="text" readOnly value={created.feedUrl} onFocus={(e) => e.currentTarget.select()} />
          <p>
            <a href={created.webcalUrl}>{t("calendar.settings.webcal")}</a>
          </p>
        </div>
      ) : hasFeed ? (
        <Notice>{t("calendar.settings.hasFeed")}</Notice>
      ) : null}

      <Form method="post" className="stack">
        <button type="submit" name="intent" value="reset" className="button" disabled={busy}>
          {hasFeed || created ? t("calendar.settings.reset") : t("calendar.settings.create")}
        </button>
      </Form>
      <p className="muted">
        {t("calendar.settings.publicFeed")} <a href={PUBLIC_CALENDAR_PATH}>{t("calendar.settings.publicFeedLink")}</a>
      </p>

      <h2 id="my-registrations">{t("calendar.settings.registrationsTitle")}</h2>
      {registrations.length === 0 ? (
        <p className="muted">{t("calendar.settings.registrationsEmpty")}</p>
      ) : (
        <>
          <p className="muted">{t("calendar.settings.zone", { zone: timeZoneName(timeZone, locale) })}</p>
          <ul aria-labelledby="my-registrations" data-testid="my-registrations">
            {registrations.map((r) => (
              <li key={r.eventId}>
                <Link to={r.href}>{r.title}</Link> · <time dateTime={r.startsAt}>{dateTime(r.startsAt)}</time> ·{" "}
                <span className={r.status === "waitlisted" ? "muted" : undefined}>{t(`calendar.settings.status.${r.status}`)}</span> ·{" "}
                <a href={r.icsHref} download aria-label={t("calendar.settings.addToCalendarFor", { title: r.title })}>
                  {t("calendar.settings.addToCalendar")}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
