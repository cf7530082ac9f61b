import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { openDb } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { PGLITE_TEMPLATE_PATH, TEMPLATE_DB_NAME, serverUrlFor } from "./paths";

/**
 * Migrates once per run and keeps the result as a template: a PGlite data-dir dump, and on the
 * server a template database. Each test file then clones it in about a second.
 */
export default async function setup(): Promise<void> {
  fs.mkdirSync(path.dirname(PGLITE_TEMPLATE_PATH), { recursive: true });
  const handle = await openDb({ memory: true });
  try {
    await runMigrations(handle);
    const dump = await handle.pglite!.dumpDataDir("none");
    fs.writeFileSync(PGLITE_TEMPLATE_PATH, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await handle.close();
  }

  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB_NAME} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB_NAME}`);
  } finally {
    await admin.end();
  }
  const templateUrl = serverUrlFor(serverUrl, TEMPLATE_DB_NAME);
  const template = await openDb({ databaseUrl: templateUrl, maxConnections: 1 });
  try {
    await runMigrations(template, templateUrl);
  } finally {
    await template.close();
  }
}
