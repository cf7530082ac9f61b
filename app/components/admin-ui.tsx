import type { MetaFunction } from "@remix-run/node";
import { Link, useLocation, useSearchParams } from "@remix-run/react";
import { TIERS, type Tier } from "../features/accounts/accounts.schema";
import type { Role } from "../features/users/users.schema";
import { translate, type MessageKey } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";
import { Notice, SelectField, TextField, type FormState } from "./forms";
import type { RootData } from "./root-data";

/** Staff pages are titled in the viewer's language and kept out of search engines. */
export function adminMeta(title: MessageKey): MetaFunction {
  return ({ matches }) => {
    const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale ?? "en";
    return [
      { title: `${translate(locale, title)} · ${translate(locale, "admin.title")} · ${translate(locale, "app.name")}` },
      { name: "robots", content: "noindex" },
    ];
  };
}

/**
 * Previous/next links that keep the current filters. Give pageCount when the total is known,
 * hasNext when it is not (the mail log).
 */
export function Pagination({ page, pageCount, hasNext }: { page: number; pageCount?: number; hasNext?: boolean }) {
  const t = useT();
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const next = hasNext ?? (pageCount !== undefined && page < pageCount);
  if (page <= 1 && !next) return null;
  const href = (target: number) => {
    const copy = new URLSearchParams(params);
    copy.delete("saved");
    if (target <= 1) copy.delete("page");
    else copy.set("page", String(target));
    const query = copy.toString();
    return query ? `${pathname}?${query}` : pathname;
  };
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          {t("pagination.previous")}
        </Link>
      ) : null}
      <span aria-current="page">
        {pageCount !== undefined && page <= pageCount ? t("admin.pagination.status", { page, pages: pageCount }) : t("admin.pagination.page", { page })}
      </span>
      {next ? (
        <Link to={href(page + 1)} rel="next">
          {t("pagination.next")}
        </Link>
      ) : null}
    </nav>
  );
}

/** The confirmation after a redirect (…?saved=<what>); unknown values show nothing. */
export function SavedNotice({ messages }: { messages: Partial<Record<string, MessageKey>> }) {
  const t = useT();
  const [params] = useSearchParams();
  const key = messages[params.get("saved") ?? ""];
  return key ? <Notice kind="success">{t(key)}</Notice> : null;
}

export interface AccountFieldValues {
  name: string;
  crmExternalId: string | null;
  tier: Tier;
  ownerId: number | null;
  ownerName: string | null;
  renewalDate: string | null;
  arrCents: number | null;
  licensedSeats: number | null;
}

/** The fields of the account create and edit forms. */
export function AccountFields({
  state,
  account,
  staff,
}: {
  state?: FormState;
  account?: AccountFieldValues;
  staff: ReadonlyArray<{ id: number; displayName: string; role: Role }>;
}) {
  const t = useT();
  const owners = staff.map((s) => ({ value: String(s.id), label: `${s.displayName} (${t(`role.${s.role}`)})` }));
  // A current owner who is no longer eligible (suspended, demoted) still shows, so saving keeps them.
  if (account?.ownerId && !staff.some((s) => s.id === account.ownerId)) {
    owners.unshift({ value: String(account.ownerId), label: account.ownerName ?? `#${account.ownerId}` });
  }
  return (
    <>
      <TextField name="name" label={t("admin.accounts.name")} defaultValue={account?.name} required maxLength={200} autoComplete="off" state={state} />
      <TextField
        name="crmExternalId"
        label={t("admin.accounts.crmExternalId")}
        hint={t("admin.accounts.crmHint")}
        defaultValue={account?.crmExternalId ?? undefined}
        maxLength={100}
        autoComplete="off"
        state={state}
      />
      <SelectField
        name="tier"
        label={t("admin.accounts.tier")}
        defaultValue={account?.tier ?? "tech_touch"}
        options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))}
        state={state}
      />
      <SelectField
        name="ownerId"
        label={t("admin.accounts.owner")}
        hint={t("admin.accounts.ownerHint")}
        defaultValue={account?.ownerId ? String(account.ownerId) : ""}
        options={[{ value: "", label: t("admin.accounts.noOwner") }, ...owners]}
        state={state}
      />
      <TextField
        name="renewalDate"
        type="date"
        label={t("admin.accounts.renewalDate")}
        hint={t("admin.accounts.renewalHint")}
        defaultValue={account?.renewalDate ?? undefined}
        state={state}
      />
      <TextField
        name="arr"
        label={t("admin.accounts.arr")}
        hint={t("admin.accounts.arrHint")}
        inputMode="numeric"
        defaultValue={account?.arrCents != null ? String(account.arrCents / 100) : undefined}
        maxLength={20}
        autoComplete="off"
        state={state}
      />
      <TextField
        name="licensedSeats"
        label={t("admin.accounts.licensedSeats")}
        inputMode="numeric"
        defaultValue={account?.licensedSeats != null ? String(account.licensedSeats) : undefined}
        maxLength={8}
        autoComplete="off"
        state={state}
      />
    </>
  );
}
