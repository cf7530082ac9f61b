import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuild } from "./build-if-needed";

/**
 * The browser suite: Playwright drives Debian's Chromium against the production build on a fresh
 * embedded database. Locally it is skipped (loudly) when no Chromium is installed; in CI
 * (CI=true or REQUIRE_BROWSER=1) a missing browser is a failure.
 */
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const required = process.env.CI === "true" || process.env.REQUIRE_BROWSER === "1";

if (!fs.existsSync(chromium)) {
  const banner = [
    "",
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    `!!  BROWSER TESTS SKIPPED: no Chromium at ${chromium}`,
    "!!  Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.",
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "",
  ].join("\n");
  process.stderr.write(banner);
  process.exit(required ? 1 : 0);
}

ensureBuild();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-e2e-"));
try {
  const result = spawnSync(
    process.execPath,
    [path.resolve("node_modules/@playwright/test/cli.js"), "test", "--config", "tests/e2e/playwright.config.ts", ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: chromium, E2E_DATA_DIR: dataDir } },
  );
  process.exitCode = result.status ?? 1;
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
