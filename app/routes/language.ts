import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { LOCALES } from "../features/i18n/locale";
import { setUserLocale } from "../features/auth/auth.server";
import { safeRedirectPath } from "../features/auth/guards.server";
import { getDb } from "../db.server";
import { LOCALE_COOKIE } from "../features/i18n/locale";

const schema = z.object({ locale: z.enum(LOCALES), redirectTo: z.string().max(2000).optional() });

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Unknown language", { status: 400 });
  if (context.user) await setUserLocale(await getDb(), context.user.id, parsed.data.locale);
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { "Set-Cookie": `${LOCALE_COOKIE}=${parsed.data.locale}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` },
  });
}

export function loader() {
  return redirect("/");
}
