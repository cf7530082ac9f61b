import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { useNonce } from "../components/nonce";
import { useRootData } from "../components/root-data";
import { can } from "../features/auth/permissions";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { questionPath } from "../features/forum/forum.schema";
import { getMemberProfilePage, PROFILE_HISTORY_SIZE } from "../features/forum/profiles.server";
import { DAILY_VOTE_REPUTATION_CAP } from "../features/forum/reputation";
import { absoluteUrl, jsonForScript } from "../features/kb/seo";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

// Handles are stored lower-case (auth.schema HANDLE_PATTERN); anything else cannot be a member.
const paramsSchema = z.object({ handle: z.string().regex(/^[A-Za-z0-9_]{3,30}$/) });

export async function loader({ params }: LoaderFunctionArgs) {
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const page = await getMemberProfilePage(await getDb(), parsed.data.handle);
  if (!page) throw new Response("Not found", { status: 404 });
  const { profile } = page;
  const path = `/members/${profile.handle}`;
  const canonical = absoluteUrl(getEnv().APP_URL, path);
  const jsonLd = {
    "@context": "https://schema.org",
    "@type": "ProfilePage",
    url: canonical,
    dateCreated: profile.memberSince.toISOString(),
    mainEntity: {
      "@type": "Person",
      name: profile.displayName,
      alternateName: `@${profile.handle}`,
      identifier: String(profile.id),
      url: canonical,
      ...(profile.bio ? { description: profile.bio } : {}),
      interactionStatistic: [
        { "@type": "InteractionCounter", interactionType: "https://schema.org/WriteAction", userInteractionCount: profile.questions + profile.answers },
      ],
      ...(page.badges.length ? { award: page.badges.map((b) => b.nameEn) } : {}),
    },
  };
  const postLink = (q: { id: number; slug: string }) => questionPath(q.id, q.slug);
  return json({
    canonical,
    jsonLd: jsonForScript(jsonLd),
    profile: { ...profile },
    questions: page.questions.map((q) => ({ ...q, path: postLink(q) })),
    answers: page.answers.map((a) => ({ ...a, path: `${postLink({ id: a.questionId, slug: a.questionSlug })}#answer-${a.id}` })),
    acceptedAnswers: page.acceptedAnswers.map((a) => ({ ...a, path: `${postLink({ id: a.questionId, slug: a.questionSlug })}#answer-${a.id}` })),
    history: page.history.map((e) => ({ ...e, question: e.question ? { title: e.question.title, path: postLink(e.question) } : null })),
    badges: page.badges,
    historySize: PROFILE_HISTORY_SIZE,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const { profile } = data;
  return [
    { title: `${profile.displayName} (@${profile.handle}) · Hearth` },
    { name: "description", content: profile.bio || `${profile.displayName} (@${profile.handle})` },
    { tagName: "link", rel: "canonical", href: data.canonical },
    { property: "og:type", content: "profile" },
    { property: "og:title", content: profile.displayName },
    { property: "og:url", content: data.canonical },
  ];
};

function Points({ value }: { value: number }) {
  return <>{value > 0 ? `+${value}` : String(value)}</>;
}

export default function MemberProfile() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const { locale } = useViewerI18n();
  const { date, dateTime } = useFormatDateTime();
  const nonce = useNonce();
  const viewer = useRootData()?.user ?? null;
  const { profile } = data;
  const sections = [
    { id: "questions", label: t("members.profile.questions") },
    { id: "answers", label: t("members.profile.answers") },
    { id: "accepted", label: t("members.profile.accepted") },
    { id: "history", label: t("members.profile.history") },
    { id: "badges", label: t("members.profile.badges") },
  ];
  return (
    <article className="page member-profile" aria-labelledby="member-name">
      <script
        type="application/ld+json"
        nonce={nonce}
        // The browser drops the nonce attribute after parsing, so the client never matches it.
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: data.jsonLd }}
      />
      <header className="section">
        <h1 id="member-name">
          {profile.displayName} <span className="muted">@{profile.handle}</span>
        </h1>
        {can(viewer, "forum.moderate") && viewer?.id !== profile.id ? (
          <p>
            <Link to={`/moderation/members/${profile.id}`}>{t("moderation.member.title")}</Link>
          </p>
        ) : null}
        {profile.championAt ? (
          <p>
            <span className="badge badge-ok" data-testid="champion-mark">
              {t("members.championMark")}
            </span>{" "}
            {t("members.profile.champion", { date: date(profile.championAt) })}
          </p>
        ) : null}
        {profile.bio ? <p>{profile.bio}</p> : null}
        <p className="muted">{t("members.profile.memberSince", { date: date(profile.memberSince) })}</p>
        <dl className="member-stats" aria-label={t("members.profile.stats")}>
          <div>
            <dt>{t("members.profile.reputation")}</dt>
            <dd data-testid="reputation">{profile.reputation}</dd>
          </div>
          <div>
            <dt>{t("members.profile.questionsCount")}</dt>
            <dd>{profile.questions}</dd>
          </div>
          <div>
            <dt>{t("members.profile.answersCount")}</dt>
            <dd>{profile.answers}</dd>
          </div>
          <div>
            <dt>{t("members.profile.acceptedCount")}</dt>
            <dd>{profile.acceptedAnswers}</dd>
          </div>
        </dl>
        <nav aria-label={t("members.profile.sections")}>
          <ul className="inline-list">
            {sections.map((s) => (
              <li key={s.id}>
                <a href={`#${s.id}`}>{s.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>

      <section id="badges" className="section" aria-labelledby="badges-title">
        <h2 id="badges-title">{t("members.profile.badges")}</h2>
        {data.badges.length === 0 ? (
          <p className="muted">{t("members.profile.noBadges")}</p>
        ) : (
          <ul className="stack">
            {data.badges.map((b) => (
              <li key={b.id}>
                <strong>{locale === "ja" ? b.nameJa : b.nameEn}</strong> <span className="badge">{t(`members.badge.tier.${b.tier}`)}</span>{" "}
                <span className="muted">{t("members.badge.awarded", { date: date(b.awardedAt) })}</span>
                <br />
                <span>{locale === "ja" ? b.descriptionJa : b.descriptionEn}</span>
                {b.reason ? <span className="muted"> {t("members.badge.reason", { reason: b.reason })}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="questions" className="section" aria-labelledby="questions-title">
        <h2 id="questions-title">{t("members.profile.questions")}</h2>
        {data.questions.length === 0 ? (
          <p className="muted">{t("members.profile.noQuestions")}</p>
        ) : (
          <ul className="stack">
            {data.questions.map((q) => (
              <li key={q.id}>
                <Link to={q.path}>{q.title}</Link>{" "}
                <span className="muted">
                  {t("members.profile.score", { count: q.score })} · {t("members.profile.answerCount", { count: q.answerCount })} · {date(q.createdAt)}
                </span>
                {q.hasAccepted ? <span className="badge badge-ok"> {t("members.profile.hasAccepted")}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="answers" className="section" aria-labelledby="answers-title">
        <h2 id="answers-title">{t("members.profile.answers")}</h2>
        {data.answers.length === 0 ? (
          <p className="muted">{t("members.profile.noAnswers")}</p>
        ) : (
          <ul className="stack">
            {data.answers.map((a) => (
              <li key={a.id}>
                <Link to={a.path}>{a.questionTitle}</Link>{" "}
                <span className="muted">
                  {t("members.profile.score", { count: a.score })} · {date(a.createdAt)}
                </span>
                {a.acceptedAt ? <span className="badge badge-ok"> {t("members.profile.acceptedMark")}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="accepted" className="section" aria-labelledby="accepted-title">
        <h2 id="accepted-title">{t("members.profile.accepted")}</h2>
        {data.acceptedAnswers.length === 0 ? (
          <p className="muted">{t("members.profile.noAccepted")}</p>
        ) : (
          <ul className="stack">
            {data.acceptedAnswers.map((a) => (
              <li key={a.id}>
                <Link to={a.path}>{a.questionTitle}</Link> <span className="muted">{a.acceptedAt ? date(a.acceptedAt) : null}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="history" className="section" aria-labelledby="history-title">
        <h2 id="history-title">{t("members.profile.history")}</h2>
        <p className="muted">
          {t("members.profile.historyLead", { count: data.historySize, cap: DAILY_VOTE_REPUTATION_CAP })} <Link to="/champions#rules">{t("members.profile.rulesLink")}</Link>
        </p>
        {data.history.length === 0 ? (
          <p className="muted">{t("members.profile.noHistory")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">{t("members.profile.history")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("members.profile.col.when")}</th>
                  <th scope="col">{t("members.profile.col.what")}</th>
                  <th scope="col">{t("members.profile.col.points")}</th>
                </tr>
              </thead>
              <tbody>
                {data.history.map((e) => (
                  <tr key={e.activityId}>
                    <td>{dateTime(e.occurredAt)}</td>
                    <td>
                      {t(`members.reason.${e.reason}`)} · {e.question ? <Link to={e.question.path}>{e.question.title}</Link> : <span className="muted">{t("members.profile.removedPost")}</span>}
                    </td>
                    <td>
                      <Points value={e.points} />
                      {e.cappedByDailyLimit ? <span className="muted"> ({t("members.profile.capped", { base: e.basePoints })})</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
