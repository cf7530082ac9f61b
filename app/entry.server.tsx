import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import type { HearthContext } from "./context";
import { getDb } from "./db.server";
import { authenticateRequest } from "./features/auth/session.server";
import { resolveLocale, resolveTimeZone } from "./features/i18n/locale";
import { NonceProvider } from "./components/nonce";
import { getLogger } from "./logger.server";

// The HTTP server (scripts/server.ts) reaches the app only through these exports of the server build,
// so there is exactly one copy of the app's modules (and one database handle) per process.
export { bootApp, shutdownApp } from "./boot.server";

const ABORT_DELAY = 5_000;

/** Runs once per request before any loader or action: the session is read here, once. */
export async function createLoadContext(req: ExpressRequest, res: ExpressResponse): Promise<HearthContext> {
  const cookie = req.headers.cookie ?? null;
  const requestId = String(res.locals.requestId ?? "");
  const logger = getLogger().child({ requestId });
  const auth = cookie?.includes("hearth_session=")
    ? await authenticateRequest(await getDb(), cookie)
    : { user: null, sessionId: null, setCookie: null };
  if (auth.setCookie) res.append("Set-Cookie", auth.setCookie);
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
  getLogger().error({ err: error, url: request.url }, "unhandled error");
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) getLogger().error({ err: error }, "render error");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
