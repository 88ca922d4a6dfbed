import prisma from "../db.server";
import type { AuthenticatedAdmin } from "./admin-api.server";
import { SHOP_QUERY } from "./queries";
import { invalidateShopContext } from "../loyalty/shop-context";
import { logger } from "../platform/logger.server";


interface ShopQueryResult {
  data?: { shop: { name: string; currencyCode: string; ianaTimezone: string } };
  errors?: unknown;
}

/**
 * Records the shop after OAuth or token exchange: its currency and time zone drive
 * earning maths and tier windows. Re-installing clears `uninstalledAt`; the data kept
 * since the uninstall is used again.
 */
export async function registerShop(admin: AuthenticatedAdmin, domain: string): Promise<void> {
  let details: { name?: string; currency?: string; ianaTimezone?: string } = {};
  try {
    const response = await admin.graphql(SHOP_QUERY);
    const body = (await response.json()) as ShopQueryResult;
    if (body.data?.shop) {
      details = {
        name: body.data.shop.name,
        currency: body.data.shop.currencyCode,
        ianaTimezone: body.data.shop.ianaTimezone,
      };
    }
  } catch (error) {
    // The shop row matters more than its details; they are refreshed on the next auth.
    logger.warn({ shop: domain, err: error }, "could not read shop details after auth");
  }
  await upsertShop(domain, details);
}

export async function upsertShop(
  domain: string,
  details: { name?: string; currency?: string; ianaTimezone?: string } = {},
) {
  invalidateShopContext({ domain });
  return prisma.shop.upsert({
    where: { domain },
    create: { domain, ...details, settings: { create: {} } },
    update: { ...details, uninstalledAt: null },
  });
}
