import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import type { RootData } from "../components/root-data";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { getLeaderboard, LEADERBOARD_PERIODS, listChampions } from "../features/forum/champions.server";
import { CHAMPION_MIN_ACCEPTED, CHAMPION_MIN_REPUTATION, CHAMPION_WINDOW_DAYS } from "../features/forum/reputation";
import { translate } from "../features/i18n/messages";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";
import { absoluteUrl } from "../features/kb/seo";

export async function loader({ request }: LoaderFunctionArgs) {
  // Built here, not at module level: the periods come from server code the browser bundle does not get.
  // A bad ?period= is the default view, not an error page.
  const querySchema = z.object({ period: z.enum(LEADERBOARD_PERIODS).catch("30d") });
  const { period } = querySchema.parse({ period: new URL(request.url).searchParams.get("period") ?? undefined });
  const db = await getDb();
  const [champions, leaderboard] = await Promise.all([listChampions(db), getLeaderboard(db, period)]);
  return json({
    period,
    canonical: absoluteUrl(getEnv().APP_URL, "/champions"),
    champions: champions.map((c) => ({ userId: c.userId, handle: c.handle, displayName: c.displayName, championAt: c.championAt, reputation: c.reputation })),
    leaderboard,
    periods: LEADERBOARD_PERIODS,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale ?? "en";
  const title = `${translate(locale, "members.champions.title")} · Hearth`;
  return [{ title }, ...(data ? [{ tagName: "link", rel: "canonical", href: data.canonical }] : [])];
};

export default function Champions() {
  const { period, periods, champions, leaderboard } = useLoaderData<typeof loader>();
  const t = useT();
  const { date } = useFormatDateTime();
  return (
    <div className="page">
      <h1>{t("members.champions.title")}</h1>
      <p className="lead" id="rules">
        {t("members.champions.lead", { accepted: CHAMPION_MIN_ACCEPTED, days: CHAMPION_WINDOW_DAYS, reputation: CHAMPION_MIN_REPUTATION })}
      </p>
      {champions.length === 0 ? (
        <p className="muted">{t("members.champions.empty")}</p>
      ) : (
        <ul className="card-grid" aria-label={t("members.champions.title")}>
          {champions.map((c) => (
            <li key={c.userId} className="card">
              <h2>
                <Link to={`/members/${c.handle}`}>{c.displayName}</Link>
              </h2>
              <p className="muted">
                @{c.handle} · {t("members.champions.since", { date: date(c.championAt) })} · {t("members.champions.reputation", { count: c.reputation })}
              </p>
            </li>
          ))}
        </ul>
      )}

      <section className="section" aria-labelledby="leaderboard-title">
        <h2 id="leaderboard-title">{t("members.leaderboard.title")}</h2>
        <nav aria-label={t("members.leaderboard.period")} className="toolbar">
          {periods.map((p) => (
            <Link key={p} to={p === "30d" ? "?" : `?period=${p}`} aria-current={p === period ? "page" : undefined} className={p === period ? "button button-small" : "button button-small button-secondary"} preventScrollReset>
              {t(`members.leaderboard.${p}`)}
            </Link>
          ))}
        </nav>
        {leaderboard.length === 0 ? (
          <p className="muted">{t("members.leaderboard.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">
                {t("members.leaderboard.title")} ({t(`members.leaderboard.${period}`)})
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("members.leaderboard.rank")}</th>
                  <th scope="col">{t("members.leaderboard.member")}</th>
                  <th scope="col">{t("members.leaderboard.points")}</th>
                </tr>
              </thead>
              <tbody>
                {leaderboard.map((row, i) => (
                  <tr key={row.userId}>
                    <td>{i + 1}</td>
                    <td>
                      <Link to={`/members/${row.handle}`}>{row.displayName}</Link>
                      {row.isChampion ? <span className="badge badge-ok"> {t("members.championMark")}</span> : null}
                    </td>
                    <td>{row.points}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
