import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { endSession } from "../features/auth/session.server";

export async function action({ context }: ActionFunctionArgs) {
  const setCookie = await endSession(await getDb(), context.sessionId);
  return redirect("/", { headers: { "Set-Cookie": setCookie } });
}

// Signing out changes state, so it is a POST only; a visit to /logout just goes home.
export function loader() {
  return redirect("/");
}
