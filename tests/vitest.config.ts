import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");
const alias = { "~": path.join(root, "app") };
const shared = {
  root,
  globalSetup: ["tests/support/global-setup.ts"],
  setupFiles: ["tests/support/setup-file.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

// Integration tests run on embedded PGlite always, and again on a Postgres server when TEST_DATABASE_URL is set.
const onServer = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  resolve: { alias },
  test: {
    ...shared,
    env: { NODE_ENV: "test" as const, LOG_LEVEL: "silent" },
    projects: [
      {
        resolve: { alias },
        test: {
          ...shared,
          name: "pglite",
          include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
          env: { NODE_ENV: "test" as const, LOG_LEVEL: "silent", TEST_DB_KIND: "pglite" },
        },
      },
      ...(onServer
        ? [
            {
              resolve: { alias },
              test: {
                ...shared,
                name: "postgres",
                include: ["tests/integration/**/*.test.ts"],
                env: { NODE_ENV: "test" as const, LOG_LEVEL: "silent", TEST_DB_KIND: "postgres" },
              },
            },
          ]
        : []),
    ],
  },
});
