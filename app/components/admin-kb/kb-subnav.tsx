import { SectionTabs, type SectionTab } from "../section-tabs";

const TABS: ReadonlyArray<SectionTab> = [
  { to: "/admin/kb", label: "adminKb.tab.articles", end: true },
  { to: "/admin/kb/collections", label: "adminKb.tab.collections" },
  { to: "/admin/kb/tags", label: "adminKb.tab.tags" },
  { to: "/admin/kb/review", label: "adminKb.tab.review" },
  { to: "/admin/kb/report", label: "adminKb.tab.report" },
];

/** The tabs shared by the knowledge-base screens. */
export function KbSubnav() {
  return <SectionTabs tabs={TABS} label="adminKb.sections" className="kb-subnav" />;
}
