import { Link } from "@remix-run/react";
import type { GroupJoinPolicy, GroupKind } from "../../../db/schema/events";
import { useT, useViewerI18n } from "../../features/i18n/use-i18n";
import { formatEventStart } from "../events/event-time";

/** A GroupCard as loader JSON delivers it (dates as strings). */
export interface GroupCardView {
  id: number;
  slug: string;
  path: string;
  name: string;
  kind: GroupKind;
  summary: string;
  joinPolicy: GroupJoinPolicy;
  memberCount: number;
  nextEventAt: string | null;
}

export function GroupKindBadge({ kind }: { kind: GroupKind }) {
  const t = useT();
  return <span className={`badge group-kind group-kind-${kind}`}>{t(`groups.kind.${kind}`)}</span>;
}

export function MemberCount({ count }: { count: number }) {
  const t = useT();
  return <>{count === 1 ? t("groups.memberCountOne") : t("groups.memberCount", { count })}</>;
}

export function GroupCardItem({ group }: { group: GroupCardView }) {
  const t = useT();
  const { locale, timeZone } = useViewerI18n();
  return (
    <li className="card group-card">
      <h2>
        <Link to={group.path}>{group.name}</Link>
      </h2>
      <p className="group-card-meta">
        <GroupKindBadge kind={group.kind} />
        <span>
          <MemberCount count={group.memberCount} />
        </span>
        {group.joinPolicy === "approval" ? <span>{t("groups.policy.approval")}</span> : null}
      </p>
      {group.summary ? <p className="group-card-summary">{group.summary}</p> : null}
      <p className="group-card-next">
        {group.nextEventAt ? (
          <>
            {t("groups.nextEvent")}{": "}
            <time dateTime={group.nextEventAt}>{formatEventStart(group.nextEventAt, locale, timeZone)}</time>
          </>
        ) : (
          <span className="muted">{t("groups.noNextEvent")}</span>
        )}
      </p>
    </li>
  );
}
