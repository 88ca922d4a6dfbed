import { themeCheckRun } from "@shopify/theme-check-node";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BUDGET_BYTES, buildStorefront } from "../../scripts/build-storefront";

describe("theme app extension", () => {
  it("passes Shopify's theme-check for app extensions with no errors", async () => {
    const run = await themeCheckRun(resolve("extensions/comeback-theme"));
    // The run saw our blocks, snippet and locales (a wrong root would pass vacuously).
    const files = run.theme.map((file) => file.uri.split("/").slice(-2).join("/"));
    expect(files).toEqual(
      expect.arrayContaining([
        "blocks/comeback-launcher.liquid",
        "blocks/account-rewards.liquid",
        "blocks/product-points.liquid",
        "snippets/comeback-config.liquid",
        "locales/ru.json",
      ]),
    );
    const errors = run.offenses.filter((offense) => offense.severity === 0);
    expect(errors.map((o) => `${o.check} ${o.uri.split("/").slice(-2).join("/")}: ${o.message}`)).toEqual([]);
  }, 120_000);

  it("ships at most 5 KB of compressed JS to the storefront with the cart script, the launcher under 1 KB", async () => {
    const sizes = await buildStorefront();
    const total = sizes.launcher.gzip + sizes.panel.gzip + sizes.cart.gzip;
    console.log(
      `storefront JS gzip: launcher ${sizes.launcher.gzip} B, panel ${sizes.panel.gzip} B, cart ${sizes.cart.gzip} B, total ${total} B`,
    );
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
    // The launcher is what every page view pays for; the panel loads on interaction, the cart script on the cart.
    expect(sizes.launcher.gzip).toBeLessThan(1024);
  });
});
