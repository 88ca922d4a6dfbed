import { describe, expect, it } from "vitest";
import { blockSchema, renderBlock, translate, type StorefrontContext } from "../../scripts/storefront/render";
import { readFileSync } from "node:fs";

/**
 * The theme app extension's Liquid, rendered with liquidjs and Shopify's objects and
 * filters as the storefront provides them: what guests, members and product pages get.
 */
const program = {
  live: true,
  currency: "USD",
  earning: { points: 1, perSpendMinor: 100 },
  rewards: [
    { id: "r1", name: "$5 off", cost: 500 },
    { id: "r2", name: "$20 off <b>", cost: 2000 },
  ],
};
const shop = { name: "Demo", currency: "USD" };
const silver: StorefrontContext["customer"] = {
  id: 7,
  firstName: "Anna",
  loyalty: {
    balance: 1250,
    tier: "Silver",
    progress: { tier: "Silver", nextTier: "Gold", remaining: 25000, metric: "SPEND", multiplier: 1.25 },
  },
};

function config(html: string) {
  const json = /<script type="application\/json" id="comeback-config">([\s\S]*?)<\/script>/.exec(html)?.[1];
  expect(json, "config script").toBeTruthy();
  return JSON.parse(json!) as {
    loggedIn: boolean;
    balance: number | null;
    locale: string;
    proxy: string;
    t: Record<string, string>;
    sections: Record<string, boolean>;
  };
}

describe("numbers", () => {
  // The launcher paints from Liquid and the panel from the script: the same balance must
  // read the same in both, or the text (and the launcher's width) jumps when the script runs.
  it.each(["en", "ru"] as const)(
    "are grouped in Liquid exactly as the widget's script groups them (%s)",
    async (locale) => {
      const values = [0, 7, 999, 1000, 1500, 9999, 10000, 15000, 123456, 1000000, 2000000000];
      for (const balance of values) {
        const html = await renderBlock("account-rewards", {
          locale,
          shop,
          program,
          customer: { id: 1, firstName: "A", loyalty: { balance } },
        });
        const shown = /<p class="cb-balance">([^<]*)<\/p>/.exec(html)?.[1] ?? "";
        const expected = new Intl.NumberFormat(locale).format(balance);
        expect(shown.startsWith(`${expected} `), `${balance} in ${locale}: "${shown}"`).toBe(true);
      }
    },
  );
});

describe("app embed (launcher)", () => {
  it("gives guests the program's name and no balance, with valid JSON config", async () => {
    const html = await renderBlock("comeback-launcher", { locale: "en", shop, program, customer: null });
    const cfg = config(html);
    expect(cfg).toMatchObject({
      loggedIn: false,
      balance: null,
      locale: "en",
      proxy: "/apps/comeback",
      sections: { rewards: true, history: true },
    });
    expect(html).toMatch(
      /<button[^>]*id="comeback-launcher-button"[^>]*aria-haspopup="dialog"[^>]*aria-expanded="false"/,
    );
    expect(html).toContain("<span>Rewards</span>");
    expect(html).toMatch(/<script src="[^"]*comeback-launcher\.js" defer><\/script>/);
  });

  it("paints a member's balance from the metafield with no request, in their language", async () => {
    const html = await renderBlock("comeback-launcher", { locale: "ru", shop, program, customer: silver });
    expect(config(html)).toMatchObject({ loggedIn: true, balance: 1250, locale: "ru" });
    expect(html).toContain("<span>1 250 баллов</span>");
    // The accessible name includes the visible text: "Бонусы: 1 250 баллов".
    expect(html).toContain('<span class="cb-sr">Бонусы: </span>');
    expect(config(html).t.redeem).toBe("Получить");
  });

  it("applies the theme editor's settings", async () => {
    const html = await renderBlock("comeback-launcher", {
      locale: "en",
      shop,
      program,
      customer: null,
      settings: { position: "left", accent: "#aa0000", label: "Club", show_history: false, proxy_path: "/a/club" },
    });
    expect(html).toContain("cb-launcher cb-left");
    expect(html).toContain("--cb-accent: #aa0000");
    expect(html).toContain("<span>Club</span>");
    expect(config(html)).toMatchObject({ proxy: "/a/club", sections: { history: false } });
  });

  it("hands the script every text it uses, in both languages", () => {
    const panel = readFileSync("extensions/comeback-theme/src/panel.ts", "utf8");
    const used = new Set([...panel.matchAll(/\bt\("([a-z_A-Z]+)"/g)].map((m) => m[1]!));
    const snippet = readFileSync("extensions/comeback-theme/snippets/comeback-config.liquid", "utf8");
    const passed = new Set(/assign keys = '([^']+)'/.exec(snippet)![1]!.split(","));
    for (const key of used) expect(passed.has(key), key).toBe(true);
    for (const key of passed) {
      expect(translate("en", `comeback.${key}`), key).not.toMatch(/translation missing/);
      expect(translate("ru", `comeback.${key}`), key).not.toMatch(/translation missing/);
    }
  });
});

describe("account block", () => {
  it("shows a member's balance, tier, money left to the next tier and affordable rewards", async () => {
    const html = await renderBlock("account-rewards", { locale: "en", shop, program, customer: silver });
    expect(html).toContain('<p class="cb-balance">1,250 points</p>');
    expect(html).toContain("<p>Tier: Silver</p>");
    expect(html).toContain("<p>$250.00 to reach Gold</p>");
    // $5 (500 points) is affordable: a redeem button; $20 (2000) is not.
    const items = html
      .split("<li>")
      .slice(1)
      .map((item) => item.split("</li>")[0]!);
    expect(items[0]).toContain('data-comeback-open="rewards"');
    expect(items[1]).not.toContain("data-comeback-open");
    // Reward names are the merchant's text: escaped, never markup.
    expect(html).toContain("$20 off &lt;b&gt;");
  });

  it("invites a guest to join or sign in", async () => {
    const html = await renderBlock("account-rewards", { locale: "ru", shop, program, customer: null });
    expect(html).toContain('<a class="cb-button" href="/account/register">Вступить</a>');
    expect(html).toContain('href="/account/login">Войти</a>');
    expect(html).not.toContain("cb-balance");
  });
});

describe("product block", () => {
  const product = { title: "Tea", price: 4990 };
  it("tells a guest what members earn, computed from the program (1 point per $1)", async () => {
    const html = await renderBlock("product-points", { locale: "en", shop, program, customer: null, product });
    expect(html).toContain("Members earn 49 points with this purchase");
  });

  it("includes a member's tier multiplier, with Russian plurals", async () => {
    // 4990 × 1 × 1.25 / 100 = 62.375 → 62, as the ledger rounds.
    expect(await renderBlock("product-points", { locale: "ru", shop, program, customer: silver, product })).toContain(
      "Вы получите 62 балла за эту покупку",
    );
    const one = await renderBlock("product-points", {
      locale: "ru",
      shop,
      program,
      customer: silver,
      product: { title: "Pin", price: 100 },
    });
    expect(one).toContain("Вы получите 1 балл за эту покупку");
    const many = await renderBlock("product-points", {
      locale: "ru",
      shop,
      program,
      customer: { ...silver!, loyalty: { progress: { multiplier: 1 } } },
      product: { title: "Box", price: 2500 },
    });
    expect(many).toContain("Вы получите 25 баллов за эту покупку");
  });

  it("says nothing when the program is off, not synced yet, or the product earns nothing", async () => {
    for (const context of [
      { program: { ...program, live: false }, product },
      { program: null, product },
      { program, product: { title: "Sticker", price: 50 } },
    ]) {
      const html = await renderBlock("product-points", { locale: "en", shop, customer: null, ...context });
      expect(html.trim()).toBe("");
    }
  });
});

describe("schemas", () => {
  it("declare an app embed on body and section blocks, each with translated names", () => {
    expect(blockSchema("comeback-launcher")).toMatchObject({ name: "t:launcher.name", target: "body" });
    expect(blockSchema("account-rewards").target).toBe("section");
    expect(blockSchema("product-points").target).toBe("section");
    const ru = JSON.parse(readFileSync("extensions/comeback-theme/locales/ru.schema.json", "utf8")) as Record<
      string,
      Record<string, string>
    >;
    for (const setting of blockSchema("comeback-launcher").settings) {
      const label = (setting as { label?: string }).label;
      if (label?.startsWith("t:")) expect(ru.launcher![label.slice("t:launcher.".length)], label).toBeTruthy();
    }
  });
});
