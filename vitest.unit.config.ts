import { globSync, readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// `npm run test:unit`: the fast loop. Every test that needs no production build (domain
// rules, services against PostgreSQL, the Shopify layer against the stand-in, extensions),
// so a change can be checked quickly without `npm run build`. Files that start the built
// server (import tests/support/app or tests/support/server) and browser tests (*.browser.test)
// are left to `npm test`.
const needsBuild = (file: string) =>
  file.includes(".browser.test.") || /from "\.\.\/support\/(app|server)"/.test(readFileSync(file, "utf8"));
const include = base.test?.include ?? [];

export default defineConfig({
  test: {
    ...base.test,
    exclude: ["node_modules/**", ...include.flatMap((pattern) => globSync(pattern)).filter(needsBuild)],
  },
});
