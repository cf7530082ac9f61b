import os from "node:os";
import { parseArgs } from "node:util";
import { z } from "zod";
import { SCALE_PASSWORD, scaleMemberEmail } from "../db/scale";
import { ensureBuild } from "./build-if-needed";
import { ensureScaleData, load, printTable, saveResults, signInCookie, startBenchServer, type LoadResult } from "./bench/harness";

/**
 * npm run bench:http [-- --duration 10]
 * The home page (anonymous and signed in) against a bare Remix route that renders static markup (the
 * ceiling), at 10 and 50 connections, on the seed:scale default data set, production build.
 * Targets (issue 2): home ≥ 60% of the ceiling's throughput, p95 < 50 ms at 50 connections.
 */
const { values } = parseArgs({ options: { duration: { type: "string" }, port: { type: "string" } } });
const args = z
  .object({ duration: z.coerce.number().int().min(1).max(120).default(10), port: z.coerce.number().int().min(1024).max(65535).default(3190) })
  .parse(values);

ensureScaleData();
ensureBuild();
const server = await startBenchServer(args.port);
process.stdout.write(`Server ready in ${server.readyMs} ms (existing build and database)\n`);
try {
  const cookie = await signInCookie(server.url, scaleMemberEmail(1, 1), SCALE_PASSWORD);
  // Warm up caches and the JIT before measuring.
  await load("warm-up", `${server.url}/`, 10, 2);
  await load("warm-up", `${server.url}/`, 10, 2, { cookie });

  const rows: LoadResult[] = [];
  for (const connections of [10, 50]) {
    rows.push(await load("ceiling (bare Remix route)", `${server.url}/bench/ceiling`, connections, args.duration));
    rows.push(await load("home, anonymous", `${server.url}/`, connections, args.duration));
    rows.push(await load("home, signed in", `${server.url}/`, connections, args.duration, { cookie }));
  }
  printTable(rows);
  const at50 = rows.filter((r) => r.connections === 50);
  const ceiling = at50.find((r) => r.name.startsWith("ceiling"))!;
  const verdicts = at50
    .filter((r) => r !== ceiling)
    .map((r) => {
      const share = r.rps / ceiling.rps;
      return `${r.name}: ${(share * 100).toFixed(0)}% of ceiling (target ≥ 60%) ${share >= 0.6 ? "PASS" : "FAIL"}; p95 ${r.p95} ms (target < 50) ${r.p95 < 50 ? "PASS" : "FAIL"}`;
    });
  process.stdout.write(`\nAt 50 connections:\n${verdicts.map((v) => `  ${v}`).join("\n")}\n`);
  const file = saveResults("http", { at: new Date().toISOString(), cpus: os.cpus().length, node: process.version, readyMs: server.readyMs, rows });
  process.stdout.write(`Results saved to ${file}\n`);
} finally {
  await server.stop();
}
