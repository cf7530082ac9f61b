import crypto from "node:crypto";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type * as HearthEntryModule from "../app/entry.server";
import { isSameOriginRequest, redactPathSecrets, securityHeaders } from "../app/features/security/http";

/**
 * The production HTTP server: Express around the Remix build, with request ids, security headers,
 * the same-origin check for every mutation, and a graceful shutdown that closes the database.
 * The app itself is reached only through the build (see app/entry.server.tsx), so the process holds
 * exactly one copy of it.
 */
type HearthEntry = typeof HearthEntryModule;

export async function startServer(options: { quiet?: boolean } = {}) {
  const started = performance.now();
  // React and other libraries choose their production builds from NODE_ENV when first loaded (by the
  // build import below); a plain `npm start` must not serve React's much slower development build.
  process.env.NODE_ENV ??= "production";
  const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
  const entry = build.entry.module as unknown as HearthEntry;
  const { getEnv } = await import("../app/env.server");
  const env = getEnv();
  const boot = await entry.bootApp();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);
  const isHttps = env.APP_URL.startsWith("https:");

  app.use((req, res, next) => {
    res.locals.requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || crypto.randomUUID();
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    res.setHeader("X-Request-Id", res.locals.requestId as string);
    for (const [name, value] of Object.entries(securityHeaders(res.locals.cspNonce as string, isHttps, req.path))) res.setHeader(name, value);
    next();
  });
  app.use(compression());
  // Fingerprinted assets can be cached forever; everything else in public/ for an hour.
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));

  app.use((req, res, next) => {
    const ok = isSameOriginRequest({
      method: req.method,
      origin: req.headers.origin,
      referer: req.headers.referer,
      host: req.headers.host,
      appUrl: env.APP_URL,
      hasBearerToken: /^Bearer\s/i.test(req.headers.authorization ?? ""),
    });
    if (ok) return next();
    res.status(403).type("text/plain").send("Cross-origin request refused.");
  });

  const { getLogger } = await import("../app/logger.server");
  const logger = getLogger();
  app.use((req, res, next) => {
    const t0 = performance.now();
    res.on("finish", () => {
      logger.info(
        { requestId: res.locals.requestId, method: req.method, path: redactPathSecrets(req.path), status: res.statusCode, ms: Math.round(performance.now() - t0) },
        "request",
      );
    });
    next();
  });

  app.all("*", createRequestHandler({ build, mode: "production", getLoadContext: ((req: express.Request, res: express.Response) => entry.createLoadContext(req, res)) as never }));

  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(env.PORT, env.HOST, () => resolve(s));
  });
  const readyMs = Math.round(performance.now() - started);

  if (!options.quiet) {
    const lines = [
      `Hearth is running at ${env.APP_URL} (${boot.databaseKind === "pglite" ? `embedded database in ${env.DATA_DIR}` : "Postgres server"}; ready in ${readyMs} ms)`,
    ];
    if (boot.databaseKind === "pglite") {
      lines.push(`Demo sign-ins (password "${boot.demoPassword}")${boot.seeded ? ", seeded just now" : ""}:`);
      for (const login of boot.demoLogins) lines.push(`  ${login.role.padEnd(10)} ${login.email}`);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await entry.shutdownApp();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  return { server, readyMs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  startServer().catch((error: unknown) => {
    process.stderr.write(`Hearth could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
