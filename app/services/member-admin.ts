import { isUuid } from "../domain/validation";
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
  const found = await db.activityLog.findMany({
    where: { shopId, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: pageSize + 1,
  });
  const rows = found.slice(0, pageSize);
  const ids = (values: Array<unknown>) => [
    ...new Set(values.filter((v): v is string => typeof v === "string" && isUuid(v))),
  ];
  const names = await directory(db, shopId, {
    actors: rows.map((row) => row.actor),
    members: ids(rows.map((row) => row.subject)),
    tiers: ids(rows.map((row) => (row.details as { tierId?: unknown } | null)?.tierId)),
  });
  return { rows, next: found.length > pageSize ? rows[pageSize - 1]!.id : null, names };
}

/**
 * Names for what log and ledger rows hold as ids: staff users ("staff:<id>", as Shopify
 * named them in an online token exchange), members (name or email) and tiers.
 */
export async function directory(
  db: Db,
  shopId: string,
  wanted: { actors?: Array<string | null>; members?: string[]; tiers?: string[] },
): Promise<{ staff: Record<string, string>; members: Record<string, string>; tiers: Record<string, string> }> {
  const userIds = [
    ...new Set((wanted.actors ?? []).map((actor) => /^staff:(.+)$/.exec(actor ?? "")?.[1]).filter(Boolean)),
  ] as string[];
  const [staff, members, tiers] = await Promise.all([
    userIds.length ? db.staffMember.findMany({ where: { shopId, userId: { in: userIds } } }) : [],
    wanted.members?.length
      ? db.member.findMany({
          where: { shopId, id: { in: wanted.members } },
          select: { id: true, firstName: true, email: true },
        })
      : [],
    wanted.tiers?.length
      ? db.tier.findMany({ where: { shopId, id: { in: wanted.tiers } }, select: { id: true, name: true } })
      : [],
  ]);
  return {
    staff: Object.fromEntries(staff.map((s) => [s.userId, s.name])),
    members: Object.fromEntries(
      members.map((m) => [m.id, [m.firstName, m.email].filter(Boolean).join(" · ") || m.id.slice(0, 8)]),
    ),
    tiers: Object.fromEntries(tiers.map((t) => [t.id, t.name])),
  };
}
