import { DAY_MS } from "../domain/time";
import type { EarningAction, EarningRule, ProgramStatus, Shop, ShopSettings, Tier } from "../generated/prisma/client";
import type { Db } from "../platform/database/db";
import { appConfig } from "../platform/runtime.server";
import type { ActiveCampaign } from "../domain/earning";

/** Everything the loyalty core needs to know about a shop to apply an event. */
export interface ShopContext {
  id: string;
  domain: string;
  /** The store's name as Shopify has it (null until known). */
  name: string | null;
  currency: string;
  timezone: string;
  /** Points are earned and spent only while the program is live. */
  live: boolean;
  status: ProgramStatus;
  /** The merchant finished the guided setup. */
  setupCompleted: boolean;
  uninstalled: boolean;
  settings: ShopSettings;
  rules: Map<EarningAction, EarningRule>;
  /** One SOCIAL_FOLLOW rule per network (rule key = network name). */
  socialRules: EarningRule[];
  campaigns: ActiveCampaign[];
  /** Ordered by position. */
  tiers: Tier[];
}

/**
 * Shop configuration changes rarely and is read by every webhook and storefront request,
 * so each instance keeps it for a few seconds (COMEBACK_SHOP_CACHE_MS, default 5000; 0
 * turns it off). Changes made through this instance invalidate it at once; other
 * instances see them within the TTL.
 */
const ttlMs = () => appConfig().shopCacheMs;
const cache = new Map<string, { context: ShopContext; expires: number }>();

export function invalidateShopContext(shop: { id?: string; domain?: string }): void {
  for (const [key, entry] of cache) {
    if (entry.context.id === shop.id || entry.context.domain === shop.domain) cache.delete(key);
  }
}

export async function loadShopContext(db: Db, where: { domain: string } | { id: string }): Promise<ShopContext | null> {
  const key = "domain" in where ? `d:${where.domain}` : `i:${where.id}`;
  const hit = cache.get(key);
  if (hit && hit.expires > Date.now()) return hit.context;
  const context = await readShopContext(db, where);
  if (context && ttlMs() > 0) {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { context, expires: Date.now() + ttlMs() });
  } else {
    cache.delete(key);
  }
  return context;
}

async function readShopContext(db: Db, where: { domain: string } | { id: string }): Promise<ShopContext | null> {
  const shop = await db.shop.findUnique({
    where,
    include: {
      settings: true,
      earningRules: { where: { enabled: true } },
      campaigns: { where: { enabled: true, endsAt: { gt: new Date(Date.now() - 366 * DAY_MS) } } },
      tiers: { orderBy: { position: "asc" } },
    },
  });
  if (!shop) return null;
  return toContext(shop, shop.settings, shop.earningRules, shop.campaigns, shop.tiers);
}

/**
 * A campaign on chosen products or collections applies to those products (its collections'
 * as last read from Shopify); one that names neither applies to everything.
 */
export function campaignProducts(campaign: {
  productIds: string[];
  collectionIds: string[];
  collectionProductIds: string[];
}): string[] | "all" {
  if (campaign.productIds.length === 0 && campaign.collectionIds.length === 0) return "all";
  return [...new Set([...campaign.productIds, ...campaign.collectionProductIds])];
}

function toContext(
  shop: Shop,
  settings: ShopSettings | null,
  rules: EarningRule[],
  campaigns: Array<{
    multiplierBp: number;
    startsAt: Date;
    endsAt: Date;
    productIds: string[];
    collectionIds: string[];
    collectionProductIds: string[];
  }>,
  tiers: Tier[],
): ShopContext {
  if (!settings) throw new Error(`shop ${shop.domain} has no settings row`);
  const byAction = new Map<EarningAction, EarningRule>();
  // Several rules per action (e.g. one per social network) are keyed; the plain one wins here.
  for (const rule of rules) if (!byAction.has(rule.action) || rule.key === "") byAction.set(rule.action, rule);
  return {
    id: shop.id,
    domain: shop.domain,
    name: shop.name,
    currency: shop.currency,
    timezone: shop.ianaTimezone,
    live: shop.programStatus === "LIVE" && !shop.uninstalledAt,
    status: shop.programStatus,
    setupCompleted: shop.setupCompleted,
    uninstalled: Boolean(shop.uninstalledAt),
    settings,
    rules: byAction,
    socialRules: rules.filter((rule) => rule.action === "SOCIAL_FOLLOW" && rule.key !== ""),
    tiers,
    campaigns: campaigns.map((c) => ({
      multiplierBp: c.multiplierBp,
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      productIds: campaignProducts(c),
    })),
  };
}
