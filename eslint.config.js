import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "app/generated/**",
      "app/types/**",
      ".data/**",
      "extensions/*/dist/**",
      "extensions/*/assets/*.js",
      "public/build/**",
      "coverage/**",
      ".scratch/**",
      "test-artifacts/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "error",
    },
  },
  {
    // Configuration is read once, in platform/config.server.ts, and handed to the app.
    files: ["app/**"],
    ignores: ["app/platform/**"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read configuration through platform/runtime.server.ts (appConfig()).",
        },
      ],
    },
  },
  {
    // Routes are HTTP only: they hand the database to services and never query it themselves.
    files: ["app/routes/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='prisma']",
          message: "Routes call services (app/services) with `prisma`; they do not query it.",
        },
      ],
    },
  },
  {
    files: ["scripts/**", "tests/**", "bench/**"],
    rules: { "no-console": "off" },
  },
);
