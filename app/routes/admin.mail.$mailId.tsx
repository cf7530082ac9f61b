import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import { getDb } from "../db.server";
import { recordIdSchema } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { getMail } from "../features/mail/mail.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("admin.mail.title");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "mail.read");
  const id = recordIdSchema.safeParse(params.mailId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const mail = await getMail(await getDb(), id.data);
  if (!mail) throw new Response("Not found", { status: 404 });
  return json({
    mail: {
      id: mail.id,
      toAddress: mail.toAddress,
      subject: mail.subject,
      template: mail.template,
      locale: mail.locale,
      status: mail.status,
      createdAt: mail.createdAt,
      text: mail.text,
      html: mail.html,
      // Names only: the files themselves are downloaded one by one, not sent with the page.
      attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })),
    },
  });
}

export default function AdminMailMessage() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { mail } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="mail-subject">
      <p>
        <Link to="/admin/mail">{t("admin.mail.back")}</Link>
      </p>
      <h1 id="mail-subject" lang={mail.locale}>
        {mail.subject}
      </h1>
      <dl className="facts">
        <dt>{t("admin.mail.to")}</dt>
        <dd>{mail.toAddress}</dd>
        <dt>{t("admin.mail.col.template")}</dt>
        <dd>
          <code>{mail.template}</code>
        </dd>
        <dt>{t("admin.mail.col.language")}</dt>
        <dd>{mail.locale === "ja" || mail.locale === "en" ? t(`language.${mail.locale}`) : mail.locale}</dd>
        <dt>{t("admin.mail.col.status")}</dt>
        <dd>{t(`admin.mail.status.${mail.status}`)}</dd>
        <dt>{t("admin.mail.col.created")}</dt>
        <dd>{dateTime(mail.createdAt)}</dd>
      </dl>

      {mail.attachments.length > 0 ? (
        <section className="section" aria-labelledby="mail-attachments">
          <h2 id="mail-attachments">{t("calendar.mail.attachments")}</h2>
          <ul>
            {mail.attachments.map((a, index) => (
              <li key={index}>
                <a href={`/admin/mail/${mail.id}/attachments/${index}`} download={a.filename} aria-label={t("calendar.mail.download", { name: a.filename })}>
                  {a.filename}
                </a>{" "}
                <span className="muted">({a.contentType.split(";")[0]})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="section" aria-labelledby="mail-text">
        <h2 id="mail-text">{t("admin.mail.text")}</h2>
        <pre className="mail" lang={mail.locale}>
          {mail.text}
        </pre>
      </section>

      <section className="section" aria-labelledby="mail-html">
        <h2 id="mail-html">{t("admin.mail.html")}</h2>
        <p className="muted">{t("admin.mail.htmlHint")}</p>
        {/*
          Treated as untrusted even though our templates escape their parameters: an empty sandbox gives the
          frame a unique origin with no scripts, forms, popups or top navigation, so nothing in it can reach
          this page, its cookies or the staff session.
        */}
        <iframe title={t("admin.mail.htmlFrame")} sandbox="" src={`/admin/mail/${mail.id}/html`} referrerPolicy="no-referrer" width="100%" height="560" />
      </section>
    </section>
  );
}
