import { Form, useLocation, useNavigation } from "@remix-run/react";
import { useT } from "../../features/i18n/use-i18n";

/**
 * Follow / unfollow a tag or a question: a plain form posting to /follows, which redirects back here, so it
 * works without JavaScript. `name` (a tag's name) makes the button's accessible name say what is followed.
 */
export function FollowButton({
  targetType,
  targetId,
  following,
  name,
  redirectTo,
}: {
  targetType: "question" | "tag";
  targetId: number;
  following: boolean;
  name?: string;
  /** Where to come back to; the current page by default. */
  redirectTo?: string;
}) {
  const t = useT();
  const location = useLocation();
  const busy = useNavigation().formAction === "/follows";
  const label = following ? t("notifications.follow.unfollow") : t("notifications.follow.follow");
  const accessibleName =
    name === undefined ? undefined : following ? t("notifications.follow.unfollowTagLabel", { name }) : t("notifications.follow.followTagLabel", { name });
  return (
    <Form method="post" action="/follows" className="inline-form follow-form">
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="redirectTo" value={redirectTo ?? location.pathname + location.search} />
      <button
        type="submit"
        name="intent"
        value={following ? "unfollow" : "follow"}
        className="button button-small button-secondary"
        aria-label={accessibleName}
        title={targetType === "question" && !following ? t("notifications.follow.followQuestionHint") : undefined}
        disabled={busy}
      >
        {label}
      </button>
    </Form>
  );
}
