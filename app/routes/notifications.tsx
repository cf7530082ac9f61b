import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Pagination } from "../components/admin-ui";
import { Notice } from "../components/forms";
import { useRootData, type RootData } from "../components/root-data";
import { getDb } from "../db.server";
import { requireUser } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { listNotifications, markAllRead, markRead, type NotificationView } from "../features/forum/notifications.server";
import { notificationsFormSchema, UNREAD_COUNT_CAP } from "../features/forum/notifications.schema";
import { translate } from "../features/i18n/messages";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";
import notificationStyles from "../styles/notifications.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: notificationStyles }];

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale ?? "en";
  return [{ title: translate(locale, "notifications.metaTitle") }, { name: "robots", content: "noindex" }];
};

const querySchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { page } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const list = await listNotifications(await getDb(), user.id, { page, locale: context.locale });
  return json(list);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const submission = parseForm(await request.formData(), notificationsFormSchema);
  // Hidden fields and buttons only: a malformed post did not come from this page.
  if (!submission.ok) throw new Response("Bad request", { status: 400 });
  const db = await getDb();
  const url = new URL(request.url);
  if (submission.data.intent === "markAllRead") {
    await markAllRead(db, user);
    return redirect("/notifications?marked=all");
  }
  const result = await markRead(db, user, { notificationId: submission.data.notificationId });
  // Someone else's notification, or one that does not exist: the same 404, nothing changed.
  if (!result.ok) throw new Response("Not found", { status: 404 });
  url.searchParams.delete("marked");
  return redirect(`/notifications${url.search}`);
}

function useNotificationText() {
  const t = useT();
  return (n: Pick<NotificationView, "type" | "actorName" | "title">) => t(`notifications.type.${n.type}`, { actor: n.actorName ?? t("notifications.someone"), title: n.title ?? t("notifications.untitled") });
}

export default function Notifications() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const text = useNotificationText();
  const { items, page, hasNext } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const unread = useRootData()?.unreadNotifications ?? 0;
  return (
    <section className="page narrow" aria-labelledby="notifications-title">
      <div className="notifications-header">
        <h1 id="notifications-title">{t("notifications.title")}</h1>
        <Link to="/settings/notifications">{t("notifications.settingsLink")}</Link>
      </div>
      {params.get("marked") === "all" ? <Notice kind="success">{t("notifications.markedAll")}</Notice> : null}
      <p className="muted">
        {unread === 0
          ? t("notifications.allRead")
          : t("notifications.unreadSummary", { count: unread >= UNREAD_COUNT_CAP ? t("notifications.bell.overflow") : unread })}
      </p>
      {unread > 0 ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="markAllRead" />
          <button type="submit" className="button button-secondary" disabled={busy}>
            {t("notifications.markAllRead")}
          </button>
        </Form>
      ) : null}
      {items.length === 0 ? (
        <p className="muted">{t("notifications.empty")}</p>
      ) : (
        <ol className="notification-list" data-testid="notification-list">
          {items.map((n) => (
            <li key={n.id} className={n.read ? "notification" : "notification notification-unread"}>
              <p className="notification-text">
                {n.read ? null : <span className="badge badge-warn notification-unread-badge">{t("notifications.unreadBadge")}</span>}{" "}
                {n.href ? <Link to={n.href}>{text(n)}</Link> : <span>{text(n)}</span>}
              </p>
              {n.href === null && n.type !== "champion_granted" ? <p className="muted notification-meta">{t("notifications.unavailable")}</p> : null}
              <p className="muted notification-meta">
                <time dateTime={n.createdAt}>{dateTime(n.createdAt)}</time>
              </p>
              {n.read ? null : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="markRead" />
                  <input type="hidden" name="notificationId" value={n.id} />
                  <button type="submit" className="link-button" aria-label={t("notifications.markReadLabel", { text: text(n) })} disabled={busy}>
                    {t("notifications.markRead")}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      <Pagination page={page} hasNext={hasNext} />
    </section>
  );
}
