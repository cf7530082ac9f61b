import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AccountFields, adminMeta, SavedNotice } from "../components/admin-ui";
import { FormErrors, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { ACCOUNT_HISTORY_LIMIT, accountPageActionSchema, type AccountPageAction } from "../features/accounts/accounts.schema";
import {
  addDomain,
  addMemberByEmail,
  getAccountPage,
  removeDomain,
  removeMember,
  updateAccount,
  type CommandResult,
} from "../features/accounts/accounts.server";
import { formValues, recordIdSchema } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { can } from "../features/auth/permissions";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("admin.accounts.title");

function parseAccountId(value: string | undefined): number {
  const id = recordIdSchema.safeParse(value);
  if (!id.success) throw new Response("Not found", { status: 404 });
  return id.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "accounts.view");
  const page = await getAccountPage(await getDb(), parseAccountId(params.accountId));
  if (!page) throw new Response("Not found", { status: 404 });
  return json({ ...page, canManage: can(viewer, "accounts.manage") });
}

const SAVED = {
  update: "account",
  addDomain: "domainAdded",
  removeDomain: "domainRemoved",
  addMember: "memberAdded",
  removeMember: "memberRemoved",
} as const satisfies Record<AccountPageAction["intent"], string>;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "accounts.manage");
  const accountId = parseAccountId(params.accountId);
  const formData = await request.formData();
  const submission = parseForm(formData, accountPageActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const db = await getDb();
  let result: CommandResult;
  switch (command.intent) {
    case "update":
      result = await updateAccount(db, actor, accountId, command.input);
      break;
    case "addDomain":
      result = await addDomain(db, actor, accountId, command.domain);
      break;
    case "removeDomain":
      result = await removeDomain(db, actor, accountId, command.domain);
      break;
    case "addMember":
      result = await addMemberByEmail(db, actor, accountId, command.email);
      break;
    case "removeMember":
      result = await removeMember(db, actor, accountId, command.userId);
      break;
  }
  if (!result.ok) {
    if ("fieldErrors" in result) return invalidForm(result.fieldErrors, formValues(formData));
    throw new Response(result.reason === "forbidden" ? "Forbidden" : "Not found", { status: result.reason === "forbidden" ? 403 : 404 });
  }
  return redirect(`/admin/accounts/${accountId}?saved=${SAVED[command.intent]}`);
}

const SAVED_MESSAGES = {
  created: "admin.accounts.saved.created",
  account: "admin.accounts.saved.account",
  domainAdded: "admin.accounts.saved.domainAdded",
  domainRemoved: "admin.accounts.saved.domainRemoved",
  memberAdded: "admin.accounts.saved.memberAdded",
  memberRemoved: "admin.accounts.saved.memberRemoved",
} as const;

export default function AdminAccount() {
  const t = useT();
  const { dateTime, date } = useFormatDateTime();
  const { account, staff, canManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const stateFor = (intent: AccountPageAction["intent"]): FormState | undefined => (actionData?.values?.intent === intent ? actionData : undefined);
  return (
    <section aria-labelledby="account-title">
      <p>
        <Link to="/admin/accounts">{t("admin.accounts.back")}</Link>
      </p>
      <h1 id="account-title">{account.name}</h1>
      <SavedNotice messages={SAVED_MESSAGES} />
      <dl className="facts">
        <dt>{t("admin.accounts.createdAt")}</dt>
        <dd>{dateTime(account.createdAt)}</dd>
        <dt>{t("admin.accounts.updatedAt")}</dt>
        <dd>{dateTime(account.updatedAt)}</dd>
      </dl>

      <section className="section" aria-labelledby="account-details">
        <h2 id="account-details">{t("admin.accounts.details")}</h2>
        {canManage ? (
          <Form method="post" className="stack" noValidate>
            <FormErrors state={stateFor("update")} />
            <input type="hidden" name="intent" value="update" />
            <AccountFields state={stateFor("update")} account={account} staff={staff} />
            <button type="submit" className="button" disabled={busy}>
              {t("form.save")}
            </button>
          </Form>
        ) : (
          <dl className="facts">
            <dt>{t("admin.accounts.crmExternalId")}</dt>
            <dd>{account.crmExternalId ?? t("admin.none")}</dd>
            <dt>{t("admin.accounts.tier")}</dt>
            <dd>{t(`tier.${account.tier}`)}</dd>
            <dt>{t("admin.accounts.owner")}</dt>
            <dd>{account.ownerName ?? t("admin.none")}</dd>
          </dl>
        )}
      </section>

      <section className="section" aria-labelledby="account-domains">
        <h2 id="account-domains">{t("admin.accounts.domains")}</h2>
        <p className="muted">{t("admin.accounts.domainsHint")}</p>
        {account.domains.length === 0 ? (
          <p>{t("admin.accounts.noDomains")}</p>
        ) : (
          <ul>
            {account.domains.map((d) => (
              <li key={d.domain}>
                <code>{d.domain}</code>{" "}
                {canManage ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="removeDomain" />
                    <input type="hidden" name="domain" value={d.domain} />
                    <button type="submit" className="link-button" disabled={busy}>
                      <span aria-hidden="true">{t("admin.accounts.removeDomain")}</span>
                      <span className="visually-hidden">{t("admin.accounts.removeDomainLabel", { domain: d.domain })}</span>
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {canManage ? (
          <Form method="post" className="stack" noValidate>
            <FormErrors state={stateFor("addDomain")} />
            <input type="hidden" name="intent" value="addDomain" />
            <TextField name="domain" label={t("admin.accounts.domain")} required maxLength={253} autoComplete="off" spellCheck={false} state={stateFor("addDomain")} />
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t("admin.accounts.addDomain")}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="section" aria-labelledby="account-members">
        <h2 id="account-members">
          {t("admin.accounts.members")} <span className="badge">{t("admin.accounts.memberCount", { count: account.memberCount })}</span>
        </h2>
        {account.members.length === 0 ? (
          <p>{t("admin.accounts.noMembers")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">{t("admin.accounts.members")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("admin.users.col.name")}</th>
                  <th scope="col">{t("admin.users.col.email")}</th>
                  <th scope="col">{t("admin.users.role")}</th>
                  <th scope="col">{t("admin.accounts.col.source")}</th>
                  <th scope="col">{t("admin.accounts.col.joinedAt")}</th>
                  {canManage ? (
                    <th scope="col">
                      <span className="visually-hidden">{t("admin.col.actions")}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {account.members.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">
                      <Link to={`/admin/users/${m.id}`}>{m.displayName}</Link>
                    </th>
                    <td>{m.email}</td>
                    <td>{t(`role.${m.role}`)}</td>
                    <td>
                      {t(`admin.membership.source.${m.source}`)}
                      {m.isStaffOverride ? (
                        <>
                          {" "}
                          <span className="badge">{t("admin.membership.pinned")}</span>
                        </>
                      ) : null}
                    </td>
                    <td>{date(m.joinedAt)}</td>
                    {canManage ? (
                      <td>
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="removeMember" />
                          <input type="hidden" name="userId" value={m.id} />
                          <button type="submit" className="link-button" disabled={busy}>
                            <span aria-hidden="true">{t("admin.accounts.removeMember")}</span>
                            <span className="visually-hidden">{t("admin.accounts.removeMemberLabel", { name: m.displayName })}</span>
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {account.memberCount > account.members.length ? (
          <p className="muted">{t("admin.accounts.membersTruncated", { shown: account.members.length, count: account.memberCount })}</p>
        ) : null}
        {canManage ? (
          <Form method="post" className="stack" noValidate>
            <FormErrors state={stateFor("addMember")} />
            <input type="hidden" name="intent" value="addMember" />
            <TextField
              name="email"
              type="email"
              label={t("admin.accounts.memberEmail")}
              hint={t("admin.accounts.memberEmailHint")}
              required
              maxLength={254}
              autoComplete="off"
              state={stateFor("addMember")}
            />
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t("admin.accounts.addMember")}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="section" aria-labelledby="account-history">
        <h2 id="account-history">{t("admin.accounts.history")}</h2>
        {account.history.length === 0 ? (
          <p>{t("admin.accounts.historyEmpty")}</p>
        ) : (
          <>
            <p className="muted">{t("admin.accounts.historyHint", { count: ACCOUNT_HISTORY_LIMIT })}</p>
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">{t("admin.accounts.history")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("admin.accounts.col.when")}</th>
                    <th scope="col">{t("admin.accounts.col.person")}</th>
                    <th scope="col">{t("admin.accounts.col.change")}</th>
                    <th scope="col">{t("admin.accounts.col.source")}</th>
                    <th scope="col">{t("admin.accounts.col.by")}</th>
                  </tr>
                </thead>
                <tbody>
                  {account.history.map((h) => (
                    <tr key={h.id}>
                      <td>{dateTime(h.at)}</td>
                      <td>
                        <Link to={`/admin/users/${h.userId}`}>{h.userName}</Link>
                      </td>
                      <td>
                        <span className={h.change === "joined" ? "badge badge-ok" : "badge"}>{t(`admin.membership.change.${h.change}`)}</span>
                      </td>
                      <td>{t(`admin.membership.source.${h.source}`)}</td>
                      <td>{h.actorName ?? t("admin.membership.automatic")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </section>
  );
}
