import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { openDb, type DbHandle } from "../../db/client";

/**
 * Shared by the bench:* scripts: a scale data set in its own data directory, the production server
 * started on it, and autocannon runs reported as req/s and latency percentiles.
 */

export const BENCH_DATA_DIR = path.resolve(process.env.BENCH_DATA_DIR ?? "data/bench-scale");

/**
 * Set to run on a Postgres server instead of embedded PGlite (the production path), e.g.
 * BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench. The database must exist; its data
 * set is generated once, like the embedded one (the marker file stays in BENCH_DATA_DIR).
 */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "";

export function openBenchDb(): Promise<DbHandle> {
  return BENCH_DATABASE_URL ? openDb({ databaseUrl: BENCH_DATABASE_URL, maxConnections: 4 }) : openDb({ dataDir: BENCH_DATA_DIR });
}

export function benchDatabaseLabel(): string {
  return BENCH_DATABASE_URL ? "Postgres server" : "embedded PGlite";
}

/** Generates the seed:scale default data set once; later runs reuse it. */
export function ensureScaleData(extraArgs: string[] = []): void {
  const marker = path.join(BENCH_DATA_DIR, BENCH_DATABASE_URL ? "scale-generated-server.json" : "scale-generated.json");
  const wanted = BENCH_DATABASE_URL ? JSON.stringify({ args: extraArgs, database: BENCH_DATABASE_URL }) : JSON.stringify(extraArgs);
  if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === wanted) return;
  fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
  process.stdout.write(`Generating the scale data set in ${BENCH_DATA_DIR} (once)…\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/seed-scale.ts", "--reset", ...extraArgs], {
    stdio: "inherit",
    env: { ...process.env, DATA_DIR: BENCH_DATA_DIR, DATABASE_URL: BENCH_DATABASE_URL },
  });
  if (result.status !== 0) throw new Error("seed:scale failed");
  fs.writeFileSync(marker, wanted);
}

export interface RunningServer {
  url: string;
  readyMs: number;
  stop(): Promise<void>;
}

export async function startBenchServer(port: number): Promise<RunningServer> {
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: url,
      DATA_DIR: BENCH_DATA_DIR,
      DATABASE_URL: BENCH_DATABASE_URL,
      SEED_DEMO: "never",
      // Request logs go to stdout, which is discarded here; warn keeps pino from formatting them at all.
      LOG_LEVEL: "warn",
      RATE_LIMIT_DISABLED: "true",
      NODE_ENV: "production",
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (;;) {
    if (child.exitCode !== null) throw new Error("the server exited during start-up");
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const readyMs = Math.round(performance.now() - started);
  return {
    url,
    readyMs,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Signs in through the real form and returns the session cookie. */
export async function signInCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, redirectTo: "/" }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`sign-in as ${email} failed (${res.status})`);
  return cookie;
}

export interface LoadResult {
  name: string;
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function load(
  name: string,
  url: string,
  connections: number,
  durationSeconds: number,
  headers: Record<string, string> = {},
  /** Paths to cycle through, so a run is not one cached row read over and over. */
  paths?: readonly string[],
): Promise<LoadResult> {
  let next = 0;
  const requests = paths?.length ? [{ setupRequest: (request: { path?: string }) => ({ ...request, path: paths[next++ % paths.length] }) }] : undefined;
  const result = await autocannon({ url, connections, duration: durationSeconds, headers, pipelining: 1, requests });
  const hist = result.latency as unknown as Record<string, number>;
  return {
    name,
    connections,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: hist.p50 ?? NaN,
    p95: percentileFromSummary(hist, 95),
    p99: hist.p99 ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** autocannon exposes p90 and p97.5 but not p95; interpolate linearly between them. */
function percentileFromSummary(hist: Record<string, number>, _p: 95): number {
  const p90 = hist.p90 ?? NaN;
  const p975 = hist.p97_5 ?? NaN;
  return Math.round((p90 + ((95 - 90) / (97.5 - 90)) * (p975 - p90)) * 10) / 10;
}

export function printTable(rows: LoadResult[]): void {
  const header = ["target", "conns", "req/s", "p50 ms", "p95 ms", "p99 ms", "non-2xx", "errors"];
  const lines = rows.map((r) => [r.name, r.connections, r.rps, r.p50, r.p95, r.p99, r.non2xx, r.errors].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  process.stdout.write(`${fmt(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${lines.map(fmt).join("\n")}\n`);
}

export function saveResults(name: string, data: unknown): string {
  const dir = path.resolve("bench-results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
