import { defineConfig } from "vitest/config";

// With a PostgreSQL server (TEST_DATABASE_URL or DATABASE_URL) every test file gets its
// own database cloned from a migrated template, so files run in parallel. With the
// embedded PostgreSQL there is one database, so files run one at a time.
const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx", "app/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    fileParallelism: Boolean(serverUrl),
    pool: "forks",
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
