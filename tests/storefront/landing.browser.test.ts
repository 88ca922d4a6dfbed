import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStorefront } from "../../scripts/storefront/server";
import type { TestApp } from "../support/app";
import { ARTIFACTS, hasChromium, newPage, seriousA11yViolations } from "../support/browser";
import { proxyUrl } from "../support/shopify";
import { startStorefrontWorld, type StorefrontWorld } from "../support/storefront";

/**
 * The loyalty landing page (/apps/comeback) on the local storefront: Liquid from the App
 * Proxy, rendered in the theme's layout in the shopper's language, with the program's
 * own rules in its answers, and merchant texts that cannot turn into Liquid.
 */
const CUSTOMER = 9301;
let world: StorefrontWorld;
let app: TestApp;
let storefront: RunningStorefront;
let browser: Browser;
let shopDomain: string;

beforeAll(async () => {
  if (!hasChromium) return;
  world = await startStorefrontWorld({
    shopper: { customerId: CUSTOMER, firstName: "Ivan", points: 700 },
    settings: { settings: { languages: ["en", "ru"] } },
    async prepare({ db: { prisma } }, shop) {
      // The default program sets its own expiry: these are the ones the page must show.
      await prisma.shopSettings.update({
        where: { shopId: shop.id },
        data: {
          expiryInactivityDays: 180,
          availabilityDelayDays: 14,
          // The merchant's own questions: one in both languages, one only in the default.
          landingFaqs: [
            {
              question: {
                en: "Can I return an order I paid with points?",
                ru: "Можно ли вернуть заказ, оплаченный баллами?",
              },
              answer: { en: "Yes, within 30 days {{ as any order }}.", ru: "Да, в течение 30 дней." },
            },
            { question: { en: "Do points work on sale items?" }, answer: { en: "Yes, on everything." } },
          ],
        },
      });
      // A merchant's text that looks like Liquid stays text.
      await prisma.reward.create({
        data: {
          shopId: shop.id,
          name: "Mystery {{ shop.name }} box",
          type: "FREE_SHIPPING",
          pointsCost: 250,
          position: 9,
        },
      });
    },
  });
  ({ app, storefront, browser } = world);
  shopDomain = world.shop.domain;
}, 180_000);

afterAll(async () => {
  await world?.close();
});

const shown = async (locator: { innerText(): Promise<string> }) => (await locator.innerText()).replace(/\u00a0/g, " ");

describe.skipIf(!hasChromium)("the loyalty landing page", () => {
  it("answers Liquid for Shopify to render in the theme, one branch per program language", async () => {
    const response = await fetch(proxyUrl(app.server.url, "", { shop: shopDomain }).replace("/proxy/?", "/proxy?"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/liquid; charset=utf-8");
    const liquid = await response.text();
    expect(liquid).toMatch(
      /^\{%- assign comeback_lang = request\.locale\.iso_code \| slice: 0, 2 -%\}\{%- if comeback_lang == 'ru' -%\}/,
    );
    // The merchant's braces are entities: Shopify shows them, it does not run them.
    expect(liquid).toContain("Mystery &#123;&#123; shop.name }} box");
    expect(liquid.match(/\{\{/g) ?? []).toEqual([]);
    expect(liquid).toContain("<style>.cb-landing{max-width:960px");
  });

  it("shows a guest how to earn, the rewards, the tiers and answers from the program's settings, in English and Russian", async () => {
    for (const locale of ["en", "ru"] as const) {
      const page = await newPage(browser, locale === "ru" ? "ru-RU" : "en-US");
      await page.goto(`${storefront.url}/?as=&locale=${locale}`);
      await page.getByRole("link", { name: locale === "ru" ? "Бонусная программа" : "Rewards program" }).click();
      const main = page.locator("main");
      await page.getByRole("heading", { level: 1 }).waitFor();
      const text = await shown(main);
      if (locale === "en") {
        expect(text).toContain("How to earn");
        expect(text).toContain("1 point for every $1.00 you spend");
        expect(text).toContain("Mystery {{ shop.name }} box");
        expect(text).toContain("VIP tiers");
        expect(text).toContain("Only after 180 days without earning or spending any.");
        expect(text).toContain("14 days after your order is paid.");
        expect(text).toContain("Can I return an order I paid with points?\nYes, within 30 days {{ as any order }}.");
        expect(await page.getByRole("link", { name: "Join now" }).getAttribute("href")).toBe("/account/register");
      } else {
        expect(text).toContain("Как получить баллы");
        expect(text).toContain("Только если 180 дн. не получать и не тратить баллы.");
        expect(text).toContain("VIP-уровни");
        expect(text).toContain("Можно ли вернуть заказ, оплаченный баллами?\nДа, в течение 30 дней.");
        // Not written in Russian: the default language's text, never a question without its answer.
        expect(text).toContain("Do points work on sale items?\nYes, on everything.");
        expect(await page.getByRole("link", { name: "Вступить" }).getAttribute("href")).toBe("/account/register");
      }
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/landing-${locale}.png`, fullPage: true });
      await page.close();
    }
  }, 60_000);

  it("shows a member their balance and link, and opens the panel from the page", async () => {
    const page = await newPage(browser);
    await page.goto(`${storefront.url}/?as=${CUSTOMER}&locale=en`);
    await page.goto(`${storefront.url}/apps/comeback`);
    const main = page.locator("main");
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await shown(main)).toContain("You have 700 points");
    expect(await shown(main)).toMatch(/Your link: http:\/\/127\.0\.0\.1:\d+\/\?ref=IVAN2026/);
    await page.getByRole("button", { name: "Open my rewards" }).click();
    await page.getByRole("dialog", { name: "Rewards" }).locator(".cb-balance").waitFor();
    await page.close();
  });
});
