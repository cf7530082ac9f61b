/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Server code lives beside the routes (app/features) and in db/ and search/; all of it is bundled.
  watchPaths: ["./db/**/*.ts", "./search/**/*.ts"],
};
