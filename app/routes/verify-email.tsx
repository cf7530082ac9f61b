import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "../components/forms";
import { getDb } from "../db.server";
import { resendVerification, verifyEmail } from "../features/auth/auth.server";
import { requireUser } from "../features/auth/guards.server";
import { useT } from "../features/i18n/use-i18n";

const tokenSchema = z.string().min(20).max(200);

export async function loader({ request }: LoaderFunctionArgs) {
  const token = tokenSchema.safeParse(new URL(request.url).searchParams.get("token"));
  if (!token.success) return json({ ok: false as const, joinedAccount: null }, { status: 400 });
  const result = await verifyEmail(await getDb(), token.data);
  return json({ ok: !!result, joinedAccount: result?.joinedAccount ?? null }, { status: result ? 200 : 400 });
}

/** "Send the link again", from the banner shown to unverified members. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  await resendVerification(await getDb(), user.id);
  return redirect("/?verification=sent");
}

export default function VerifyEmail() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <section className="page narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">{t("auth.verify.title")}</h1>
      {data.ok ? (
        <>
          <Notice kind="success">{t("auth.verify.done")}</Notice>
          {data.joinedAccount ? <p>{t("auth.verify.joined", { account: data.joinedAccount })}</p> : null}
        </>
      ) : (
        <Notice kind="error">{t("auth.verify.invalid")}</Notice>
      )}
      <p>
        <Link to="/">{t("error.backHome")}</Link>
      </p>
    </section>
  );
}
