import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const BUILD_FILE = path.resolve("build/server/index.js");
const SOURCE_DIRS = ["app", "db", "search", "public"];

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.resolve("public/build")) walk(full);
      } else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.resolve(dir));
  return newest;
}

/**
 * Builds the production bundle when there is none or the sources are newer, so `npm start` and the
 * browser tests never serve a stale (or `remix dev`) build.
 */
export function ensureBuild(): void {
  const stale = !fs.existsSync(BUILD_FILE) || fs.statSync(BUILD_FILE).mtimeMs < newestSourceMtime();
  if (!stale) return;
  process.stdout.write("Building Hearth (no build yet, or sources changed)…\n");
  const result = spawnSync(process.execPath, [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
