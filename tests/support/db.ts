import crypto from "node:crypto";
import fs from "node:fs";
import postgres from "postgres";
import { openDb, type DbHandle } from "../../db/client";
import { inject } from "vitest";
import { serverUrlFor } from "./paths";

export type TestDbKind = "pglite" | "postgres";

export function testDbKind(): TestDbKind {
  return process.env.TEST_DB_KIND === "postgres" ? "postgres" : "pglite";
}

/**
 * A fresh, migrated, empty database for one test file: PGlite in memory by default, or a database
 * cloned from the migrated template on the server when the file runs in the "postgres" project.
 */
export async function createTestDb(): Promise<DbHandle & { url?: string }> {
  if (testDbKind() === "pglite") {
    const dump = fs.readFileSync(inject("pgliteTemplatePath"));
    return openDb({ memory: true, loadDataDir: new Blob([dump]) });
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DB_KIND=postgres needs TEST_DATABASE_URL");
  const name = `hearth_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject("serverTemplateDb")}`);
  } finally {
    await admin.end();
  }
  const url = serverUrlFor(serverUrl, name);
  const handle = await openDb({ databaseUrl: url, maxConnections: 20 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
