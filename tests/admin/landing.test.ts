import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDefaultProgram } from "../../app/services/defaults";
import { adminClient, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";

/**
 * The Loyalty page admin: the merchant's own questions for the landing page, saved
 * through the production build with every error at once, nothing written on an error,
 * the change in the activity log, and each shop's questions its own.
 */
let app: TestApp;
let shop: { id: string; domain: string };
let other: { id: string; domain: string };
let admin: ReturnType<typeof adminClient>;

beforeAll(async () => {
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
