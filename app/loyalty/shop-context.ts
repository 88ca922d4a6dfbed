import type { EarningAction, EarningRule, Shop, ShopSettings } from "../generated/prisma/client";
import type { Db } from "./db";
import type { ActiveCampaign } from "./earning";

/** Everything the loyalty core needs to know about a shop to apply an event. */
export interface ShopContext {
  id: string;
  domain: string;
  currency: string;
  timezone: string;
  /** Points are earned and spent only while the program is live. */
  live: boolean;
  uninstalled: boolean;
  settings: ShopSettings;
  rules: Map<EarningAction, EarningRule>;
  /** One SOCIAL_FOLLOW rule per network (rule key = network name). */
  socialRules: EarningRule[];
  campaigns: ActiveCampaign[];
}

export async function loadShopContext(db: Db, where: { domain: string } | { id: string }): Promise<ShopContext | null> {
  const shop = await db.shop.findUnique({
    where,
    include: {
      settings: true,
      earningRules: { where: { enabled: true } },
      campaigns: { where: { enabled: true, endsAt: { gt: new Date(Date.now() - 366 * 24 * 3600 * 1000) } } },
    },
  });
  if (!shop) return null;
  return toContext(shop, shop.settings, shop.earningRules, shop.campaigns);
}

function toContext(
  shop: Shop,
  settings: ShopSettings | null,
  rules: EarningRule[],
  campaigns: Array<{ multiplierBp: number; startsAt: Date; endsAt: Date; productIds: string[] }>,
): ShopContext {
  if (!settings) throw new Error(`shop ${shop.domain} has no settings row`);
  const byAction = new Map<EarningAction, EarningRule>();
  // Several rules per action (e.g. one per social network) are keyed; the plain one wins here.
  for (const rule of rules) if (!byAction.has(rule.action) || rule.key === "") byAction.set(rule.action, rule);
  return {
    id: shop.id,
    domain: shop.domain,
    currency: shop.currency,
    timezone: shop.ianaTimezone,
    live: shop.programStatus === "LIVE" && !shop.uninstalledAt,
    uninstalled: Boolean(shop.uninstalledAt),
    settings,
    rules: byAction,
    socialRules: rules.filter((rule) => rule.action === "SOCIAL_FOLLOW" && rule.key !== ""),
    campaigns: campaigns.map((c) => ({
      multiplierBp: c.multiplierBp,
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      productIds: c.productIds,
    })),
  };
}
