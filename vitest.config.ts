import { defineConfig } from "vitest/config";

// Every test file gets its own database, cloned from a migrated template on the run's
// PostgreSQL server (TEST_DATABASE_URL, DATABASE_URL, or an embedded one started by the
// global setup), so files run in parallel.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx", "app/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    // Memory tests (streamed imports and exports) measure live heap after a collection.
    execArgv: ["--expose-gc"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: process.env.LOG_LEVEL || "silent",
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: "test-api-secret",
      SHOPIFY_APP_URL: "https://comeback.test",
      SCOPES: "read_customers,write_customers,read_orders,write_discounts",
    },
  },
});
