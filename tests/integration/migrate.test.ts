import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { DataDirLockedError, openDb, queryRows } from "../../db/client";
import { migrationsFolder, runMigrations } from "../../db/migrate";
import { serverUrlFor } from "../support/paths";
import { testDbKind } from "../support/db";

const migrationCount = (JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;

describe.runIf(testDbKind() === "postgres")("migrations on a server", () => {
  it("apply once when several app processes start at the same moment", async () => {
    const serverUrl = process.env.TEST_DATABASE_URL!;
    const name = `hearth_test_migrate_${crypto.randomBytes(4).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = serverUrlFor(serverUrl, name);
    const handles = await Promise.all([1, 2, 3].map(() => openDb({ databaseUrl: url, maxConnections: 2 })));
    try {
      await Promise.all(handles.map((h) => runMigrations(h, url)));
      const [applied] = await queryRows<{ n: number }>(handles[0]!.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied!.n).toBe(migrationCount);
      const [users] = await queryRows<{ n: number }>(handles[0]!.db, sql`select count(*)::int as n from users`);
      expect(users!.n).toBe(0);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe.runIf(testDbKind() === "pglite")("the embedded database directory", () => {
  it("refuses a second opener with a clear message instead of sharing the files", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-lock-"));
    const first = await openDb({ dataDir });
    try {
      // A live process holds the lock: pretend it is another one by writing our parent's pid.
      fs.writeFileSync(path.join(dataDir, "hearth.lock"), String(process.ppid));
      await expect(openDb({ dataDir })).rejects.toThrow(DataDirLockedError);
      await expect(openDb({ dataDir })).rejects.toThrow(/in use by another Hearth process.*DATABASE_URL/s);
    } finally {
      fs.writeFileSync(path.join(dataDir, "hearth.lock"), String(process.pid));
      await first.close();
    }
    expect(fs.existsSync(path.join(dataDir, "hearth.lock"))).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("takes over a lock left by a process that no longer exists", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-stale-"));
    fs.writeFileSync(path.join(dataDir, "hearth.lock"), "999999");
    const handle = await openDb({ dataDir });
    expect(fs.readFileSync(path.join(dataDir, "hearth.lock"), "utf8")).toBe(String(process.pid));
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
