import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { saveResults } from "./bench/harness";

/**
 * npm run bench:startup
 * Times `npm start` as a user runs it: first on a fresh clone (no build, empty embedded database:
 * build + migrate + demo seed), then again on the existing build and database.
 * Targets (issue 2): first start < 90 s; later starts ready in < 3 s.
 */
const port = 3191;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-startup-"));

async function timeStart(label: string): Promise<number> {
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" },
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label}: npm start exited`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const ms = Math.round(performance.now() - started);
  process.kill(-child.pid!, "SIGTERM");
  await exited;
  await new Promise((r) => setTimeout(r, 500));
  process.stdout.write(`${label}: home page served ${ms} ms after \`npm start\`\n`);
  return ms;
}

try {
  fs.rmSync("build", { recursive: true, force: true });
  fs.rmSync("public/build", { recursive: true, force: true });
  const firstMs = await timeStart("first start (build + migrate + demo seed)");
  const warm = [];
  for (let i = 0; i < 3; i++) warm.push(await timeStart(`start on existing build and database #${i + 1}`));
  const file = saveResults("startup", { at: new Date().toISOString(), firstMs, warmMs: warm });
  process.stdout.write(`first start ${(firstMs / 1000).toFixed(1)} s (target < 90 s); later starts ${warm.join(", ")} ms (target < 3000 ms)\nSaved ${file}\n`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
