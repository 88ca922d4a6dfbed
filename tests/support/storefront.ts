import type { Browser } from "playwright-core";
import type { PrismaClient } from "../../app/generated/prisma/client";
import { createAdminClient } from "../../app/shopify/admin-api.server";
import { syncShop } from "../../app/shopify/customer-sync.server";
import { postEntry } from "../../app/services/ledger";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { startStorefront, type RunningStorefront } from "../../scripts/storefront/server";
import { standinStorefrontData } from "../../scripts/storefront/standin-data";
import { startTestApp, type TestApp } from "./app";
import { launchBrowser } from "./browser";
import { createStandinShop } from "./seed";
import { TEST_SECRET } from "./shopify";

/** A member holding `points`, credited by a staff adjustment, as the storefront tests start from. */
export async function memberWithPoints(
  prisma: PrismaClient,
  shopId: string,
  shopper: { customerId: number; firstName: string; points: number },
) {
  const member = await prisma.member.create({
    data: {
      shopId,
      customerId: BigInt(shopper.customerId),
      firstName: shopper.firstName,
      referralCode: `${shopper.firstName.toUpperCase()}2026`,
    },
  });
  await postEntry(prisma, {
    shopId,
    memberId: member.id,
    points: shopper.points,
    kind: "EARN",
    source: "ADMIN",
    reason: { code: "adjustment", params: { note: "Welcome" } },
    idempotencyKey: `seed:${shopper.customerId}`,
  });
  return member;
}

/** The local storefront "Tea Shop" in front of the test app, reading what the app synced to the stand-in. */
export function startTestStorefront(
  app: TestApp,
  standin: AdminStandin,
  shop: string,
  shoppers: Array<{ id: number; name: string }>,
): Promise<RunningStorefront> {
  return startStorefront({
    appUrl: app.server.url,
    secret: TEST_SECRET,
    apiKey: "test-api-key",
    shop,
    shopName: "Tea Shop",
    currency: "USD",
    data: standinStorefrontData(`${standin.url}/__standin/state`, async () => shoppers),
  });
}

export interface StorefrontWorld {
  standin: AdminStandin;
  app: TestApp;
  storefront: RunningStorefront;
  browser: Browser;
  shop: { id: string; domain: string };
  close(): Promise<void>;
}

/**
 * What the storefront's browser tests stand on: the Admin API stand-in, the app's
 * production build, a live shop with the default program, one member with points, the
 * app's sync to "Shopify" (metafields the Liquid reads), the local storefront and Chromium.
 * `prepare` runs after the member exists and before the sync.
 */
export async function startStorefrontWorld(options: {
  shopper: { customerId: number; firstName: string; points: number };
  settings?: Parameters<typeof createStandinShop>[2];
  prepare?: (app: TestApp, shop: { id: string; domain: string }) => Promise<void>;
  /** Push the program and the member's metafields to the stand-in first (default true). */
  sync?: boolean;
}): Promise<StorefrontWorld> {
  const standin = await startAdminStandin({ accessToken: "offline-token" });
  const app = await startTestApp();
  const prisma = app.db.prisma;
  const shop = await createStandinShop(prisma, (domain) => standin.endpoint(domain), options.settings);
  await memberWithPoints(prisma, shop.id, options.shopper);
  await options.prepare?.(app, shop);
  if (options.sync !== false)
    await syncShop(
      prisma,
      shop.id,
      createAdminClient({ endpoint: standin.endpoint(shop.domain), accessToken: "offline-token" }),
    );
  const storefront = await startTestStorefront(app, standin, shop.domain, [
    { id: options.shopper.customerId, name: options.shopper.firstName },
  ]);
  const browser = await launchBrowser();
  return {
    standin,
    app,
    storefront,
    browser,
    shop,
    async close() {
      await browser.close();
      await storefront.close();
      await app.close();
      await standin.close();
    },
  };
}
