import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDb } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { serverUrlFor } from "./paths";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
    serverTemplateDb: string;
  }
}

/**
 * Migrates once per run and project and keeps the result as a template: a PGlite data-dir dump, or on
 * the server a template database. Each test file then clones it in about a second. Names carry the
 * pid, so two runs on one machine never trample each other's templates.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const onServer = project.config.name === "postgres";
  const tag = `${process.pid}_${onServer ? "pg" : "lite"}`;

  if (!onServer) {
    const dumpPath = path.resolve(`node_modules/.cache/hearth-test/pglite-template-${tag}.tar`);
    fs.mkdirSync(path.dirname(dumpPath), { recursive: true });
    const handle = await openDb({ memory: true });
    try {
      await runMigrations(handle);
      const dump = await handle.pglite!.dumpDataDir("none");
      fs.writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await handle.close();
    }
    project.provide("pgliteTemplatePath", dumpPath);
    project.provide("serverTemplateDb", "");
    return async () => fs.rmSync(dumpPath, { force: true });
  }

  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("the postgres test project needs TEST_DATABASE_URL");
  const templateDb = `hearth_test_tpl_${tag}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${templateDb} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${templateDb}`);
  } finally {
    await admin.end();
  }
  const templateUrl = serverUrlFor(serverUrl, templateDb);
  const template = await openDb({ databaseUrl: templateUrl, maxConnections: 1 });
  try {
    await runMigrations(template, templateUrl);
  } finally {
    await template.close();
  }
  project.provide("pgliteTemplatePath", "");
  project.provide("serverTemplateDb", templateDb);
  return async () => {
    const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${templateDb} WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  };
}
