import type { Db } from "../../platform/database/db";
import type { ShopContext } from "../shop-context";

/**
 * The Referrals page's figures for a period: link opens, friends who gave their email
 * (or signed up), friends' first paid orders and what they paid, referrers credited,
 * referrals refused or reversed, and the members who brought the most. Counted where each
 * step happened (Referral's step dates, `referral.click` events), so a period shows the
 * work done in it.
 */
export interface ReferralReport {
  clicks: number;
  signups: number;
  orders: number;
  /** What the friends' first orders paid, in the shop's currency. */
  revenueMinor: bigint;
  credited: number;
  rejected: number;
  advocates: Array<{
    memberId: string;
    name: string | null;
    email: string | null;
    signups: number;
    orders: number;
    revenueMinor: bigint;
  }>;
}

export async function referralReport(db: Db, shop: ShopContext, from: Date, to: Date): Promise<ReferralReport> {
  const [clicks, steps, advocates] = await Promise.all([
    db.analyticsEvent.count({
      where: { shopId: shop.id, name: "referral.click", createdAt: { gte: from, lt: to } },
    }),
    db.$queryRaw<
      Array<{ signups: bigint; orders: bigint; revenue: bigint | null; credited: bigint; rejected: bigint }>
    >`
      SELECT count(*) FILTER (WHERE r."signedUpAt" >= ${from} AND r."signedUpAt" < ${to}) AS signups,
             count(*) FILTER (WHERE r."orderedAt" >= ${from} AND r."orderedAt" < ${to}) AS orders,
             (sum(o."totalMinor") FILTER (WHERE r."orderedAt" >= ${from} AND r."orderedAt" < ${to}))::bigint AS revenue,
             count(*) FILTER (WHERE r."creditedAt" >= ${from} AND r."creditedAt" < ${to}) AS credited,
             count(*) FILTER (WHERE r.status = 'REJECTED' AND r."updatedAt" >= ${from} AND r."updatedAt" < ${to}) AS rejected
      FROM "Referral" r
      LEFT JOIN "Order" o ON o."shopId" = r."shopId" AND o.id = r."orderId"
      WHERE r."shopId" = ${shop.id}::uuid`,
    db.$queryRaw<
      Array<{
        memberId: string;
        name: string | null;
        email: string | null;
        signups: bigint;
        orders: bigint;
        revenue: bigint | null;
      }>
    >`
      SELECT m.id AS "memberId", NULLIF(trim(m."firstName"), '') AS name, m.email,
             count(*) FILTER (WHERE r."signedUpAt" >= ${from} AND r."signedUpAt" < ${to}) AS signups,
             count(*) FILTER (WHERE r."orderedAt" >= ${from} AND r."orderedAt" < ${to}) AS orders,
             (sum(o."totalMinor") FILTER (WHERE r."orderedAt" >= ${from} AND r."orderedAt" < ${to}))::bigint AS revenue
      FROM "Referral" r
      JOIN "Member" m ON m.id = r."referrerId"
      LEFT JOIN "Order" o ON o."shopId" = r."shopId" AND o.id = r."orderId"
      WHERE r."shopId" = ${shop.id}::uuid
        AND (r."signedUpAt" >= ${from} AND r."signedUpAt" < ${to} OR r."orderedAt" >= ${from} AND r."orderedAt" < ${to})
      GROUP BY m.id
      ORDER BY orders DESC, revenue DESC NULLS LAST, signups DESC, m.id
      LIMIT 10`,
  ]);
  const row = steps[0]!;
  return {
    clicks,
    signups: Number(row.signups),
    orders: Number(row.orders),
    revenueMinor: row.revenue ?? 0n,
    credited: Number(row.credited),
    rejected: Number(row.rejected),
    advocates: advocates.map((a) => ({
      memberId: a.memberId,
      name: a.name,
      email: a.email,
      signups: Number(a.signups),
      orders: Number(a.orders),
      revenueMinor: a.revenue ?? 0n,
    })),
  };
}

/** The reward a referred friend gets (the shop's REFERRAL_FRIEND reward), if one is set. */
export function friendRewardOf(db: Db, shop: ShopContext) {
  const id = shop.settings.referralFriendRewardId;
  if (!id) return Promise.resolve(null);
  return db.reward.findFirst({
    where: { shopId: shop.id, id, trigger: "REFERRAL_FRIEND" },
    select: { id: true, name: true, names: true, enabled: true },
  });
}
