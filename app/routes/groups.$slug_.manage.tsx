import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SavedNotice } from "../components/admin-ui";
import { formatEventStart } from "../components/events/event-time";
import { DecideRequestForm } from "../components/groups/decide-request";
import groupStyles from "../components/groups/groups.css";
import { PersonName } from "../components/groups/people";
import { getDb } from "../db.server";
import { requireUser } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { decideRequestSchema, groupSlugParam } from "../features/events/groups.schema";
import { decideJoinRequest, getGroupManagement } from "../features/events/groups.server";
import { groupManagePath, groupPath } from "../features/events/paths";
import { eventRefusalResponse, failedEventResult } from "../features/events/responses.server";
import { timeZoneName } from "../features/i18n/format";
import { translate } from "../features/i18n/messages";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

// Per-viewer pages: the loader's Cache-Control applies to the document too.
export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? "private, no-store" });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

function slugOf(value: string | undefined): string {
  const parsed = groupSlugParam.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const result = await getGroupManagement(await getDb(), { id: user.id, role: user.role }, slugOf(params.slug));
  if (!result.ok) {
    if ("reason" in result) throw eventRefusalResponse(result.reason);
    throw new Response("Not found", { status: 404 });
  }
  const { ok: _ok, ...page } = result;
  return json(
    { ...page, title: translate(context.locale, "groups.manage.title", { name: page.group.name }) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} · Hearth` }, { name: "robots", content: "noindex" }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const slug = slugOf(params.slug);
  const submission = parseForm(await request.formData(), decideRequestSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const { intent, groupId, userId } = submission.data;
  const result = await decideJoinRequest(await getDb(), { id: user.id, role: user.role }, { groupId, userId, approve: intent === "approve" });
  if (!result.ok) return failedEventResult(result, {});
  return redirect(`${groupManagePath(slug)}?saved=${intent === "approve" ? "approved" : "declined"}`);
}

const SAVED_MESSAGES = {
  approved: "groups.saved.approved",
  declined: "groups.saved.declined",
  drafted: "groups.saved.drafted",
} as const;

export default function ManageGroup() {
  const t = useT();
  const { date } = useFormatDateTime();
  const { locale, timeZone } = useViewerI18n();
  const { group, members, pending, events, isStaff, title } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to={groupPath(group.slug)}>{t("groups.manage.back")}</Link>
        {isStaff ? (
          <>
            {" · "}
            <Link to={`/admin/groups/${group.id}`}>{t("groups.manage.staffEdit")}</Link>
          </>
        ) : null}
      </p>
      <h1>{title}</h1>
      <SavedNotice messages={SAVED_MESSAGES} />

      <section className="section" aria-labelledby="manage-requests">
        <h2 id="manage-requests">
          {t("groups.manage.pending")} {pending.length ? <span className="badge badge-warn">{pending.length}</span> : null}
        </h2>
        {pending.length === 0 ? (
          <p className="muted">{t("groups.manage.noPending")}</p>
        ) : (
          <ul className="group-requests">
            {pending.map((p) => (
              <li key={p.id}>
                <div>
                  <Link to={`/members/${encodeURIComponent(p.handle)}`}>{p.displayName}</Link>
                  {p.accountName ? <span className="muted"> · {p.accountName}</span> : null}
                  <br />
                  <span className="muted">{t("groups.manage.requestedAt", { date: date(p.requestedAt) })}</span>
                </div>
                <DecideRequestForm groupId={group.id} userId={p.id} name={p.displayName} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="manage-events">
        <div className="group-section-head">
          <h2 id="manage-events">{t("groups.manage.events")}</h2>
          <Link className="button button-small" to={`${groupPath(group.slug)}/events/new`}>
            {t("groups.manage.draft")}
          </Link>
        </div>
        <p className="muted">{t("groups.manage.draftHint")}</p>
        {events.length === 0 ? (
          <p className="muted">{t("groups.manage.noEvents")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data group-table">
              <caption className="visually-hidden">{t("groups.manage.events")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("groups.manage.col.event")}</th>
                  <th scope="col">{t("groups.manage.col.when")}</th>
                  <th scope="col">{t("groups.manage.col.status")}</th>
                  <th scope="col" className="numeric">{t("groups.manage.col.registered")}</th>
                  <th scope="col" className="numeric">{t("groups.manage.col.maybe")}</th>
                  <th scope="col" className="numeric">{t("groups.manage.col.attended")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("groups.manage.checkIn")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">{e.status === "published" || e.status === "cancelled" ? <Link to={e.path}>{e.title}</Link> : e.title}</th>
                    <td data-label={t("groups.manage.col.when")}>
                      <time dateTime={e.startsAt}>{formatEventStart(e.startsAt, locale, timeZone)}</time>
                    </td>
                    <td data-label={t("groups.manage.col.status")}>
                      <span className={e.status === "published" ? "badge badge-ok" : e.status === "cancelled" ? "badge badge-danger" : "badge badge-warn"}>{t(`adminEvents.status.${e.status}`)}</span>
                    </td>
                    <td className="numeric" data-label={t("groups.manage.col.registered")}>{e.registeredCount}</td>
                    <td className="numeric" data-label={t("groups.manage.col.maybe")}>{e.maybeCount}</td>
                    <td className="numeric" data-label={t("groups.manage.col.attended")}>{e.attendedCount}</td>
                    <td className="group-table-action">
                      {e.status === "published" ? (
                        <Link to={e.checkInPath} aria-label={t("groups.manage.checkInLabel", { title: e.title })}>
                          {t("groups.manage.checkIn")}
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted">{t("time.zone", { zone: timeZoneName(timeZone, locale) })}</p>
      </section>

      <section className="section" aria-labelledby="manage-members">
        <h2 id="manage-members">
          {t("groups.manage.members")} <span className="badge">{group.memberCount}</span>
        </h2>
        <div className="table-wrap">
          <table className="data group-table">
            <caption className="visually-hidden">{t("groups.manage.members")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("groups.manage.col.name")}</th>
                <th scope="col">{t("groups.manage.col.account")}</th>
                <th scope="col">{t("groups.manage.col.role")}</th>
                <th scope="col">{t("groups.manage.col.joined")}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <PersonName person={m} />
                  </th>
                  <td data-label={t("groups.manage.col.account")}>{m.accountName ?? "—"}</td>
                  <td data-label={t("groups.manage.col.role")}>{m.role === "leader" ? <span className="badge group-leader-badge">{t("groups.role.leader")}</span> : t("groups.role.member")}</td>
                  <td data-label={t("groups.manage.col.joined")}>{m.joinedAt ? date(m.joinedAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
