import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormErrors, Notice, type FormState } from "../components/forms";
import type { RootData } from "../components/root-data";
import { getDb } from "../db.server";
import { requireUser } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { listFollowedTags, setFollow } from "../features/forum/follows.server";
import { getDigestSettings, setDigestFrequency } from "../features/forum/notifications.server";
import { DIGEST_FREQUENCY_OPTIONS, notificationSettingsFormSchema } from "../features/forum/notifications.schema";
import { failedResult } from "../features/forum/responses.server";
import { translate } from "../features/i18n/messages";
import { useT, useTranslateError } from "../features/i18n/use-i18n";
import notificationStyles from "../styles/notifications.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: notificationStyles }];

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale ?? "en";
  return [{ title: translate(locale, "notifications.settings.metaTitle") }, { name: "robots", content: "noindex" }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const db = await getDb();
  const [settings, tags] = await Promise.all([getDigestSettings(db, user.id), listFollowedTags(db, user.id)]);
  return json({ frequency: settings.frequency, tags, handle: user.handle });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  const submission = parseForm(formData, notificationSettingsFormSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const db = await getDb();
  const command = submission.data;
  const result =
    command.intent === "frequency"
      ? await setDigestFrequency(db, user, { frequency: command.frequency })
      : await setFollow(db, user, { targetType: "tag", targetId: command.tagId, follow: false });
  if (!result.ok) return failedResult(result, Object.fromEntries([...formData.entries()].map(([k, v]) => [k, String(v)])));
  return redirect(`/settings/notifications?saved=${command.intent === "frequency" ? "frequency" : "unfollowed"}`);
}

export default function NotificationSettings() {
  const t = useT();
  const translateError = useTranslateError();
  const { frequency, tags, handle } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormState | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const saved = params.get("saved");
  const frequencyErrors = actionData?.errors?.frequency;
  const chosen = actionData?.values?.frequency ?? frequency;
  return (
    <section className="page narrow" aria-labelledby="notification-settings-title">
      <h1 id="notification-settings-title">{t("notifications.settings.title")}</h1>
      <p className="muted">{t("notifications.settings.intro", { handle })}</p>
      {saved === "frequency" ? <Notice kind="success">{t("notifications.settings.saved")}</Notice> : null}
      {saved === "unfollowed" ? <Notice kind="success">{t("notifications.settings.unfollowed")}</Notice> : null}
      <FormErrors state={actionData} />

      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="frequency" />
        <fieldset className="digest-frequency" aria-describedby={frequencyErrors?.length ? "frequency-error" : undefined}>
          <legend>{t("notifications.settings.frequencyLegend")}</legend>
          {DIGEST_FREQUENCY_OPTIONS.map((value) => (
            <div key={value} className="radio-option">
              <input
                type="radio"
                id={`frequency-${value}`}
                name="frequency"
                value={value}
                defaultChecked={chosen === value}
                aria-describedby={`frequency-${value}-hint`}
              />
              <label htmlFor={`frequency-${value}`}>{t(`notifications.settings.frequency.${value}`)}</label>
              <p id={`frequency-${value}-hint`} className="field-hint">
                {t(`notifications.settings.frequency.${value}Hint`)}
              </p>
            </div>
          ))}
          {frequencyErrors?.length ? (
            <p id="frequency-error" className="field-error" role="alert">
              {frequencyErrors.map(translateError).join(" ")}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          {t("notifications.settings.save")}
        </button>
      </Form>

      <h2>{t("notifications.settings.tagsTitle")}</h2>
      {tags.length === 0 ? (
        <p className="muted">{t("notifications.settings.tagsEmpty")}</p>
      ) : (
        <ul className="followed-tags" data-testid="followed-tags">
          {tags.map((tag) => (
            <li key={tag.id}>
              <Link to={`/questions?tag=${encodeURIComponent(tag.slug)}`}>{tag.name}</Link>{" "}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="unfollowTag" />
                <input type="hidden" name="tagId" value={tag.id} />
                <button type="submit" className="link-button" aria-label={t("notifications.settings.unfollowLabel", { name: tag.name })} disabled={busy}>
                  {t("notifications.settings.unfollow")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
