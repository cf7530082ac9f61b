import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "data/**", "test-results/**", "playwright-report/**", "tests/artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-console": ["error", { allow: ["warn", "error"] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/db/schema", "**/db/schema/*", "**/db/client", "**/db/migrate"], message: "Routes and components call feature functions; they do not touch db/ directly.", allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    // Only routes and components are held to the layering rule; features, db, scripts and tests may use db/.
    files: ["app/features/**", "app/*.server.ts", "app/context.ts", "app/entry.server.tsx", "app/components/root-data.ts", "db/**", "search/**", "scripts/**", "tests/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["scripts/**", "tests/**", "db/seed.ts", "db/scale.ts"],
    rules: { "no-console": "off" },
  },
);
