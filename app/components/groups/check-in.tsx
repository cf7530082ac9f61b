import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { EventKind, EventStatus } from "../../../db/schema/events";
import { timeZoneName } from "../../features/i18n/format";
import { useT, useViewerI18n } from "../../features/i18n/use-i18n";
import { formatEventRange } from "../events/event-time";

/** The check-in loader's data as JSON delivers it. */
export interface CheckInData {
  event: { id: number; kind: EventKind; slug: string; title: string; status: EventStatus; startsAt: string; endsAt: string; timeZone: string; venueName: string | null; path: string };
  checkedIn: number;
  expected: number;
  people: Array<{ userId: number; displayName: string; accountName: string | null; status: "registered" | "maybe"; attended: boolean }>;
  truncated: boolean;
  q: string;
  pageTitle: string;
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

type Person = CheckInData["people"][number];

/**
 * One person at the door. Without JavaScript the button posts and the page comes back; with it, a fetcher
 * posts and the row shows the new state at once, so the list never jumps under the thumb.
 */
function CheckInRow({ person, q, hydrated }: { person: Person; q: string; hydrated: boolean }) {
  const t = useT();
  const fetcher = useFetcher();
  const optimistic = fetcher.formData?.get("intent");
  const attended = optimistic ? optimistic === "checkIn" : person.attended;
  return (
    <li className={attended ? "checkin-row checkin-row-done" : "checkin-row"}>
      <div className="checkin-person">
        <span className="checkin-name">{person.displayName}</span>
        <span className="checkin-meta">
          {person.accountName ? <span>{person.accountName}</span> : null}
          {person.status === "maybe" ? <span className="badge">{t("groups.checkIn.maybe")}</span> : null}
          {attended ? <span className="badge badge-ok">{t("groups.checkIn.done")}</span> : null}
        </span>
      </div>
      <fetcher.Form method="post" className="checkin-form">
        <input type="hidden" name="userId" value={person.userId} />
        <input type="hidden" name="intent" value={attended ? "undo" : "checkIn"} />
        {q ? <input type="hidden" name="q" value={q} /> : null}
        {hydrated ? <input type="hidden" name="stay" value="1" /> : null}
        <button
          type="submit"
          className={attended ? "button button-secondary checkin-button" : "button checkin-button"}
          aria-label={t(attended ? "groups.checkIn.undoLabel" : "groups.checkIn.buttonLabel", { name: person.displayName })}
        >
          {t(attended ? "groups.checkIn.undo" : "groups.checkIn.button")}
        </button>
      </fetcher.Form>
    </li>
  );
}

/** The phone-sized door list: who is expected, who has arrived, one big button per person. */
export function CheckInPage() {
  const t = useT();
  const { locale, timeZone } = useViewerI18n();
  const data = useLoaderData<CheckInData>();
  const hydrated = useHydrated();
  const { event, q } = data;
  return (
    <div className="page checkin-page">
      <p className="checkin-back">
        <Link to={event.path}>{t("groups.checkIn.backToEvent")}</Link>
      </p>
      <h1 className="checkin-title">
        <span className="checkin-eyebrow">{t("groups.checkIn.title")}</span>
        {event.title}
      </h1>
      <p className="checkin-when">
        <time dateTime={event.startsAt}>{formatEventRange(event.startsAt, event.endsAt, locale, timeZone)}</time>{" "}
        <span className="muted">({timeZoneName(timeZone, locale, new Date(event.startsAt))})</span>
        {event.venueName ? <span className="checkin-venue"> · {event.venueName}</span> : null}
      </p>
      {event.status === "cancelled" ? <p className="notice notice-error">{t("groups.checkIn.cancelled")}</p> : null}
      <p className="checkin-counts" aria-live="polite">
        {t("groups.checkIn.counts", { checkedIn: data.checkedIn, expected: data.expected })}
      </p>
      <Form method="get" className="checkin-search" role="search">
        <label htmlFor="checkin-q" className="visually-hidden">
          {t("groups.checkIn.search")}
        </label>
        <input id="checkin-q" type="search" name="q" defaultValue={q} placeholder={t("groups.checkIn.search")} autoComplete="off" maxLength={100} enterKeyHint="search" />
        <button type="submit" className="button button-secondary">
          {t("groups.checkIn.searchButton")}
        </button>
      </Form>
      {q ? (
        <p>
          <Link to=".">{t("groups.checkIn.clear")}</Link>
        </p>
      ) : null}
      {data.people.length === 0 ? (
        <p className="muted">{q ? t("groups.checkIn.noMatch", { q }) : t("groups.checkIn.empty")}</p>
      ) : (
        <ul className="checkin-list" aria-label={t("groups.checkIn.title")}>
          {data.people.map((p) => (
            <CheckInRow key={p.userId} person={p} q={q} hydrated={hydrated} />
          ))}
        </ul>
      )}
      {data.truncated ? <p className="muted">{t("groups.checkIn.truncated")}</p> : null}
    </div>
  );
}
