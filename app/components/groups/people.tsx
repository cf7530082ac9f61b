import { Link } from "@remix-run/react";
import type { GroupRole } from "../../../db/schema/events";
import { useT } from "../../features/i18n/use-i18n";

export interface GroupPersonView {
  id: number;
  displayName: string;
  handle: string;
  isChampion: boolean;
  role: GroupRole;
}

/** A member's name linking to their profile, with the champion and leader marks. */
export function PersonName({ person, showRole = false }: { person: GroupPersonView; showRole?: boolean }) {
  const t = useT();
  return (
    <span className="group-person">
      <Link to={`/members/${encodeURIComponent(person.handle)}`}>{person.displayName}</Link>
      {person.isChampion ? <span className="badge badge-ok">{t("groups.champion")}</span> : null}
      {showRole && person.role === "leader" ? <span className="badge group-leader-badge">{t("groups.role.leader")}</span> : null}
    </span>
  );
}

export function PeopleList({ people, label, showRole = false }: { people: GroupPersonView[]; label: string; showRole?: boolean }) {
  return (
    <ul className="group-people" aria-label={label}>
      {people.map((p) => (
        <li key={p.id}>
          <PersonName person={p} showRole={showRole} />
        </li>
      ))}
    </ul>
  );
}
