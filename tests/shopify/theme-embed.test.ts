import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GraphqlQueryError } from "@shopify/shopify-api";
import { createAdminClient, fromAuthenticatedAdmin } from "../../app/shopify/admin-api.server";
import { checkThemeEmbed, forgetThemeEmbeds, MAIN_THEME_SETTINGS } from "../../app/shopify/theme-embed.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { themeSettingsData } from "../../scripts/shopify-standin/theme";

/**
 * Whether the launcher is on in the live theme, read from the Admin API stand-in as the
 * home page reads it: one `themes` query, a short time limit, and "unknown" (with why)
 * whenever Shopify refuses or does not answer in time, never an error.
 */

let standin: AdminStandin;
const client = (timeoutMs = 1000) =>
  createAdminClient({ endpoint: standin.endpoint("x.myshopify.com"), accessToken: "t", attempts: 1, timeoutMs });
const check = (shop = "a.myshopify.com", timeoutMs = 1000) =>
  checkThemeEmbed(shop, async () => client(timeoutMs), { timeoutMs });

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "t" });
});
afterAll(async () => {
  await standin?.close();
});
beforeEach(() => {
  forgetThemeEmbeds();
  standin.deniedScopes.clear();
  standin.theme.settingsData = themeSettingsData("absent");
});

describe("the launcher in the live theme", () => {
  it.each([
    ["never switched on after install", "absent", { state: "off" }],
    ["switched off again in the theme editor", "disabled", { state: "off" }],
    ["switched on", "enabled", { state: "on" }],
  ] as const)("reads a theme with the embed %s", async (_case, embed, expected) => {
    standin.theme.settingsData = themeSettingsData(embed);
    expect(await check()).toEqual(expected);
  });

  it("asks Shopify once, for the main theme's config/settings_data.json", async () => {
    const before = standin.requests.length;
    await check();
    expect(standin.requests.slice(before)).toEqual([expect.objectContaining({ fields: ["themes"] })]);
  });

  it("says it could not check, and why, when the store has not granted read_themes", async () => {
    standin.deniedScopes.add("read_themes");
    standin.theme.settingsData = themeSettingsData("enabled");
    expect(await check()).toEqual({ state: "unknown", reason: "scope" });
  });

  it("says it could not check when Shopify throttles, fails or does not answer in time", async () => {
    standin.theme.settingsData = themeSettingsData("enabled");
    standin.failNext("throttle");
    expect(await check()).toEqual({ state: "unknown", reason: "unavailable" });
    standin.failNext("http500");
    expect(await check()).toEqual({ state: "unknown", reason: "unavailable" });
    standin.failNext("hang");
    const started = Date.now();
    expect(await check("a.myshopify.com", 300)).toEqual({ state: "unknown", reason: "unavailable" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("stops waiting at its own limit, even for a client without one", async () => {
    const never = { graphql: () => new Promise<Response>(() => {}) };
    const started = Date.now();
    const result = await checkThemeEmbed("slow.myshopify.com", async () => fromAuthenticatedAdmin(never), {
      timeoutMs: 200,
    });
    expect(result).toEqual({ state: "unknown", reason: "unavailable" });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("reads the library's ACCESS_DENIED error (the production client) as a missing scope", async () => {
    // shopify-api throws GraphqlQueryError with the first GraphQL error's message.
    const denied = {
      graphql: async () => {
        throw new GraphqlQueryError({
          message: "Access denied for themes field. Required access: `read_themes` access scope.",
          response: {},
          body: { errors: [{ message: "Access denied", extensions: { code: "ACCESS_DENIED" } }] },
        });
      },
    };
    const result = await checkThemeEmbed("denied.myshopify.com", async () => fromAuthenticatedAdmin(denied), {
      timeoutMs: 500,
    });
    expect(result).toEqual({ state: "unknown", reason: "scope" });
  });

  it("says it could not check when there is no client, no live theme or an unreadable file", async () => {
    expect(await checkThemeEmbed("none.myshopify.com", async () => null, { timeoutMs: 200 })).toEqual({
      state: "unknown",
      reason: "unavailable",
    });
    standin.theme.settingsData = "{ not json";
    expect(await check()).toEqual({ state: "unknown", reason: "unavailable" });
  });

  it("does not ask again for a while once it has seen the embed on, per shop", async () => {
    standin.theme.settingsData = themeSettingsData("enabled");
    expect(await check("seen.myshopify.com")).toEqual({ state: "on" });
    standin.theme.settingsData = themeSettingsData("disabled");
    const before = standin.requests.length;
    expect(await check("seen.myshopify.com")).toEqual({ state: "on" });
    expect(standin.requests.length).toBe(before);
    // Another shop is asked.
    expect(await check("other.myshopify.com")).toEqual({ state: "off" });
    expect(standin.requests.length).toBe(before + 1);
  });
});

describe("the stand-in's themes answer", () => {
  it("has Shopify's shape: the main theme's GID and role, the file by name, its text body", async () => {
    const data = await client().requestUntyped<{
      themes: {
        nodes: Array<{ id: string; files: { nodes: Array<{ filename: string; body: { content: string } }> } }>;
      };
    }>(MAIN_THEME_SETTINGS);
    expect(data.themes.nodes).toHaveLength(1);
    expect(data.themes.nodes[0]!.id).toMatch(/^gid:\/\/shopify\/OnlineStoreTheme\/\d+$/);
    expect(data.themes.nodes[0]!.files.nodes.map((f) => f.filename)).toEqual(["config/settings_data.json"]);
    expect(data.themes.nodes[0]!.files.nodes[0]!.body.content).toMatch(/^\/\*[\s\S]*IMPORTANT/);
    // A theme of another role, or a file not asked for, is not returned.
    const other = await client().requestUntyped<{ themes: { nodes: unknown[] } }>(
      "query { themes(roles: [UNPUBLISHED], first: 1) { nodes { id } } }",
    );
    expect(other.themes.nodes).toEqual([]);
  });

  it("refuses a missing scope as Shopify does: HTTP 200, ACCESS_DENIED naming the scope, the field null", async () => {
    standin.deniedScopes.add("read_themes");
    const response = await fetch(standin.endpoint("x.myshopify.com"), {
      method: "POST",
      headers: { "X-Shopify-Access-Token": "t", "Content-Type": "application/json" },
      body: JSON.stringify({ query: MAIN_THEME_SETTINGS }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: unknown; errors: Array<Record<string, unknown>> };
    expect(body.data).toEqual({ themes: null });
    expect(body.errors[0]).toMatchObject({
      message: "Access denied for themes field. Required access: `read_themes` access scope.",
      path: ["themes"],
      extensions: { code: "ACCESS_DENIED", requiredAccess: "`read_themes` access scope." },
    });
  });
});
