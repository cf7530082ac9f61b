import path from "node:path";

export const PGLITE_TEMPLATE_PATH = path.resolve("node_modules/.cache/hearth-test/pglite-template.tar");
export const TEMPLATE_DB_NAME = "hearth_test_template";

export function serverUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
