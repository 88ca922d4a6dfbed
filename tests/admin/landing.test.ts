import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDefaultProgram } from "../../app/services/defaults";
import { adminClient, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop, createStandinShop } from "../support/seed";
import { DEFAULT_SCOPES } from "../../app/platform/config.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { defaultMenus } from "../../scripts/shopify-standin/navigation";

/**
 * The Loyalty page admin: the merchant's own questions for the landing page, saved
 * through the production build with every error at once, nothing written on an error,
 * the change in the activity log, and each shop's questions its own.
 */
let app: TestApp;
let shop: { id: string; domain: string };
let other: { id: string; domain: string };
let admin: ReturnType<typeof adminClient>;
let standin: AdminStandin;

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  app = await startTestApp();
  shop = await createShop(app.db.prisma, { live: true, settings: { languages: ["en", "ru"], defaultLanguage: "en" } });
  other = await createShop(app.db.prisma, { live: true });
  for (const s of [shop, other]) {
    await app.db.prisma.$transaction((tx) => seedDefaultProgram(tx, s.id, "USD", "en"));
    await installShop(app.db.prisma, s.domain);
  }
  admin = adminClient(app.server.url, shop.domain);
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
});

const faqsOf = async (shopId: string) =>
  (await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId } })).landingFaqs;

describe("the landing page's own questions", () => {
  it("reports every missing or too long text at once and saves nothing", async () => {
    const response = await admin.act("/app/landing", {
      intent: "faqs",
      rows: "3",
      q0_en: "Returns?",
      a0_en: "",
      q1_en: "",
      q1_ru: "Только по-русски?",
      a1_ru: "Да",
      q2_en: "x".repeat(201),
      a2_en: "Fine",
    });
    expect(response.status).toBe(422);
    expect((response.data as { errors: object }).errors).toEqual({
      a0_en: "validation.required",
      q1_en: "validation.required",
      a1_en: "validation.required",
      q2_en: "validation.tooLong",
    });
    expect(await faqsOf(shop.id)).toEqual([]);
  });

  it("saves the questions in order, drops empty rows, logs the change, and leaves other shops alone", async () => {
    const response = await admin.act("/app/landing", {
      intent: "faqs",
      rows: "3",
      q0_en: "Can I return a reward order?",
      a0_en: "Yes, within 30 days.",
      q0_ru: "Можно ли вернуть заказ с наградой?",
      a0_ru: "Да, в течение 30 дней.",
      q1_en: " ",
      a1_en: "",
      q2_en: "Do points work on sale items?",
      a2_en: "Yes.",
    });
    expect(response.status).toBe(200);
    expect(await faqsOf(shop.id)).toEqual([
      {
        question: { en: "Can I return a reward order?", ru: "Можно ли вернуть заказ с наградой?" },
        answer: { en: "Yes, within 30 days.", ru: "Да, в течение 30 дней." },
      },
      { question: { en: "Do points work on sale items?" }, answer: { en: "Yes." } },
    ]);
    const log = await app.db.prisma.activityLog.findFirstOrThrow({
      where: { shopId: shop.id, action: "landing.faqs" },
    });
    expect(log).toMatchObject({ actor: "staff:1" });
    expect(log.details).toEqual({
      questions: [null, "Can I return a reward order? · Do points work on sale items?"],
    });
    expect(await faqsOf(other.id)).toEqual([]);

    const page = await admin.load<{ faqs: unknown[]; pageUrl: string }>("/app/landing", "routes/app.landing");
    expect(page.data.faqs).toHaveLength(2);
    expect(page.data.pageUrl).toMatch(/\/apps\/comeback$/);
  });
});

describe("a link to the page in the store's menu", () => {
  async function standinShop() {
    const created = await createStandinShop(app.db.prisma, (domain) => standin.endpoint(domain));
    // A Russian store: the program's default language is Russian.
    await app.db.prisma.shopSettings.update({ where: { shopId: created.id }, data: { defaultLanguage: "ru" } });
    await app.db.prisma.session.update({
      where: { id: `offline_${created.domain}` },
      data: { scope: DEFAULT_SCOPES.join(",") },
    });
    return { shop: created, client: adminClient(app.server.url, created.domain) };
  }
  type Page = { menus: { state: string; menus?: Array<{ title: string; linked: boolean }> }; linkTitle: string };

  it("offers the store's menus, adds the link in the shop's language once, and logs it", async () => {
    standin.menus.splice(0, standin.menus.length, ...defaultMenus());
    const { shop: created, client } = await standinShop();
    const before = await client.load<Page>("/app/landing", "routes/app.landing");
    expect(before.data.menus).toEqual({
      state: "ok",
      menus: [
        expect.objectContaining({ title: "Main menu", linked: false }),
        expect.objectContaining({ title: "Footer menu", linked: false }),
      ],
    });
    expect(before.data.linkTitle).toBe("Бонусная программа");
    const blank = await client.act("/app/landing", { intent: "menu", menuId: standin.menus[0]!.id, title: " " });
    expect(blank.status).toBe(422);
    expect(standin.menus[0]!.items).toHaveLength(3);

    const added = await client.act("/app/landing", {
      intent: "menu",
      menuId: standin.menus[0]!.id,
      title: "Бонусная программа",
    });
    expect(added.status).toBe(200);
    expect(standin.menus[0]!.items.at(-1)).toMatchObject({ title: "Бонусная программа", url: "/apps/comeback" });
    const after = await client.load<Page>("/app/landing", "routes/app.landing");
    expect(after.data.menus.menus![0]).toMatchObject({ title: "Main menu", linked: true });
    await client.act("/app/landing", { intent: "menu", menuId: standin.menus[0]!.id, title: "Again" });
    expect(standin.menus[0]!.items).toHaveLength(4);
    expect(await app.db.prisma.activityLog.count({ where: { shopId: created.id, action: "landing.menuLinked" } })).toBe(
      1,
    );
  });

  it("says the permission is missing when the store has not granted it, and the page still opens", async () => {
    const { client } = await standinShop();
    standin.deniedScopes.add("write_online_store_navigation");
    try {
      const page = await client.load<Page>("/app/landing", "routes/app.landing");
      expect(page.status).toBe(200);
      expect(page.data.menus).toEqual({ state: "scope" });
      const refused = await client.act("/app/landing", { intent: "menu", menuId: standin.menus[0]!.id, title: "x" });
      expect(refused.status).toBe(403);
      expect((refused.data as { errors: object }).errors).toEqual({ form: "landing.menu.scope" });
    } finally {
      standin.deniedScopes.clear();
    }
  });

  it("is offered by the setup: launching adds the page to the main menu, and says so", async () => {
    standin.menus.splice(0, standin.menus.length, ...defaultMenus());
    const { shop: created, client } = await standinShop();
    await app.db.prisma.shop.update({
      where: { id: created.id },
      data: { programStatus: "DRAFT", setupCompleted: false },
    });
    const launched = await client.act("/app/setup", {
      earnPoints: "1",
      earnSpend: "1",
      expiryInactivityDays: "365",
      menuLink: "on",
    });
    expect(launched.redirect).toBe("/app?launched=1&menu=added");
    expect(standin.menus[0]!.items.at(-1)).toMatchObject({ title: "Бонусная программа", url: "/apps/comeback" });
    // Left unticked, the menu is not touched; refused, the launch still stands.
    standin.deniedScopes.add("write_online_store_navigation");
    try {
      const again = await client.act("/app/setup", { earnPoints: "1", earnSpend: "1", expiryInactivityDays: "365" });
      expect(again.redirect).toBe("/app?launched=1");
      const refused = await client.act("/app/setup", {
        earnPoints: "1",
        earnSpend: "1",
        expiryInactivityDays: "365",
        menuLink: "on",
      });
      expect(refused.redirect).toBe("/app?launched=1&menu=scope");
    } finally {
      standin.deniedScopes.clear();
    }
    expect((await app.db.prisma.shop.findUniqueOrThrow({ where: { id: created.id } })).programStatus).toBe("LIVE");
  });
});
