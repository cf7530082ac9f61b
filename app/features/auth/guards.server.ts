import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { can, type Permission, type SessionUser, type TargetUser } from "./permissions";

/** Throws a redirect to sign-in (coming back here afterwards) when nobody is signed in. */
export function requireUser(context: AppLoadContext, request: Request): SessionUser {
  if (context.user) return context.user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/** Signed-in and allowed, or a 403 (after sign-in) that the error boundary renders. */
export function requirePermission(
  context: AppLoadContext,
  request: Request,
  permission: Permission,
  target?: TargetUser,
): SessionUser {
  const user = requireUser(context, request);
  if (!can(user, permission, target)) throw new Response("Forbidden", { status: 403 });
  return user;
}

/** A path on this site to return to after sign-in; anything else falls back to the home page. */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return fallback;
  }
  return value;
}
