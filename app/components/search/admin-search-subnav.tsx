import { SectionTabs, type SectionTab } from "../section-tabs";

const TABS: ReadonlyArray<SectionTab> = [
  { to: "/admin/search", label: "search.admin.title", end: true },
  { to: "/admin/search/synonyms", label: "search.synonyms.nav" },
];

/** The tabs shared by the staff search screens. */
export function AdminSearchSubnav() {
  return <SectionTabs tabs={TABS} label="search.admin.subnav" className="search-subnav" />;
}
