import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { blockSchema, renderBlock, translate, type StorefrontContext } from "../../scripts/storefront/render";
import type { ProgramView } from "../../app/services/member-view";
import { BUILT_IN_POINTS_NAME } from "../../app/domain/localized";
import { DEFAULT_WIDGET } from "../../app/domain/widget";

/**
 * The theme app extension's Liquid, rendered with liquidjs and Shopify's objects and
 * filters as the storefront provides them: what guests, members and product pages get,
 * from the program metafield in the shape the app writes it (ProgramView).
 */
const tiers: ProgramView["tiers"] = [
  {
    name: "Silver",
    names: { en: "Silver", ru: "Серебро" },
    position: 0,
    threshold: "0",
    metric: "SPEND",
    multiplier: 1.25,
    perks: [],
  },
  {
    name: "Gold",
    names: { en: "Gold", ru: "Золото" },
    position: 1,
    threshold: "50000",
    metric: "SPEND",
    multiplier: 1.5,
    perks: [],
  },
];
const reward = (
  id: string,
  name: string,
  cost: number,
  tier: number | null = null,
): ProgramView["rewards"][number] => ({
  id,
  name,
  names: { en: name, ru: `${name} (ru)` },
  type: "FIXED_AMOUNT",
  cost,
  valueMinor: 500,
  valuePercent: null,
  minOrderMinor: null,
  tier: tier === null ? null : tiers[tier]!.name,
  tierNames: tier === null ? null : tiers[tier]!.names,
  tierPosition: tier,
});
const program: ProgramView = {
  shop: "demo.myshopify.com",
  live: true,
  currency: "USD",
  languages: ["en", "ru"],
  defaultLanguage: "en",
  points: { singular: "point", plural: "points" },
  pointsName: { en: BUILT_IN_POINTS_NAME.en, ru: BUILT_IN_POINTS_NAME.ru },
  earning: { points: 1, perSpendMinor: 100 },
  waysToEarn: [],
  birthday: { leadDays: 7, gift: "POINTS", points: 200 },
  referral: null,
  rewards: [reward("r1", "$5 off", 500), reward("r2", "$20 off <b>", 2000), reward("r3", "Gold gift", 100, 1)],
  tiers,
  campaigns: [],
  display: DEFAULT_WIDGET,
  autoEnroll: true,
};
const stars = {
  en: { one: "star", other: "stars" },
  ru: { one: "звезда", few: "звезды", many: "звёзд", other: "звезды" },
};
const shop = { name: "Demo", currency: "USD" };
const silver: StorefrontContext["customer"] = {
  id: 7,
  firstName: "Anna",
  loyalty: {
    balance: 1250,
    tier: "Silver",
    progress: {
      tier: "Silver",
      tierPosition: 0,
      nextTier: "Gold",
      nextTierPosition: 1,
      remaining: 25000,
      metric: "SPEND",
      multiplier: 1.25,
      birthday: false,
      version: 4,
    },
  },
};
const asProgram = (value: ProgramView) => value as unknown as Record<string, unknown>;
const ctx = (locale: "en" | "ru", extra: Partial<StorefrontContext> = {}): StorefrontContext => ({
  locale,
  shop,
  program: asProgram(program),
  customer: null,
  ...extra,
});

function config(html: string) {
  const json = /<script type="application\/json" id="comeback-config">([\s\S]*?)<\/script>/.exec(html)?.[1];
  expect(json, "config script").toBeTruthy();
  return JSON.parse(json!) as {
    loggedIn: boolean;
    balance: number | null;
    version: number;
    locale: string;
    lang: string;
    names: Record<string, string>;
    proxy: string;
    t: Record<string, string>;
    sections: Record<string, boolean>;
  };
}
const text = (html: string) => html.replace(/&nbsp;/g, "\u00a0");

describe("numbers and the points' name", () => {
  // The launcher paints from Liquid and the panel from the script: the same balance must
  // read the same in both, or the text (and the launcher's width) jumps when the script runs.
  it.each(["en", "ru"] as const)(
    "are grouped in Liquid exactly as the widget's script groups them (%s)",
    async (locale) => {
      const values = [0, 7, 999, 1000, 1500, 9999, 10000, 15000, 123456, 1000000, 2000000000];
      for (const balance of values) {
        const html = await renderBlock(
          "account-rewards",
          ctx(locale, { customer: { id: 1, firstName: "A", loyalty: { balance } } }),
        );
        const shown = text(/<p class="cb-balance" data-comeback-balance>([^<]*)<\/p>/.exec(html)?.[1] ?? "");
        const expected = new Intl.NumberFormat(locale).format(balance);
        expect(shown.startsWith(`${expected}\u00a0`), `${balance} in ${locale}: "${shown}"`).toBe(true);
      }
    },
  );

  it("use the merchant's name for points with each language's plural forms, as the script does", async () => {
    const named = asProgram({ ...program, pointsName: stars });
    const cases: Array<["en" | "ru", number, string]> = [
      ["en", 1, "1\u00a0star"],
      ["en", 2, "2\u00a0stars"],
      ["ru", 1, "1\u00a0звезда"],
      ["ru", 2, "2\u00a0звезды"],
      ["ru", 5, "5\u00a0звёзд"],
      ["ru", 11, "11\u00a0звёзд"],
      ["ru", 12, "12\u00a0звёзд"],
      ["ru", 21, "21\u00a0звезда"],
      ["ru", 22, "22\u00a0звезды"],
      ["ru", 112, "112\u00a0звёзд"],
      ["ru", 1004, "1\u00a0004\u00a0звезды"],
    ];
    for (const [locale, balance, expected] of cases) {
      const html = await renderBlock("account-rewards", {
        ...ctx(locale, { program: named, customer: { id: 1, firstName: "A", loyalty: { balance } } }),
      });
      expect(
        text(/<p class="cb-balance" data-comeback-balance>([^<]*)<\/p>/.exec(html)![1]!),
        `${locale} ${balance}`,
      ).toBe(expected);
      // The script gets the same forms for the language.
      const launcher = await renderBlock(
        "comeback-launcher",
        ctx(locale, { program: named, customer: { id: 1, firstName: "A", loyalty: { balance } } }),
      );
      expect(config(launcher).names).toEqual(stars[locale]);
    }
  });
});

describe("app embed (launcher)", () => {
  it("gives guests the program's label and no balance, with valid JSON config and no render-blocking stylesheet", async () => {
    const labelled = asProgram({ ...program, display: { ...DEFAULT_WIDGET, label: { en: "Club", ru: "Клуб" } } });
    const html = await renderBlock("comeback-launcher", ctx("en", { program: labelled }));
    expect(config(html)).toMatchObject({
      loggedIn: false,
      balance: null,
      locale: "en",
      lang: "en",
      proxy: "/apps/comeback",
    });
    expect(html).toMatch(
      /<button[^>]*id="comeback-launcher-button"[^>]*aria-haspopup="dialog"[^>]*aria-expanded="false"/,
    );
    expect(html).toContain("<span>Club</span>");
    expect(await renderBlock("comeback-launcher", ctx("ru", { program: labelled }))).toContain("<span>Клуб</span>");
    expect(html).toMatch(/<script src="[^"]*comeback-launcher\.js" defer><\/script>/);
    expect(html).not.toMatch(/<link[^>]*stylesheet/);
  });

  it("still hands the script a valid config before the program's first sync", async () => {
    const html = await renderBlock("comeback-launcher", ctx("ru", { program: null, customer: silver }));
    expect(config(html)).toMatchObject({ loggedIn: true, names: null, lang: "ru" });
    expect(html).toContain("--cb-accent: #1f5f4a");
  });

  it("paints a member's balance from the metafield with no request, in their language", async () => {
    const html = await renderBlock("comeback-launcher", ctx("ru", { customer: silver }));
    expect(config(html)).toMatchObject({ loggedIn: true, balance: 1250, locale: "ru", version: 4 });
    expect(text(html)).toContain("<span data-comeback-balance>1\u00a0250\u00a0баллов</span>");
    // The accessible name includes the visible text: "Бонусы: 1 250 баллов".
    expect(html).toContain('<span class="cb-sr">Бонусы: </span>');
    // The panel's header (a template the panel script clones) is in their language too.
    expect(html).toContain('<h2 id="cb-title" class="cb-title">Бонусы</h2>');
    expect(html).toContain('class="cb-close" aria-label="Закрыть"');
  });

  it("takes colours, position and sections from the app's settings", async () => {
    const styled = asProgram({
      ...program,
      display: {
        ...DEFAULT_WIDGET,
        accent: "#123456",
        onAccent: "#fefefe",
        position: "left",
        sections: { ...DEFAULT_WIDGET.sections, history: false },
      },
    });
    const html = await renderBlock("comeback-launcher", ctx("en", { program: styled }));
    expect(html).toContain("cb-launcher cb-left");
    expect(html).toContain("--cb-accent: #123456; --cb-on-accent: #fefefe;");
    expect(config(html).sections).toEqual({ rewards: true, earn: true, referral: true, history: false });
  });

  it("lets the theme editor's own settings win over the app's", async () => {
    const styled = asProgram({
      ...program,
      display: { ...DEFAULT_WIDGET, accent: "#123456", sections: { ...DEFAULT_WIDGET.sections, history: false } },
    });
    const html = await renderBlock("comeback-launcher", {
      ...ctx("en", { program: styled }),
      settings: {
        position: "left",
        accent: "#aa0000",
        label: "Club",
        show_history: "show",
        show_earn: "hide",
        proxy_path: "/a/club",
      },
    });
    expect(html).toContain("cb-launcher cb-left");
    expect(html).toContain("--cb-accent: #aa0000");
    expect(html).toContain("<span>Club</span>");
    expect(config(html)).toMatchObject({ proxy: "/a/club", sections: { history: true, earn: false } });
  });

  describe("draws the Branding page's choices with no script", () => {
    const branded = (display: Partial<typeof DEFAULT_WIDGET>) =>
      asProgram({ ...program, display: { ...DEFAULT_WIDGET, ...display } });
    const launcherButton = (html: string) =>
      /<button[^>]*id="comeback-launcher-button"[\s\S]*?<\/button>/.exec(html)![0];
    const panelHead = (html: string) => /<template id="comeback-panel-head">([\s\S]*?)<\/template>/.exec(html)![1]!;

    it.each(["gift", "star", "heart"] as const)("the %s icon, inline in the launcher", async (icon) => {
      const html = await renderBlock("comeback-launcher", ctx("en", { program: branded({ icon }) }));
      const svgs = launcherButton(html).match(/<svg[^>]*>/g) ?? [];
      expect(svgs).toHaveLength(1);
      expect(svgs[0]).toContain(`data-icon="${icon}"`);
      expect(svgs[0]).toContain('aria-hidden="true"');
      // Drawn, not downloaded.
      expect(launcherButton(html)).not.toMatch(/<img|url\(/);
    });

    it("no icon when the merchant chose none, and the star before the program's first sync", async () => {
      const none = await renderBlock("comeback-launcher", ctx("en", { program: branded({ icon: "none" }) }));
      expect(launcherButton(none)).not.toContain("<svg");
      const first = await renderBlock("comeback-launcher", ctx("en", { program: null }));
      expect(launcherButton(first)).toContain('data-icon="star"');
    });

    it("the panel header's colours and image as custom properties, and a taller header for the image", async () => {
      const header = { background: "#222222", text: "#eeeeee", image: "https://cdn.example.com/h.jpg?w=800&h=200" };
      const html = await renderBlock("comeback-launcher", ctx("en", { program: branded({ header }) }));
      expect(html).toContain("--cb-head-bg: #222222; --cb-head-fg: #eeeeee;");
      // In a style attribute: the quotes and the ampersand are HTML-escaped, the browser reads url("…&h=200").
      expect(html).toContain("--cb-head-img: url(&quot;https://cdn.example.com/h.jpg?w=800&amp;h=200&quot;);");
      expect(panelHead(html)).toContain('<div class="cb-head cb-head-image">');
      const plain = await renderBlock(
        "comeback-launcher",
        ctx("en", { program: branded({ header: { ...header, image: null } }) }),
      );
      expect(plain).not.toContain("--cb-head-img");
      expect(panelHead(plain)).toContain('<div class="cb-head">');
    });

    it("refuses a header image that is not https, whatever the metafield holds", async () => {
      for (const image of ["http://cdn.example.com/h.jpg", "javascript:alert(1)", 'https://x.example/a"b']) {
        const html = await renderBlock(
          "comeback-launcher",
          ctx("en", { program: branded({ header: { ...DEFAULT_WIDGET.header, image } }) }),
        );
        if (image.startsWith("https://")) expect(html, image).not.toContain('a"b');
        else expect(html, image).not.toContain("--cb-head-img");
      }
    });

    it("the header follows the launcher's colours for a metafield written before Branding existed, and the theme editor's colour", async () => {
      const { header: _header, ...older } = { ...DEFAULT_WIDGET, accent: "#123456", onAccent: "#fefefe" };
      const html = await renderBlock(
        "comeback-launcher",
        ctx("en", { program: asProgram({ ...program, display: older as never }) }),
      );
      expect(html).toContain("--cb-head-bg: #123456; --cb-head-fg: #fefefe;");
      const themed = await renderBlock("comeback-launcher", {
        ...ctx("en", { program: branded({ header: { background: "#222222", text: "#eeeeee", image: null } }) }),
        settings: { accent: "#aa0000" },
      });
      // The theme editor's setting is the "button and header colour".
      expect(themed).toContain("--cb-head-bg: #aa0000; --cb-head-fg: #eeeeee;");
    });

    it("the panel's stylesheet paints the header from those properties", () => {
      const css = readFileSync("extensions/comeback-theme/assets/comeback.css", "utf8");
      const rule = (selector: string) =>
        new RegExp(`\\n${selector.replace(".", "\\.")} \\{([^}]*)\\}`).exec(css)?.[1] ?? "";
      expect(rule(".cb-head")).toContain("background-color: var(--cb-head-bg");
      expect(rule(".cb-head")).toContain("color: var(--cb-head-fg");
      expect(rule(".cb-head-image")).toContain("background-image: var(--cb-head-img)");
    });
  });

  it("hands the script every text it uses, in both languages", () => {
    // The panel's shell only: the app renders its content, texts included.
    const panel = readFileSync("extensions/comeback-theme/src/panel.ts", "utf8");
    const used = new Set([...panel.matchAll(/\bt\("([a-z_A-Z]+)"/g)].map((m) => m[1]!));
    // The header's title and close button are the app embed's template, not the script's.
    expect([...used].sort()).toEqual(["error", "loading", "retry"]);
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
  it("inlines its styles: no stylesheet holds back the account page's first paint", async () => {
    const html = await renderBlock("account-rewards", ctx("en", { customer: silver }));
    expect(html).not.toMatch(/<link[^>]*stylesheet/);
    expect(html).toMatch(/<style>[^<]*\.cb-block \.cb-button\{/);
  });

  it("shows a member's balance, tier, money left to the next tier and what each reward needs", async () => {
    const html = text(await renderBlock("account-rewards", ctx("en", { customer: silver })));
    expect(html).toContain('<p class="cb-balance" data-comeback-balance>1,250\u00a0points</p>');
    expect(html).toContain("<p>Tier: Silver</p>");
    expect(html).toContain("<p>$250.00 to reach Gold</p>");
    const items = html
      .split("<li>")
      .slice(1)
      .map((item) => item.split("</li>")[0]!);
    // $5 (500 points) is affordable: a redeem button; $20 (2000) is not, and says how far.
    expect(items[0]).toContain('data-comeback-open="rewards"');
    expect(items[1]).not.toContain("data-comeback-open");
    expect(items[1]).toContain("750\u00a0points to go");
    // Affordable but for Gold members: no Redeem, and the reason.
    expect(items[2]).not.toContain("data-comeback-open");
    expect(items[2]).toContain("For Gold and above");
    // Reward names are the merchant's text: escaped, never markup.
    expect(html).toContain("$20 off &lt;b&gt;");
    // The birthday is not told yet: the block asks for it.
    expect(html).toContain('data-comeback-open="birthday"');
  });

  it("uses the tier and reward names in the shopper's language", async () => {
    const html = text(await renderBlock("account-rewards", ctx("ru", { customer: silver })));
    expect(html).toContain("<p>Уровень: Серебро</p>");
    expect(html).toContain("до уровня «Золото»");
    expect(html).toContain("$5 off (ru)");
    expect(html).toContain("Для уровня «Золото» и выше");
  });

  it("stops asking for a birthday once told, and when the program has no birthday gift", async () => {
    const told = {
      ...silver!,
      loyalty: { ...silver!.loyalty!, progress: { ...silver!.loyalty!.progress, birthday: true } },
    };
    expect(await renderBlock("account-rewards", ctx("en", { customer: told }))).not.toContain(
      'data-comeback-open="birthday"',
    );
    const none = asProgram({ ...program, birthday: null });
    expect(await renderBlock("account-rewards", ctx("en", { program: none, customer: silver }))).not.toContain(
      "birthday",
    );
  });

  it("invites a guest to join or sign in", async () => {
    const html = await renderBlock("account-rewards", ctx("ru"));
    expect(html).toContain('<a class="cb-button" href="/account/register">Вступить</a>');
    expect(html).toContain('href="/account/login">Войти</a>');
    expect(html).not.toContain('class="cb-balance"');
  });
});

describe("product block", () => {
  const product = { id: 632910392, title: "Tea", price: 4990, collections: [5001] };
  it("tells a guest what members earn, computed from the program (1 point per $1)", async () => {
    const html = text(await renderBlock("product-points", ctx("en", { product })));
    expect(html).toContain("Members earn 49\u00a0points with this purchase");
  });

  it("includes a member's tier multiplier, with the language's plural forms", async () => {
    // 4990 × 1 × 1.25 / 100 = 62.375 → 62, as the ledger rounds.
    expect(text(await renderBlock("product-points", ctx("ru", { customer: silver, product })))).toContain(
      "Вы получите 62\u00a0балла за эту покупку",
    );
    const one = await renderBlock(
      "product-points",
      ctx("ru", { customer: silver, product: { ...product, price: 100 } }),
    );
    expect(text(one)).toContain("Вы получите 1\u00a0балл за эту покупку");
  });

  it("applies a campaign running now on the product, its collection or everything, and shows it", async () => {
    const day = 24 * 3600_000;
    const campaign = (over: Partial<ProgramView["campaigns"][number]>) => ({
      name: "Tea week",
      names: { en: "Tea week", ru: "Неделя чая" },
      multiplier: 2,
      startsAt: new Date(Date.now() - day).toISOString(),
      endsAt: new Date(Date.now() + day).toISOString(),
      productIds: [],
      collectionIds: [],
      ...over,
    });
    for (const scope of [{}, { productIds: ["632910392"] }, { collectionIds: ["5001"] }]) {
      const html = text(
        await renderBlock(
          "product-points",
          ctx("en", { program: asProgram({ ...program, campaigns: [campaign(scope)] }), product }),
        ),
      );
      expect(html, JSON.stringify(scope)).toContain("Members earn 99\u00a0points");
      expect(html).toContain("2× points: Tea week");
    }
    const ru = text(
      await renderBlock(
        "product-points",
        ctx("ru", { program: asProgram({ ...program, campaigns: [campaign({})] }), product }),
      ),
    );
    expect(ru).toContain("Баллы ×2: Неделя чая");
    // Another product's campaign, one that has ended, one not started: no bonus.
    for (const other of [
      campaign({ productIds: ["1"] }),
      campaign({ collectionIds: ["5002"] }),
      campaign({ endsAt: new Date(Date.now() - 1000).toISOString() }),
      campaign({ startsAt: new Date(Date.now() + day).toISOString() }),
    ]) {
      const html = text(
        await renderBlock(
          "product-points",
          ctx("en", { program: asProgram({ ...program, campaigns: [other] }), product }),
        ),
      );
      expect(html).toContain("Members earn 49\u00a0points");
      expect(html).not.toContain("×");
    }
  });

  it("says nothing when the program is off, not synced yet, or the product earns nothing", async () => {
    for (const context of [
      { program: asProgram({ ...program, live: false }), product },
      { program: null, product },
      { product: { ...product, price: 50 } },
    ]) {
      const html = await renderBlock("product-points", ctx("en", context));
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
    const labels = JSON.stringify(blockSchema("comeback-launcher").settings).match(/"t:launcher\.[a-z_]+"/g) ?? [];
    for (const label of labels) expect(ru.launcher![label.slice('"t:launcher.'.length, -1)], label).toBeTruthy();
  });
});
