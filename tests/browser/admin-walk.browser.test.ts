import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import en from "@shopify/polaris/locales/en.json";
import { translator, type Locale } from "../../app/i18n";
import { polarisTranslations } from "../../app/i18n/polaris";
import { DEFAULT_SCOPES } from "../../app/platform/config.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { startTestApp, type TestApp } from "../support/app";
import {
  adminPage,
  ARTIFACTS,
  hasChromium,
  launchBrowser,
  openedModal,
  seriousA11yViolations,
} from "../support/browser";
import { createStandinShop } from "../support/seed";

/**
 * A merchant's everyday tasks in the admin, in English and in Russian, in a real browser
 * against the production build, with axe on each page: search members by typing, page
 * forwards and back, clear a member's manual tier and adjust their points, change a
 * free-product reward with the product picker, watch the branding preview follow the
 * form, and put the loyalty page in the store's menu. Then every admin page, in both
 * languages, checked and photographed for test-artifacts/.
 *
 * The storefront side of the loyalty page is walked in tests/storefront/landing.browser.test.ts.
 */
let app: TestApp;
let standin: AdminStandin;
let browser: Browser;
let shop: { id: string; domain: string };
let rewardId: string;
const overridden: Record<Locale, string> = { en: "", ru: "" };
const WALKERS = 110;

beforeAll(async () => {
  if (!hasChromium) return;
  standin = await startAdminStandin({ accessToken: "offline-token", appEmbed: "enabled" });
  app = await startTestApp();
  const prisma = app.db.prisma;
  shop = await createStandinShop(prisma, (domain) => standin.endpoint(domain));
  await prisma.shop.update({ where: { id: shop.id }, data: { setupCompleted: true, programStatus: "LIVE" } });
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { scope: DEFAULT_SCOPES.join(",") },
  });
  // Walker 001 … 110, the newest last: the list (newest first) pages 110–61, 60–11, 10–1.
  const now = Date.now();
  await prisma.member.createMany({
    data: Array.from({ length: WALKERS }, (_, i) => ({
      shopId: shop.id,
      customerId: BigInt(700_000 + i),
      email: `walker${String(i + 1).padStart(3, "0")}@example.com`,
      firstName: `Walker ${String(i + 1).padStart(3, "0")}`,
      referralCode: randomUUID().slice(0, 8),
      enrolledAt: new Date(now - (WALKERS - i) * 60_000),
    })),
  });
  const gold = await prisma.tier.findFirstOrThrow({ where: { shopId: shop.id, name: "Gold" } });
  for (const [locale, name] of [
    ["en", "Olga"],
    ["ru", "Oleg"],
  ] as const) {
    const member = await prisma.member.create({
      data: {
        shopId: shop.id,
        customerId: BigInt(locale === "en" ? 800_001 : 800_002),
        email: `${name.toLowerCase()}@example.com`,
        firstName: name,
        referralCode: randomUUID().slice(0, 8),
        enrolledAt: new Date(now - 3 * 86_400_000),
        tierId: gold.id,
        tierOverride: true,
      },
    });
    overridden[locale] = member.id;
  }
  const reward = await prisma.reward.create({
    data: {
      shopId: shop.id,
      name: "Free tea",
      type: "FREE_PRODUCT",
      productVariantId: "gid://shopify/ProductVariant/808950810",
      pointsCost: 900,
      position: 9,
    },
  });
  rewardId = reward.id;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await standin?.close();
});

const polaris = (locale: Locale, path: string): string =>
  path
    .split(".")
    .reduce<unknown>((tree, key) => (tree as Record<string, unknown>)[key], polarisTranslations(locale)) as string;

async function accessible(page: Page, name: string, exclude: string[] = []) {
  await page.screenshot({ path: `${ARTIFACTS}/admin-walk-${name}.png`, fullPage: true });
  // axe cannot run inside a frame sandboxed without scripts (the email preview) and waits
  // for it forever; the email's own HTML is checked by the message tests.
  await page.locator("iframe[sandbox]").evaluateAll((frames) => frames.forEach((frame) => frame.remove()));
  expect(await seriousA11yViolations(page, exclude), name).toEqual([]);
}

const firstMember = (page: Page) => page.getByRole("link", { name: /^(Walker \d{3}|Olga|Oleg) · / }).first();

describe.skipIf(!hasChromium)("a merchant's day in the admin", () => {
  it.each(["en", "ru"] as const)(
    "in %s: finds, pages, corrects a member, picks a product, brands, links",
    async (locale) => {
      const t = translator(locale);
      const page = await adminPage(browser, app.server.url, shop.domain, {
        locale: locale === "ru" ? "ru-RU" : "en-US",
      });

      // Members: typing searches (no Enter), paging goes forwards and back a page at a time.
      await page.goto(`${app.server.url}/app/members?locale=${locale}`);
      await page.getByRole("heading", { name: t("nav.members"), level: 1 }).waitFor();
      await page
        .getByRole("button", { name: polaris(locale, "Polaris.IndexFilters.searchFilterAccessibilityLabel") })
        .click();
      await page.getByPlaceholder(t("members.search")).fill("walker10");
      await page.waitForURL(/[?&]q=walker10(&|$)/);
      await expect
        .poll(() => page.getByRole("link", { name: /^Walker \d{3} · / }).allInnerTexts())
        .toEqual([
          // "walker10" is in 100 to 109 (not in 110, nor in 010).
          ...Array.from({ length: 10 }, (_, i) => `Walker ${109 - i} · walker${109 - i}@example.com`),
        ]);
      await accessible(page, `members-search-${locale}`);
      await page.goto(`${app.server.url}/app/members?locale=${locale}`);
      await expect.poll(() => firstMember(page).innerText()).toMatch(/^Walker 110 /);
      const next = page.getByRole("button", { name: polaris(locale, "Polaris.Pagination.next") });
      const previous = page.getByRole("button", { name: polaris(locale, "Polaris.Pagination.previous") });
      await next.click();
      await expect.poll(() => firstMember(page).innerText()).toMatch(/^Walker 060 /);
      await next.click();
      await expect.poll(() => firstMember(page).innerText()).toMatch(/^Walker 010 /);
      await previous.click();
      // Back one page, not to the first.
      await expect.poll(() => firstMember(page).innerText()).toMatch(/^Walker 060 /);
      await previous.click();
      await expect.poll(() => firstMember(page).innerText()).toMatch(/^Walker 110 /);

      // A member with a manual tier: back to the earned tier, then points with a reason.
      const memberId = overridden[locale];
      await page.goto(`${app.server.url}/app/members/${memberId}?locale=${locale}`);
      const end = page.locator("form").filter({ has: page.getByRole("heading", { name: t("members.override.end") }) });
      await end
        .getByLabel(t("members.adjust.reason"))
        .fill(locale === "ru" ? "Акция закончилась" : "Promotion is over");
      await end.getByRole("button", { name: t("members.override.end") }).click();
      await expect
        .poll(async () => (await app.db.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).tierOverride, {
          timeout: 10_000,
        })
        .toBe(false);
      // The page has caught up (the card is gone, the adjustment form renewed) before it is filled in.
      await end.waitFor({ state: "detached" });
      // Their orders earn no tier: they keep Gold through the grace period, and the page says until when.
      const gold = await app.db.prisma.tier.findFirstOrThrow({ where: { shopId: shop.id, name: "Gold" } });
      const goldName = (gold.names as Record<string, string>)[locale] ?? gold.name;
      await page.getByText(t("members.override.keepsUntil", { tier: goldName, date: "§" }).split("§")[0]!).waitFor();
      const adjust = page.locator("form").filter({ has: page.getByLabel(t("members.adjust.points")) });
      await adjust.getByLabel(t("members.adjust.points")).fill("120");
      await adjust
        .getByLabel(t("members.adjust.reason"))
        .fill(locale === "ru" ? "Извините за задержку" : "Sorry for the delay");
      await adjust.getByRole("button", { name: t("members.adjust.submit"), exact: true }).click();
      await expect
        .poll(async () => (await app.db.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).balance, {
          timeout: 10_000,
        })
        .toBe(120);
      await accessible(page, `member-${locale}`);

      // A free-product reward: another product, chosen with the picker (the stand-in's catalogue).
      // A variant of a product with two sizes, then back to a single-variant product.
      const [search, product, variant] =
        locale === "en"
          ? ["Assam", "Assam black tea — 250 g", "gid://shopify/ProductVariant/808950813"]
          : ["Sencha", "Sencha green tea, 100 g", "gid://shopify/ProductVariant/808950810"];
      await page.goto(`${app.server.url}/app/rewards/${rewardId}?locale=${locale}`);
      await page.getByRole("button", { name: t("picker.browse.variant") }).click();
      const picker = await openedModal(page);
      await picker.getByLabel(t("picker.search")).fill(search);
      await picker.getByText(product, { exact: true }).last().click();
      await accessible(page, `reward-picker-${locale}`, [".Polaris-Checkbox__Input--indeterminate"]);
      await picker.getByRole("button", { name: t("picker.select") }).click();
      await page.getByText(product, { exact: true }).waitFor();
      await page.getByRole("button", { name: t("program.save") }).click();
      await expect
        .poll(
          async () =>
            (await app.db.prisma.reward.findUniqueOrThrow({ where: { id: rewardId } })).productVariantId ?? "",
          { timeout: 10_000 },
        )
        .toBe(variant);

      // Branding: the preview, drawn by the theme extension's Liquid, follows the colour typed.
      await page.goto(`${app.server.url}/app/branding?locale=${locale}`);
      const launcher = page.frameLocator("iframe").first().locator("#comeback-launcher-button");
      const colour = locale === "en" ? ["#123456", "rgb(18, 52, 86)"] : ["#654321", "rgb(101, 67, 33)"];
      await page.getByLabel(t("branding.accent"), { exact: true }).fill(colour[0]!);
      await expect
        .poll(() => launcher.evaluate((node) => getComputedStyle(node).backgroundColor), { timeout: 10_000 })
        .toBe(colour[1]);
      await accessible(page, `branding-${locale}`);

      // The loyalty page in the store's main menu, once.
      if (locale === "en") {
        await page.goto(`${app.server.url}/app/landing?locale=${locale}`);
        expect(await page.getByRole("link", { name: t("landing.view") }).getAttribute("href")).toMatch(
          /\/apps\/comeback$/,
        );
        await page.getByRole("button", { name: t("landing.menu.add") }).click();
        await page.getByText(t("landing.menu.linkedIn", { menus: "Main menu" })).waitFor();
        expect(standin.menus[0]!.items.at(-1)).toMatchObject({ url: "/apps/comeback", title: "Rewards program" });
      } else {
        await page.goto(`${app.server.url}/app/landing?locale=${locale}`);
        await page.getByText(t("landing.menu.linkedIn", { menus: "Main menu" })).waitFor();
      }
      await accessible(page, `landing-${locale}`);
      await page.close();
    },
    120_000,
  );
});

describe.skipIf(!hasChromium)("every admin page", () => {
  it("opens in English and in Russian, with no serious accessibility issue, photographed for review", async () => {
    const prisma = app.db.prisma;
    const tier = await prisma.tier.findFirstOrThrow({ where: { shopId: shop.id } });
    const pages: Array<[name: string, path: string]> = [
      ["home", "/app"],
      ["program", "/app/program"],
      ["rewards", "/app/rewards"],
      ["reward", `/app/rewards/${rewardId}`],
      ["reward-new", "/app/rewards/new?trigger=POINTS"],
      ["tiers", "/app/tiers"],
      ["tier", `/app/tiers/${tier.id}`],
      ["campaigns", "/app/campaigns"],
      ["campaign-new", "/app/campaigns/new"],
      ["referrals", "/app/referrals"],
      ["retention", "/app/retention"],
      ["members", "/app/members"],
      ["member", `/app/members/${overridden.en}`],
      ["messages", "/app/messages"],
      ["message", "/app/messages/WIN_BACK"],
      ["feedback", "/app/feedback"],
      ["surprises", "/app/surprises"],
      ["imports", "/app/imports"],
      ["branding", "/app/branding"],
      ["landing", "/app/landing"],
      ["settings", "/app/settings"],
      ["activity", "/app/activity"],
      ["setup", "/app/setup"],
      ["not-found", "/app/no-such-page"],
    ];
    for (const locale of ["en", "ru"] as const) {
      const t = translator(locale);
      const page = await adminPage(browser, app.server.url, shop.domain, {
        locale: locale === "ru" ? "ru-RU" : "en-US",
      });
      for (const [name, path] of pages) {
        await page.goto(`${app.server.url}${path}${path.includes("?") ? "&" : "?"}locale=${locale}`);
        const heading = page.locator("h1").first();
        await heading.waitFor();
        // The page itself, not its error boundary (a missing page has its own, on purpose).
        expect(await heading.innerText(), `${name} ${locale}`).not.toBe(t("error.heading"));
        if (name === "not-found") expect(await heading.innerText()).toBe(t("notFound.title"));
        // Nothing of Polaris left in English where Russian exists.
        if (locale === "ru")
          expect(await page.locator("body").innerText(), name).not.toContain(en.Polaris.Common.cancel + "\n");
        await accessible(page, `page-${name}-${locale}`);
      }
      await page.close();
    }
  }, 240_000);
});
