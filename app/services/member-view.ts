import type { EarningAction, Member, Reward, Tier } from "../generated/prisma/client";
import type { Db, Tx } from "../platform/database/db";
import { qualifyingValue } from "./tiers";
import type { ShopContext } from "./shop-context";

/**
 * What a shopper sees: the program (for everyone) and their own standing (members).
 * Read-only; built from a handful of indexed queries so the storefront stays fast.
 */

export interface ProgramView {
  shop: string;
  live: boolean;
  currency: string;
  points: { singular: string; plural: string };
  earning: { points: number; perSpendMinor: number };
  waysToEarn: Array<{ action: EarningAction; points: number }>;
  rewards: RewardView[];
  tiers: Array<{ name: string; threshold: string; metric: string; multiplier: number; perks: string[] }>;
  autoEnroll: boolean;
}

export interface RewardView {
  id: string;
  name: string;
  type: Reward["type"];
  cost: number;
  valueMinor: number | null;
  valuePercent: number | null;
  minOrderMinor: number | null;
  tier: string | null;
}

export interface MemberView {
  balance: number;
  pendingPoints: number;
  lifetimeEarned: number;
  tier: { name: string } | null;
  nextTier: { name: string; remaining: string; metric: string } | null;
  rewards: Array<RewardView & { affordable: boolean; available: boolean }>;
  /** Discount codes issued to the member and not used yet. */
  codes: Array<{ code: string; name: string; endsAt: string | null }>;
  referralCode: string;
  enrolledAt: string;
}

function perks(tier: Tier): string[] {
  const list: string[] = [];
  if (tier.multiplierBp !== 10_000) list.push(`points_x${tier.multiplierBp / 10_000}`);
  if (tier.freeShipping) list.push("free_shipping");
  if (tier.earlyAccess) list.push("early_access");
  if (tier.customPerk) list.push(tier.customPerk);
  return list;
}

function rewardView(reward: Reward, tiers: Tier[]): RewardView {
  return {
    id: reward.id,
    name: reward.name,
    type: reward.type,
    cost: reward.pointsCost,
    valueMinor: reward.valueMinor,
    valuePercent: reward.valuePercentBp === null ? null : reward.valuePercentBp / 100,
    minOrderMinor: reward.minOrderMinor,
    tier: reward.tierId ? (tiers.find((t) => t.id === reward.tierId)?.name ?? null) : null,
  };
}

export async function loadProgram(db: Db, shop: ShopContext) {
  const rewards = await db.reward.findMany({
    where: { shopId: shop.id, enabled: true, trigger: "POINTS" },
    orderBy: [{ position: "asc" }, { pointsCost: "asc" }],
  });
  return { rewards, tiers: shop.tiers };
}

export function programView(shop: ShopContext, rewards: Reward[], tiers: Tier[]): ProgramView {
  return {
    shop: shop.domain,
    live: shop.live,
    currency: shop.currency,
    points: { singular: shop.settings.pointsNameSingular, plural: shop.settings.pointsNamePlural },
    earning: { points: shop.settings.earnPoints, perSpendMinor: shop.settings.earnSpendMinor },
    waysToEarn: [...shop.rules.values()]
      .filter((rule) => rule.points > 0)
      .map((rule) => ({ action: rule.action, points: rule.points })),
    rewards: rewards.map((reward) => rewardView(reward, tiers)),
    tiers: tiers.map((tier) => ({
      name: tier.name,
      threshold: tier.threshold.toString(),
      metric: shop.settings.tierMetric,
      multiplier: tier.multiplierBp / 10_000,
      perks: perks(tier),
    })),
    autoEnroll: shop.settings.autoEnroll,
  };
}

export async function memberView(
  db: Db,
  shop: ShopContext,
  member: Member,
  rewards: Reward[],
  tiers: Tier[],
): Promise<MemberView> {
  const pending = await db.pendingPoints.aggregate({
    where: { shopId: shop.id, memberId: member.id, status: "PENDING" },
    _sum: { points: true },
  });
  const issued = await db.redemption.findMany({
    where: {
      shopId: shop.id,
      memberId: member.id,
      status: "ISSUED",
      code: { not: null },
      OR: [{ endsAt: null }, { endsAt: { gt: new Date() } }],
    },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { code: true, rewardSnapshot: true, endsAt: true },
  });
  const current = tiers.find((t) => t.id === member.tierId) ?? null;
  const value = await qualifyingValue(db as Tx, shop, member.id);
  const next = tiers.find((t) => t.position > (current?.position ?? -1) && t.threshold > value) ?? null;
  const tierRank = current?.position ?? -1;
  return {
    balance: member.balance,
    pendingPoints: pending._sum.points ?? 0,
    lifetimeEarned: member.lifetimeEarned,
    tier: current ? { name: current.name } : null,
    nextTier: next
      ? { name: next.name, remaining: (next.threshold - value).toString(), metric: shop.settings.tierMetric }
      : null,
    rewards: rewards.map((reward) => {
      const restrictedTo = reward.tierId ? tiers.find((t) => t.id === reward.tierId) : null;
      const available = !restrictedTo || tierRank >= restrictedTo.position;
      return { ...rewardView(reward, tiers), available, affordable: available && member.balance >= reward.pointsCost };
    }),
    codes: issued.map((r) => ({
      code: r.code!,
      name: (r.rewardSnapshot as { name?: string } | null)?.name ?? "",
      endsAt: r.endsAt?.toISOString() ?? null,
    })),
    referralCode: member.referralCode,
    enrolledAt: member.enrolledAt.toISOString(),
  };
}

/** What the storefront widget shows a shopper: the program, and their standing if they are a member. */
export async function storefrontView(db: Db, shop: ShopContext, customerId: bigint | null) {
  const [{ rewards, tiers }, member] = await Promise.all([
    loadProgram(db, shop),
    customerId ? db.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } }) : null,
  ]);
  const enrolled = member?.status === "ACTIVE";
  return {
    program: programView(shop, rewards, tiers),
    member: enrolled ? await memberView(db, shop, member, rewards, tiers) : null,
    customer: { loggedIn: customerId !== null, enrolled },
  };
}

/** A member's view right after a change (a join, a redemption). */
export async function memberViewById(db: Db, shop: ShopContext, memberId: string): Promise<MemberView> {
  const [{ rewards, tiers }, member] = await Promise.all([
    loadProgram(db, shop),
    db.member.findUniqueOrThrow({ where: { id: memberId } }),
  ]);
  return memberView(db, shop, member, rewards, tiers);
}

export interface HistoryPage {
  entries: Array<{ id: string; points: number; kind: string; source: string; reason: string; createdAt: string }>;
  nextCursor: string | null;
}

/** The member's ledger, newest first, by keyset (entry ids only grow). */
export async function memberHistory(
  db: Db,
  shop: ShopContext,
  memberId: string,
  page: { cursor: bigint | null; limit: number },
): Promise<HistoryPage> {
  const rows = await db.ledgerEntry.findMany({
    where: { shopId: shop.id, memberId, ...(page.cursor ? { id: { lt: page.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: page.limit + 1,
    select: { id: true, points: true, kind: true, source: true, reason: true, createdAt: true },
  });
  const shown = rows.slice(0, page.limit);
  return {
    entries: shown.map((row) => ({ ...row, id: row.id.toString(), createdAt: row.createdAt.toISOString() })),
    nextCursor: rows.length > page.limit ? shown[shown.length - 1]!.id.toString() : null,
  };
}
