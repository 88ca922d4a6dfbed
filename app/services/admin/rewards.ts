import { z } from "zod";
import { RewardType } from "../../generated/prisma/enums";
import type { Prisma, Reward, RewardTrigger, RewardType as RewardTypeName } from "../../generated/prisma/client";
import { inTransaction, type Db } from "../../platform/database/db";
import { LANGUAGES, languageOf } from "../../domain/localized";
import { invalidateShopContext, type ShopContext } from "../shop-context";
import {
  changes,
  checkbox,
  FormErrors,
  int,
  NotFoundError,
  optionalInt,
  recordActivity,
  text,
  type Form,
} from "./forms";

/**
 * The reward catalogue as the merchant edits it: rewards bought with points, the order
 * ladder's codes (after the 1st and 2nd paid order, and a tier after the 3rd), the
 * birthday gifts a member chooses from, and the referred friend's first-order reward.
 */

const TRIGGERS = ["POINTS", "ORDER_LADDER", "BIRTHDAY_GIFT", "REFERRAL_FRIEND"] as const;

const rewardSchema = z.object({
  name: text(80),
  type: z.enum(Object.values(RewardType), { error: "validation.invalid" }),
  trigger: z.enum(TRIGGERS, { error: "validation.invalid" }),
  codeExpiryDays: optionalInt(1, 3650),
  limitPerMember: optionalInt(1, 1000),
  tierId: z
    .string()
    .optional()
    .transform((v) => v || null),
  productVariantId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null),
  enabled: checkbox,
  combinesWithOrder: checkbox,
  combinesWithProduct: checkbox,
  combinesWithShipping: checkbox,
});

/** Translations typed beside the default language's name: name_ru, name_en. */
export function translationsFrom(form: Form, defaultLanguage: string, errors: FormErrors, max = 80) {
  const names: Partial<Record<string, string>> = {};
  for (const language of LANGUAGES) {
    if (language === languageOf(defaultLanguage)) continue;
    const value = form[`name_${language}`]?.trim() ?? "";
    if (value.length > max) errors.add(`name_${language}`, "validation.tooLong");
    else if (value) names[language] = value;
  }
  return names;
}

export async function saveReward(db: Db, shop: ShopContext, form: Form, actor: string, rewardId?: string) {
  const errors = new FormErrors();
  const input = errors.parse(rewardSchema, form);
  const names = translationsFrom(form, shop.settings.defaultLanguage, errors);
  const trigger = (input?.trigger ?? form.trigger ?? "POINTS") as RewardTrigger;
  // Read on its own, so the value fields are checked even when another field is wrong.
  const type = (Object.values(RewardType) as string[]).includes(form.type ?? "")
    ? (form.type as RewardTypeName)
    : undefined;
  const pointsCost = trigger === "POINTS" ? errors.parse(z.object({ pointsCost: int(1, 10_000_000) }), form) : null;
  const ladder = trigger === "ORDER_LADDER" ? errors.parse(z.object({ ladderOrderCount: int(1, 2) }), form) : null;
  let valueMinor: number | null = null;
  let valuePercentBp: number | null = null;
  if (type === "FIXED_AMOUNT" || type === "STORE_CREDIT")
    valueMinor = errors.money(form.value, shop.currency, "value", { required: true });
  if (type === "PERCENTAGE") {
    const percent = Number(form.percent?.trim().replace(",", "."));
    if (!Number.isFinite(percent) || percent <= 0 || percent > 100) errors.add("percent", "validation.percent");
    else valuePercentBp = Math.round(percent * 100);
  }
  const minOrderMinor = errors.money(form.minOrder, shop.currency, "minOrder", { required: false });
  if (type === "FREE_PRODUCT" && !/^gid:\/\/shopify\/ProductVariant\/\d+$/.test(input?.productVariantId ?? ""))
    errors.add("productVariantId", "validation.variant");
  if (input?.tierId && !shop.tiers.some((t) => t.id === input.tierId)) errors.add("tierId", "validation.invalid");
  // A friend may be a guest, with no customer record to credit.
  if (trigger === "REFERRAL_FRIEND" && type === "STORE_CREDIT") errors.add("type", "validation.friendStoreCredit");
  // Ladder and gift codes are offers with a deadline (seed 003: "a coupon that expires").
  if (trigger !== "POINTS" && !form.codeExpiryDays?.trim()) errors.add("codeExpiryDays", "validation.required");
  errors.throwIfAny();
  const valid = input!;

  const data = {
    name: valid.name,
    names,
    type: valid.type,
    trigger,
    pointsCost: pointsCost?.pointsCost ?? 0,
    ladderOrderCount: ladder?.ladderOrderCount ?? null,
    valueMinor,
    valuePercentBp,
    currency: valueMinor === null ? null : shop.currency,
    minOrderMinor,
    codeExpiryDays: valid.codeExpiryDays,
    limitPerMember: trigger === "POINTS" ? valid.limitPerMember : null,
    tierId: trigger === "POINTS" ? valid.tierId : null,
    productVariantId: valid.type === "FREE_PRODUCT" ? valid.productVariantId : null,
    enabled: valid.enabled,
    combinesWithOrder: valid.combinesWithOrder,
    combinesWithProduct: valid.combinesWithProduct,
    combinesWithShipping: valid.combinesWithShipping,
  };
  try {
    return await inTransaction(db, async (tx) => {
      const existing = rewardId
        ? await tx.reward.findFirst({ where: { id: rewardId, shopId: shop.id } })
        : // One reward per ladder step and one friend reward: adding again edits it.
          trigger === "ORDER_LADDER"
          ? await tx.reward.findFirst({
              where: { shopId: shop.id, trigger, ladderOrderCount: data.ladderOrderCount },
            })
          : trigger === "REFERRAL_FRIEND"
            ? await tx.reward.findFirst({ where: { shopId: shop.id, trigger } })
            : null;
      if (rewardId && !existing) throw new NotFoundError("reward");
      let reward: Reward;
      if (existing) {
        reward = await tx.reward.update({ where: { id: existing.id }, data });
        await recordActivity(tx, shop.id, {
          actor,
          action: "reward.updated",
          subject: reward.name,
          details: changes(existing, data) as Prisma.InputJsonValue,
        });
      } else {
        const position = await tx.reward.count({ where: { shopId: shop.id, trigger } });
        reward = await tx.reward.create({ data: { ...data, shopId: shop.id, position } });
        await recordActivity(tx, shop.id, {
          actor,
          action: "reward.created",
          subject: reward.name,
          details: { pointsCost: reward.pointsCost, type: reward.type, trigger },
        });
      }
      if (trigger === "REFERRAL_FRIEND") {
        await tx.shopSettings.update({ where: { shopId: shop.id }, data: { referralFriendRewardId: reward.id } });
      }
      return reward;
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

export async function deleteReward(db: Db, shop: ShopContext, rewardId: string, actor: string) {
  try {
    await inTransaction(db, async (tx) => {
      const reward = await tx.reward.findFirst({ where: { id: rewardId, shopId: shop.id } });
      if (!reward) throw new NotFoundError("reward");
      // Redemptions keep their snapshot; the catalogue entry goes.
      await tx.reward.delete({ where: { id: rewardId } });
      if (shop.settings.referralFriendRewardId === rewardId) {
        await tx.shopSettings.update({ where: { shopId: shop.id }, data: { referralFriendRewardId: null } });
      }
      await recordActivity(tx, shop.id, { actor, action: "reward.deleted", subject: reward.name });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

const ladderTierSchema = z.object({
  ladderVipTierId: z
    .string()
    .optional()
    .transform((v) => v || null),
  ladderVipOrders: optionalInt(2, 100),
});

/** The ladder's last step: this many paid orders make a member at least this tier. */
export async function saveLadderTier(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(ladderTierSchema, form);
  if (input?.ladderVipTierId && !shop.tiers.some((t) => t.id === input.ladderVipTierId))
    errors.add("ladderVipTierId", "validation.invalid");
  if (input?.ladderVipTierId && input.ladderVipOrders === null) errors.add("ladderVipOrders", "validation.required");
  errors.throwIfAny();
  const data = {
    ladderVipTierId: input!.ladderVipTierId,
    ladderVipOrders: input!.ladderVipTierId ? input!.ladderVipOrders : null,
  };
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
      await tx.shopSettings.update({ where: { shopId: shop.id }, data });
      const diff = changes(before, data);
      if (Object.keys(diff).length)
        await recordActivity(tx, shop.id, {
          actor,
          action: "ladder.updated",
          details: diff as Prisma.InputJsonValue,
        });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

/** Everything the rewards pages list, by kind. */
export async function rewardCatalogue(db: Db, shop: ShopContext) {
  const rewards = await db.reward.findMany({
    where: { shopId: shop.id },
    orderBy: [{ trigger: "asc" }, { position: "asc" }, { pointsCost: "asc" }],
  });
  const issued = await db.redemption.groupBy({
    by: ["rewardId"],
    where: { shopId: shop.id, rewardId: { in: rewards.map((r) => r.id) }, status: { in: ["ISSUED", "USED"] } },
    _count: { _all: true },
  });
  const counts = new Map(issued.map((row) => [row.rewardId, row._count._all]));
  return rewards.map((reward) => ({ ...reward, issued: counts.get(reward.id) ?? 0 }));
}

export async function findReward(db: Db, shop: ShopContext, rewardId: string) {
  const reward = await db.reward.findFirst({ where: { id: rewardId, shopId: shop.id } });
  if (!reward) throw new NotFoundError("reward");
  return reward;
}

/** The cheapest rewards, as the guided setup previews them. */
export function setupRewards(db: Db, shop: ShopContext) {
  return db.reward.findMany({
    where: { shopId: shop.id, trigger: "POINTS", enabled: true },
    orderBy: { pointsCost: "asc" },
    take: 5,
  });
}

/** Whether the shop has an order ladder already (the setup offers one otherwise). */
export async function hasLadder(db: Db, shop: ShopContext): Promise<boolean> {
  return (await db.reward.count({ where: { shopId: shop.id, trigger: "ORDER_LADDER" } })) > 0;
}
