import { Form, useNavigation } from "@remix-run/react";
import { useT } from "../../features/i18n/use-i18n";

/** Approve / decline buttons for one join request (the leaders' page and the staff groups page). */
export function DecideRequestForm({ groupId, userId, name, small = false }: { groupId: number; userId: number; name: string; small?: boolean }) {
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const size = small ? " button-small" : "";
  return (
    <Form method="post" className="group-request-actions">
      <input type="hidden" name="groupId" value={groupId} />
      <input type="hidden" name="userId" value={userId} />
      <button type="submit" name="intent" value="approve" className={`button${size}`} disabled={busy} aria-label={t("groups.manage.approveLabel", { name })}>
        {t("groups.manage.approve")}
      </button>
      <button type="submit" name="intent" value="decline" className={`button button-secondary${size}`} disabled={busy} aria-label={t("groups.manage.declineLabel", { name })}>
        {t("groups.manage.decline")}
      </button>
    </Form>
  );
}
