import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { SavedNotice } from "../components/admin-ui";
import eventStyles from "../components/events/events.css";
import { EventList, ZoneNote } from "../components/events/event-list";
import { FormErrors, type FormState } from "../components/forms";
import { GroupKindBadge, MemberCount } from "../components/groups/group-card";
import groupStyles from "../components/groups/groups.css";
import { PeopleList } from "../components/groups/people";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { requireUser } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { groupPageActionSchema, groupSlugParam } from "../features/events/groups.schema";
import { getGroupPage, joinGroup, leaveGroup } from "../features/events/groups.server";
import { groupManagePath, groupPath } from "../features/events/paths";
import { listEvents } from "../features/events/reads.server";
import { failedEventResult } from "../features/events/responses.server";
import { useT } from "../features/i18n/use-i18n";
import { absoluteUrl } from "../features/kb/seo";
import markdownStyles from "../styles/markdown.css";

// Per-viewer pages: the loader's Cache-Control applies to the document too.
export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? "private, no-store" });

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: eventStyles },
  { rel: "stylesheet", href: groupStyles },
];

const UPCOMING_LIMIT = 10;
const PAST_LIMIT = 6;

function slugOf(value: string | undefined): string {
  const parsed = groupSlugParam.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const db = await getDb();
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const page = await getGroupPage(db, viewer, slugOf(params.slug));
  if (!page) throw new Response("Not found", { status: 404 });
  const [upcoming, past] = await Promise.all([
    listEvents(db, { groupId: page.group.id, when: "upcoming", pageSize: UPCOMING_LIMIT }),
    listEvents(db, { groupId: page.group.id, when: "past", pageSize: PAST_LIMIT }),
  ]);
  return json(
    { ...page, upcoming: upcoming.items, past: past.items, canonical: absoluteUrl(getEnv().APP_URL, groupPath(page.group.slug)), signedIn: Boolean(viewer) },
    // Membership state and the member list differ per viewer.
    { headers: { "Cache-Control": "private, no-cache" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const description = data.group.summary || data.group.name;
  return [
    { title: `${data.group.name} · Hearth` },
    { name: "description", content: description },
    { tagName: "link", rel: "canonical", href: data.canonical },
    { property: "og:title", content: data.group.name },
    { property: "og:description", content: description },
    { property: "og:url", content: data.canonical },
    ...(data.group.archived ? [{ name: "robots", content: "noindex" }] : []),
  ];
};

const SAVED_AFTER = { join: { active: "joined", pending: "requested" } } as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const slug = slugOf(params.slug);
  const submission = parseForm(await request.formData(), groupPageActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const { intent, groupId } = submission.data;
  const db = await getDb();
  const actor = { id: user.id, role: user.role };
  if (intent === "join") {
    const result = await joinGroup(db, actor, groupId);
    if (!result.ok) return failedEventResult(result, { intent });
    return redirect(`${groupPath(slug)}?saved=${SAVED_AFTER.join[result.status]}`);
  }
  const result = await leaveGroup(db, actor, groupId);
  if (!result.ok) return failedEventResult(result, { intent });
  return redirect(`${groupPath(slug)}?saved=${intent === "withdraw" ? "withdrawn" : "left"}`);
}

const SAVED_MESSAGES = {
  joined: "groups.saved.joined",
  requested: "groups.saved.requested",
  left: "groups.saved.left",
  withdrawn: "groups.saved.withdrawn",
} as const;

function JoinBox() {
  const t = useT();
  const { group, membership, isLastLeader, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { pathname } = useLocation();
  const state = actionData && "errors" in actionData ? (actionData as FormState) : undefined;
  const count = (
    <p className="group-join-count">
      <MemberCount count={group.memberCount} />
    </p>
  );
  if (!signedIn) {
    return (
      <div className="group-join">
        {count}
        <Link className="button" to={`/login?redirectTo=${encodeURIComponent(pathname)}`}>
          {t("groups.join.signIn")}
        </Link>
      </div>
    );
  }
  if (!membership) {
    if (group.archived) return <div className="group-join">{count}</div>;
    return (
      <div className="group-join">
        {count}
        <FormErrors state={state} />
        <Form method="post">
          <input type="hidden" name="intent" value="join" />
          <input type="hidden" name="groupId" value={group.id} />
          <button type="submit" className="button" disabled={busy}>
            {t(group.joinPolicy === "approval" ? "groups.join.request" : "groups.join.button")}
          </button>
        </Form>
        {group.joinPolicy === "approval" ? <p className="group-join-hint">{t("groups.join.requestHint")}</p> : null}
      </div>
    );
  }
  const pending = membership.status === "pending";
  return (
    <div className="group-join">
      {count}
      <p>
        {pending ? (
          <span className="badge badge-warn">{t("groups.join.pending")}</span>
        ) : (
          t(membership.role === "leader" ? "groups.join.youAreLeader" : "groups.join.youAreMember")
        )}
      </p>
      <FormErrors state={state} />
      {isLastLeader ? (
        <p className="group-join-hint">{t("groups.join.lastLeaderHint")}</p>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value={pending ? "withdraw" : "leave"} />
          <input type="hidden" name="groupId" value={group.id} />
          <button type="submit" className="button button-secondary" disabled={busy}>
            {t(pending ? "groups.join.withdraw" : "groups.join.leave")}
          </button>
        </Form>
      )}
    </div>
  );
}

export default function GroupPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { group, leaders, members, canManage, upcoming, past } = data;
  const moreMembers = members ? group.memberCount - members.length : 0;
  return (
    <div className="page">
      <p>
        <Link to="/groups">{t("groups.page.back")}</Link>
      </p>
      <SavedNotice messages={SAVED_MESSAGES} />
      {group.archived ? <p className="notice notice-info">{t("groups.page.archived")}</p> : null}
      <div className="group-header">
        <div>
          <h1>{group.name}</h1>
          <p className="group-header-meta">
            <GroupKindBadge kind={group.kind} />
            {group.joinPolicy === "approval" ? <span>{t("groups.policy.approval")}</span> : null}
          </p>
          {group.summary ? <p className="lead">{group.summary}</p> : null}
          {canManage ? (
            <p className="group-manage-link">
              <Link to={groupManagePath(group.slug)}>{t("groups.page.manage")}</Link>
            </p>
          ) : null}
        </div>
        <JoinBox />
      </div>

      <div className="group-body">
        <div>
          {group.descriptionHtml ? (
            <section className="section" aria-labelledby="group-about">
              <h2 id="group-about">{t("groups.page.about")}</h2>
              {/* Sanitized when the group was saved (renderMarkdown). */}
              <div className="markdown" dangerouslySetInnerHTML={{ __html: group.descriptionHtml }} />
            </section>
          ) : null}
          <section aria-labelledby="group-upcoming">
            <h2 id="group-upcoming">{t("groups.page.upcoming")}</h2>
            {upcoming.length ? <EventList events={upcoming} byDay={false} label={t("groups.page.upcoming")} /> : <p className="muted">{t("groups.page.noUpcoming")}</p>}
            {upcoming.length ? <ZoneNote /> : null}
          </section>
          {past.length ? (
            <section aria-labelledby="group-past">
              <h2 id="group-past">{t("groups.page.past")}</h2>
              <EventList events={past} byDay={false} label={t("groups.page.past")} />
            </section>
          ) : null}
        </div>
        <aside className="group-side">
          <section className="section" aria-labelledby="group-leaders">
            <h2 id="group-leaders">{t("groups.page.leaders")}</h2>
            {leaders.length ? <PeopleList people={leaders} label={t("groups.page.leaders")} /> : <p className="muted">{t("groups.page.noLeaders")}</p>}
          </section>
          <section className="section" aria-labelledby="group-members">
            <h2 id="group-members">{t("groups.page.members")}</h2>
            {members ? (
              <>
                <PeopleList people={members} label={t("groups.page.members")} showRole />
                {moreMembers > 0 ? <p className="muted">{t("groups.page.membersMore", { count: moreMembers })}</p> : null}
              </>
            ) : (
              <p className="muted">{t("groups.page.membersSignIn")}</p>
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}
