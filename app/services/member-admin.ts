import type { Db } from "../platform/database/db";
import type { ShopContext } from "./shop-context";

/**
 * What the merchant sees of one member: their record and recent history, scoped to the
 * shop (another shop's member id is simply not found).
 */
export async function memberDetail(db: Db, shop: ShopContext, memberId: string) {
  const member = await db.member.findFirst({ where: { id: memberId, shopId: shop.id } });
  if (!member) return null;
  const [entries, tierEvents, redemptions, referrals, clicks] = await Promise.all([
    db.ledgerEntry.findMany({ where: { shopId: shop.id, memberId }, orderBy: { id: "desc" }, take: 50 }),
    db.tierEvent.findMany({ where: { shopId: shop.id, memberId }, orderBy: { id: "desc" }, take: 20 }),
    db.redemption.findMany({
      where: { shopId: shop.id, memberId },
      orderBy: { createdAt: "desc" },
      take: 20,
      include: { reward: { select: { trigger: true } } },
    }),
    db.referral.findMany({
      where: { shopId: shop.id, referrerId: memberId },
      orderBy: { createdAt: "desc" },
      take: 50,
    }),
    db.analyticsEvent.count({ where: { shopId: shop.id, name: "referral.click", memberId } }),
  ]);
  return { member, entries, tierEvents, redemptions, referrals, clicks };
}

/** The activity log, newest first, by keyset. */
export async function activityPage(db: Db, shopId: string, before: bigint | null, pageSize = 50) {
  const rows = await db.activityLog.findMany({
    where: { shopId, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: pageSize + 1,
  });
  return { rows: rows.slice(0, pageSize), next: rows.length > pageSize ? rows[pageSize - 1]!.id : null };
}
