import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "../../app/platform/config.server";
import type { AdminStandin } from "../../scripts/shopify-standin/admin-api";
import type { RunningStorefront } from "../../scripts/storefront/server";
import { adminClient } from "../support/admin";
import { startStorefrontWorld, type StorefrontWorld } from "../support/storefront";
import type { TestApp } from "../support/app";
import { ARTIFACTS, hasChromium, newPage, seriousA11yViolations } from "../support/browser";

/**
 * Spending points in the cart, in Chromium against the running app (production build):
 * the storefront's cart page renders the theme's cart block, its script redeems through
 * the signed App Proxy and applies the code with the Cart AJAX API, and checkout sends
 * the app the orders/paid Shopify would, with that code.
 */
const CUSTOMER = 9101;
let world: StorefrontWorld;
let standin: AdminStandin;
let app: TestApp;
let storefront: RunningStorefront;
let browser: Browser;
let shopId: string;
let shopDomain: string;

beforeAll(async () => {
  if (!hasChromium) return;
  world = await startStorefrontWorld({
    shopper: { customerId: CUSTOMER, firstName: "Vera", points: 1500 },
    settings: { settings: { languages: ["en", "ru"] } },
    async prepare({ db: { prisma } }, shop) {
      // A reward with a minimum order the test cart does not reach.
      await prisma.reward.create({
        data: {
          shopId: shop.id,
          name: "$10 off orders over $100",
          names: { ru: "$10 на заказ от $100" },
          type: "FIXED_AMOUNT",
          pointsCost: 300,
          valueMinor: 1000,
          currency: "USD",
          minOrderMinor: 10_000,
          position: 5,
        },
      });
      // The dashboard is read through authenticate.admin, which wants the app's scopes.
      await prisma.shop.update({ where: { id: shop.id }, data: { setupCompleted: true } });
      await prisma.session.update({
        where: { id: `offline_${shop.domain}` },
        data: { scope: DEFAULT_SCOPES.join(",") },
      });
    },
  });
  ({ standin, app, storefront, browser } = world);
  shopId = world.shop.id;
  shopDomain = world.shop.domain;
}, 180_000);

afterAll(async () => {
  await world?.close();
});

/** Redemptions wait on Shopify (the stand-in) and the page's requests: give them time. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });

const shown = async (locator: { innerText(): Promise<string> }) => (await locator.innerText()).replace(/\u00a0/g, " ");

async function cartJs(page: Page) {
  return page.evaluate(async () => {
    const cart = (await (await fetch("/cart.js")).json()) as {
      total_price: number;
      total_discount: number;
      discount_codes: Array<{ code: string; applicable: boolean }>;
    };
    return cart;
  });
}

async function openCart(locale: "en" | "ru"): Promise<Page> {
  const page = await newPage(browser, locale === "ru" ? "ru-RU" : "en-US");
  await page.goto(`${storefront.url}/?as=${CUSTOMER}&locale=${locale}`);
  await page.getByRole("button", { name: locale === "ru" ? "В корзину" : "Add to cart" }).click();
  await page.waitForURL(/\/cart$/);
  await page.locator(".cb-cart li").first().waitFor();
  return page;
}

describe.skipIf(!hasChromium)("spending points in the cart", () => {
  it("redeems and applies in one tap, removes without losing the code, and the paid order counts as a loyalty order", async () => {
    const page = await openCart("en");
    const block = page.locator(".cb-cart");
    expect(await shown(block)).toContain("You have 1,500 points");
    // The cart ($49.90) is short of that reward's $100 minimum: the block says by how much.
    expect(await shown(block)).toContain("Add $50.10 more to your cart to use it");
    expect(await page.locator("[data-cb-cart^='redeem:']").count()).toBe(3);

    await page.getByRole("button", { name: /^Redeem and apply: \$5 off for 500\spoints$/ }).click();
    const note = page.locator(".cb-note");
    await poll(() => shown(note)).toMatch(
      /^CB-[A-Z0-9]+ is applied to your cart\. You save \$5\.00\. Total: \$44\.90$/,
    );
    const code = /^(CB-[A-Z0-9]+)/.exec(await shown(note))![1]!;
    // Applied in the cart Shopify holds, and created in Shopify (the Admin API stand-in).
    expect(await cartJs(page)).toMatchObject({
      total_price: 4490,
      total_discount: 500,
      discount_codes: [{ code, applicable: true }],
    });
    expect(standin.discounts.map((d) => d.code)).toContain(code);
    // Focus lands on the outcome, and the launcher follows the new balance.
    expect(await page.evaluate(() => document.activeElement?.classList.contains("cb-note"))).toBe(true);
    await poll(() => shown(page.locator("#comeback-launcher-button"))).toContain("1,000 points");
    // Another order discount cannot join it: the block says which code is in the way.
    expect(await shown(block)).toContain(`Doesn't combine with ${code}, already in your cart`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/cart-block-en.png`, fullPage: true });

    // Removing it leaves the code the shopper's, and says so.
    await page.getByRole("button", { name: `Remove ${code} from this cart` }).click();
    await poll(() => shown(note)).toBe(`${code} is off this cart. It stays yours: use it on a later order.`);
    expect((await cartJs(page)).discount_codes).toEqual([]);
    const redemption = await app.db.prisma.redemption.findFirstOrThrow({ where: { shopId, code } });
    expect(redemption.status).toBe("ISSUED");
    expect((await app.db.prisma.member.findFirstOrThrow({ where: { shopId } })).balance).toBe(1000);

    // Applying it again costs nothing more.
    await page.getByRole("button", { name: `Apply ${code} to this cart` }).click();
    await poll(() => shown(note)).toContain(`${code} is applied to your cart.`);
    expect((await app.db.prisma.member.findFirstOrThrow({ where: { shopId } })).balance).toBe(1000);

    // Checkout: the stand-in sends orders/paid with the cart's code.
    await page.reload();
    await page.getByRole("button", { name: "Check out" }).click();
    const heading = page.locator("h1[data-order-name]");
    await poll(() => heading.innerText()).toMatch(/^Thank you! Order #S\d+ is paid\.$/);
    await poll(async () => (await app.db.prisma.redemption.findFirstOrThrow({ where: { shopId, code } })).status).toBe(
      "USED",
    );
    const order = await app.db.prisma.order.findFirstOrThrow({ where: { shopId } });
    expect(order.usedLoyaltyReward).toBe(true);
    const admin = adminClient(app.server.url, shopDomain);
    const dashboard = await admin.load<{ current: { loyaltyOrders: number; loyaltyOrderRevenueMinor: number } }>(
      "/app?days=7",
      "routes/app._index",
    );
    expect(dashboard.status).toBe(200);
    expect(dashboard.data.current.loyaltyOrders).toBe(1);
    expect(dashboard.data.current.loyaltyOrderRevenueMinor).toBe(4490);
    await page.close();
  }, 120_000);

  it("speaks Russian to a Russian storefront, with the same rules", async () => {
    const page = await openCart("ru");
    const block = page.locator(".cb-cart");
    expect(await shown(block)).toContain("Потратьте баллы");
    expect(await shown(block)).toMatch(/У вас [\d ]+ балл/);
    expect(await shown(block)).toMatch(/Добавьте товаров ещё на 50,10\s\$, чтобы его использовать/);
    await page.getByRole("button", { name: /^Обменять и применить: «Скидка 5\s\$» за 500\sбаллов$/ }).click();
    await poll(() => shown(page.locator(".cb-note"))).toMatch(
      /^Код CB-[A-Z0-9]+ применён к корзине\. Экономия 5,00\s\$\. Итого: 44,90\s\$$/,
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/cart-block-ru.png`, fullPage: true });
    await page.close();
  }, 60_000);

  it("puts the same rewards in the theme's cart drawer when it opens, and again after the drawer re-renders", async () => {
    const page = await newPage(browser);
    const proxied: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/apps/comeback/cart")) proxied.push(request.url());
    });
    await page.goto(`${storefront.url}/?as=${CUSTOMER}&locale=en`);
    await page.evaluate(() =>
      fetch("/cart/add.js", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: 808950810, quantity: 2 }),
      }),
    );
    await page.reload();
    // The drawer is closed: its slot is in place, but nothing was asked of the app.
    await page.locator("cart-drawer [data-comeback-cart]").waitFor({ state: "attached" });
    expect(proxied).toEqual([]);
    await page.getByRole("button", { name: "Cart", exact: true }).click();
    const drawer = page.locator("cart-drawer");
    await drawer.locator(".cb-cart li").first().waitFor();
    expect(await shown(drawer.locator(".cb-cart"))).toContain("Spend your points");
    expect(proxied).toHaveLength(1);
    // Before the footer, as in Dawn's drawer.
    expect(
      await page.evaluate(
        () => document.querySelector("cart-drawer [data-comeback-cart]")?.nextElementSibling?.className,
      ),
    ).toBe("drawer__footer");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/cart-drawer-en.png` });
    // Themes re-render the drawer after every cart change: the rewards come back.
    await page.evaluate(() => {
      document.querySelector("cart-drawer")!.innerHTML =
        '<div class="drawer__inner"><h2>Your cart</h2><div class="drawer__footer"><a href="/cart">View cart</a></div></div>';
    });
    await drawer.locator(".cb-cart li").first().waitFor();
    expect(proxied).toHaveLength(2);
    await page.close();
  }, 60_000);

  it("answers a guest with sign-in, and refuses unsigned or malformed requests with nothing written", async () => {
    const page = await newPage(browser);
    await page.goto(`${storefront.url}/?as=&locale=en`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForURL(/\/cart$/);
    await poll(() => shown(page.locator(".cb-cart"))).toContain("Sign in to spend your points on this order.");
    expect(await page.locator("[data-cb-cart]").count()).toBe(0);
    await page.close();

    const before = await app.db.prisma.redemption.count();
    const unsigned = await fetch(`${app.server.url}/proxy/cart?subtotal=1&total=1&currency=USD`);
    expect(unsigned.status).toBe(401);
    const bad = await fetch(`${storefront.url}/apps/comeback/cart?subtotal=abc&total=1&currency=USD`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^subtotal: /);
    const codes = await fetch(`${storefront.url}/apps/comeback/cart?subtotal=1&total=1&currency=USD&codes=A,B`);
    expect(codes.status).toBe(400);
    // A merchant's code may hold a space.
    const spaced = await fetch(
      `${storefront.url}/apps/comeback/cart?subtotal=1&total=1&currency=USD&codes=${encodeURIComponent("SUMMER SALE~1")}`,
    );
    expect(spaced.status).toBe(200);
    expect(await app.db.prisma.redemption.count()).toBe(before);
  });
});
