import { describe, expect, it } from "vitest";
import { ConfigError, describeDatabaseUrl, loadConfig } from "../../app/platform/config.server";

const base = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret" };

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("names the missing secret", () => {
    const error = errorOf({ NODE_ENV: "production", SHOPIFY_API_KEY: "key", SHOPIFY_APP_URL: "https://a.example" });
    expect(error.variable).toBe("SHOPIFY_API_SECRET");
    expect(error.message).toMatch(/^SHOPIFY_API_SECRET: is not set/);
  });

  it("rejects a malformed DATABASE_URL without echoing credentials", () => {
    const error = errorOf({ ...base, DATABASE_URL: "mysql://user:hunter2@db/x" });
    expect(error.variable).toBe("DATABASE_URL");
    expect(error.message).not.toContain("hunter2");
    expect(errorOf({ ...base, DATABASE_URL: "not a url" }).variable).toBe("DATABASE_URL");
  });

  it("requires an https app URL in production", () => {
    expect(errorOf({ ...base, NODE_ENV: "production", SHOPIFY_APP_URL: "http://a.example" }).variable).toBe(
      "SHOPIFY_APP_URL",
    );
    expect(errorOf({ ...base, NODE_ENV: "production" }).variable).toBe("SHOPIFY_APP_URL");
  });

  it("rejects a bad port and unknown scopes", () => {
    expect(errorOf({ ...base, PORT: "http" }).variable).toBe("PORT");
    expect(errorOf({ ...base, PORT: "70000" }).variable).toBe("PORT");
    expect(errorOf({ ...base, SCOPES: "read_orders,drop_tables!" }).variable).toBe("SCOPES");
    expect(errorOf({ ...base, COMEBACK_DB_PORT: "0" }).variable).toBe("COMEBACK_DB_PORT");
  });

  it("uses the embedded database when DATABASE_URL is unset, and defaults sensibly", () => {
    const config = loadConfig({ ...base, SCOPES: "read_orders, write_discounts" });
    expect(config.databaseUrl).toBeNull();
    expect(config.embeddedDatabasePort).toBeNull();
    expect(loadConfig({ ...base, COMEBACK_DB_PORT: "55432" }).embeddedDatabasePort).toBe(55432);
    expect(config.port).toBe(3000);
    expect(config.scopes).toEqual(["read_orders", "write_discounts"]);
    expect(config.appUrl).toBe("http://localhost:3000");
    expect(config.production).toBe(false);
  });

  it("accepts postgres:// and postgresql:// URLs", () => {
    expect(loadConfig({ ...base, DATABASE_URL: "postgres://u@127.0.0.1:5432/db" }).databaseUrl).toBe(
      "postgres://u@127.0.0.1:5432/db",
    );
    expect(loadConfig({ ...base, DATABASE_URL: "postgresql://h/db" }).databaseUrl).toBe("postgresql://h/db");
  });

  it("redacts passwords when describing a database", () => {
    expect(describeDatabaseUrl("postgres://u:pw@h:5432/db")).toBe("postgres://u:***@h:5432/db");
  });
});
