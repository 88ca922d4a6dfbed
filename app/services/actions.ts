import type { Tx } from "../platform/database/db";
import { postEntry } from "./ledger";
import { upgradeAfterEarning } from "./tiers";
import type { ShopContext } from "./shop-context";

/**
 * Points for things that are not purchases (the articles' "reward non-purchase
 * actions"): newsletter signup and social follows (birthdays: birthdays.ts). Each is
 * awarded once per member (social: once per network), whatever path reports it.
 */

export async function awardNewsletter(tx: Tx, shop: ShopContext, memberId: string): Promise<boolean> {
  const rule = shop.rules.get("NEWSLETTER");
  if (!rule || rule.points <= 0 || !shop.live) return false;
  const posted = await postEntry(tx, {
    shopId: shop.id,
    memberId,
    points: rule.points,
    kind: "EARN",
    source: "NEWSLETTER",
    reason: { code: "newsletter" },
    idempotencyKey: `newsletter:${memberId}`,
  });
  if (posted.created) await upgradeAfterEarning(tx, shop, memberId, "newsletter");
  return posted.created;
}

export async function awardSocialFollow(
  tx: Tx,
  shop: ShopContext,
  memberId: string,
  network: string,
): Promise<number | null> {
  const rule = shop.socialRules.find((r) => r.key === network);
  if (!rule || rule.points <= 0 || !shop.live) return null;
  const posted = await postEntry(tx, {
    shopId: shop.id,
    memberId,
    points: rule.points,
    kind: "EARN",
    source: "SOCIAL",
    reason: { code: "social", params: { network } },
    idempotencyKey: `social:${network}:${memberId}`,
  });
  if (!posted.created) return 0;
  await upgradeAfterEarning(tx, shop, memberId, `follow: ${network}`);
  return rule.points;
}
