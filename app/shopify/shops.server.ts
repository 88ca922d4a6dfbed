import prisma from "../db.server";
import type { AuthenticatedAdmin } from "./admin-api.server";
import { SHOP_QUERY } from "./queries";
import { invalidateShopContext } from "../services/shop-context";
import { logger } from "../platform/logger.server";
import { inTransaction } from "../platform/database/db";
import { seedDefaultProgram } from "../services/defaults";

interface ShopQueryResult {
  data?: {
    shop: { name: string; currencyCode: string; ianaTimezone: string };
    shopLocales?: Array<{ locale: string; primary: boolean }>;
  };
  errors?: unknown;
}

interface ShopDetails {
  name?: string;
  currency?: string;
  ianaTimezone?: string;
  primaryLocale?: string;
}

/**
 * Records the shop after OAuth or token exchange: its currency and time zone drive
 * earning maths and tier windows. Re-installing clears `uninstalledAt`; the data kept
 * since the uninstall is used again.
 */
export async function registerShop(admin: AuthenticatedAdmin, domain: string): Promise<void> {
  let details: ShopDetails = {};
  try {
    const response = await admin.graphql(SHOP_QUERY);
    const body = (await response.json()) as ShopQueryResult;
    if (body.data?.shop) {
      details = {
        name: body.data.shop.name,
        currency: body.data.shop.currencyCode,
        ianaTimezone: body.data.shop.ianaTimezone,
        primaryLocale: body.data.shopLocales?.find((l) => l.primary)?.locale,
      };
    }
  } catch (error) {
    // The shop row matters more than its details; they are refreshed on the next auth.
    logger.warn({ shop: domain, err: error }, "could not read shop details after auth");
  }
  await upsertShop(domain, details);
}

/**
 * Creates or refreshes the shop row. A new shop gets the default program (in its
 * currency and language) to review in the guided setup; it stays a draft until launch.
 */
export async function upsertShop(domain: string, details: ShopDetails = {}) {
  invalidateShopContext({ domain });
  const { primaryLocale, ...rest } = details;
  const known = { ...rest, ...(primaryLocale ? { primaryLocale: primaryLocale.split("-")[0]! } : {}) };
  return inTransaction(prisma, async (tx) => {
    const shop = await tx.shop.upsert({
      where: { domain },
      create: { domain, ...known, settings: { create: {} } },
      update: { ...known, uninstalledAt: null },
    });
    // Serialises two installs racing (OAuth and token exchange can both land).
    await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shop.id}::uuid FOR UPDATE`;
    await seedDefaultProgram(tx, shop.id, shop.currency, shop.primaryLocale);
    return shop;
  });
}
