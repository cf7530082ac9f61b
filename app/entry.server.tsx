import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { renderToString } from "react-dom/server";
import type { HearthContext } from "./context";
import { getDb } from "./db.server";
import { authenticateRequest } from "./features/auth/session.server";
import { resolveLocale, resolveTimeZone } from "./features/i18n/locale";
import { noteMutation } from "./features/cache/content-cache.server";
import { NonceProvider } from "./components/nonce";
import { getLogger } from "./logger.server";
import { cachedRender, renderCacheKey, storeRender } from "./render-cache.server";
import { redactPathSecrets } from "./features/security/http";

// The HTTP server (scripts/server.ts) reaches the app only through these exports of the server build,
// so there is exactly one copy of the app's modules (and one database handle) per process.
export { bootApp, shutdownApp } from "./boot.server";

/** Runs once per request before any loader or action: the session is read here, once. */
export async function createLoadContext(req: ExpressRequest, res: ExpressResponse): Promise<HearthContext> {
  const cookie = req.headers.cookie ?? null;
  const requestId = String(res.locals.requestId ?? "");
  const logger = getLogger().child({ requestId });
  const auth = cookie?.includes("hearth_session=")
    ? await authenticateRequest(await getDb(), cookie)
    : { user: null, sessionId: null, setCookie: null };
  if (auth.setCookie) res.append("Set-Cookie", auth.setCookie);
  // Whatever this request changed shows on this process's next page view, not after the cache's check interval.
  if (req.method !== "GET" && req.method !== "HEAD") res.once("finish", noteMutation);
  return {
    user: auth.user,
    sessionId: auth.sessionId,
    locale: resolveLocale({ cookie, acceptLanguage: req.headers["accept-language"] ?? null }, auth.user?.locale),
    timeZone: resolveTimeZone(cookie, auth.user?.timeZone),
    cspNonce: String(res.locals.cspNonce ?? ""),
    requestId,
    clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
    logger,
  };
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  // Responses thrown on purpose (404, 403, redirects) are not errors.
  if (error instanceof Response) return;
  getLogger().error({ err: error, url: redactPathSecrets(request.url) }, "unhandled error");
};

/**
 * Pages render to a string, not a stream: no route uses `defer`, and for small pages the stream
 * plumbing cost more than the render itself (measured with bench:http).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  const handlerContext = remixContext.staticHandlerContext;
  const cacheable = request.method === "GET" && !loadContext.user && responseStatusCode === 200 && !handlerContext.errors && !handlerContext.actionData;
  const cacheKey = cacheable ? renderCacheKey(request.url, handlerContext.loaderData) : null;
  const cached = cacheKey ? cachedRender(cacheKey, nonce) : null;
  if (cached) return new Response(cached, { headers: responseHeaders, status: responseStatusCode });
  const markup = renderToString(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceProvider>,
  );
  const html = `<!DOCTYPE html>${markup}`;
  if (cacheKey) storeRender(cacheKey, html, nonce);
  return new Response(html, { headers: responseHeaders, status: responseStatusCode });
}
