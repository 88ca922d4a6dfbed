import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStorefront } from "../../scripts/storefront/server";
import { orderPayload } from "../fixtures/shopify-payloads";
import { startStorefrontWorld, type StorefrontWorld } from "../support/storefront";
import { ARTIFACTS, hasChromium, newPage, seriousA11yViolations } from "../support/browser";
import { postWebhook } from "../support/shopify";

/**
 * The customer-account extension's targets in Chromium, as the demo shows them: the
 * storefront stand-in renders the extension's own Preact components with a
 * customer-account session token for the signed-in shopper, against the running app.
 */
const CUSTOMER = 9101;
const ORDER = 61_001;
let world: StorefrontWorld;
let storefront: RunningStorefront;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  world = await startStorefrontWorld({
    shopper: { customerId: CUSTOMER, firstName: "Olga", points: 900 },
    sync: false,
    async prepare(testApp, shop) {
      const paid = JSON.stringify(
        orderPayload({ id: ORDER, customer: { id: CUSTOMER, email: "olga@example.com" }, lines: [{ price: "42.00" }] }),
      );
      expect(
        (await postWebhook(testApp.server.url, { topic: "orders/paid", shop: shop.domain, body: paid })).status,
      ).toBe(200);
    },
  });
  ({ storefront, browser } = world);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe.skipIf(!hasChromium)("customer accounts in a browser", () => {
  it("shows the Rewards page, redeems a reward in place, and the profile and order blocks, in English and Russian", async () => {
    for (const locale of ["en", "ru"] as const) {
      const t = (en: string, ru: string) => (locale === "ru" ? ru : en);
      const page = await newPage(browser, locale === "ru" ? "ru-RU" : "en-US");
      await page.goto(`${storefront.url}/?as=${CUSTOMER}&locale=${locale}`);
      await page.goto(`${storefront.url}/account/rewards`);
      await page.getByRole("heading", { name: t("Your points", "Ваши баллы"), exact: true }).waitFor();
      await page.getByRole("heading", { name: t("History", "История"), exact: true }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/account-rewards-${locale}.png`, fullPage: true });

      if (locale === "en") {
        // One tap on the first reward the balance covers: the code shows with its copy button.
        const before = await page.locator("s-heading").first().innerText();
        await page.locator("s-button:not([disabled])", { hasText: "Redeem" }).first().click();
        await page.locator("s-clipboard-item[id^=code-]").first().waitFor({ state: "attached" });
        expect(await page.locator("s-heading").first().innerText()).not.toBe(before);
        expect(await seriousA11yViolations(page)).toEqual([]);
      }

      await page.goto(`${storefront.url}/account/profile`);
      await page.getByRole("link", { name: t("View rewards", "Мои бонусы") }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/account-profile-${locale}.png` });

      await page.goto(`${storefront.url}/account/orders/${ORDER}`);
      await page.getByText(t("You earned 42 points with this order.", "За этот заказ вы получили 42 балла.")).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/account-order-${locale}.png` });
      await page.close();
    }
  }, 120_000);
});
