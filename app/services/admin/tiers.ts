import { z } from "zod";
import { TierMetric, TierWindow } from "../../generated/prisma/enums";
import type { Prisma, Tier } from "../../generated/prisma/client";
import { inTransaction, type Db, type Tx } from "../../platform/database/db";
import { requestDebounced } from "../../platform/job-queue.server";
import { invalidateShopContext, type ShopContext } from "../shop-context";
import { finishProgress, latestProgress, startProgress } from "../progress";
import { reevaluateShopTiers } from "../tiers";
import {
  changes,
  checkbox,
  FormErrors,
  int,
  NotFoundError,
  optionalText,
  recordActivity,
  text,
  type Form,
} from "./forms";
import { translationsFrom } from "./rewards";

/**
 * VIP tiers as the merchant edits them. Any change to the tiers (a threshold, a new tier,
 * one deleted, the metric) re-evaluates the shop's members within a minute on the job
 * queue, with progress the tiers page shows; downgrades still wait for the period's end.
 */

export const TIER_QUEUE = "tiers-reevaluate-shop";

const tierSchema = z.object({
  name: text(40),
  multiplier: z
    .string()
    .trim()
    .transform((v) => Number(v.replace(",", ".")))
    .pipe(
      z
        .number({ error: "validation.multiplier" })
        .min(1, { error: "validation.multiplier" })
        .max(10, { error: "validation.multiplier" }),
    ),
  freeShipping: checkbox,
  earlyAccess: checkbox,
  customPerk: optionalText(120),
  customerTag: z
    .string()
    .trim()
    .max(40, { error: "validation.tooLong" })
    .regex(/^[\p{L}\p{N}_-]*$/u, { error: "validation.tag" })
    .optional()
    .transform((v) => v || null),
});

/** A threshold typed in the program's metric: money in the shop's currency, or a count. */
function threshold(errors: FormErrors, raw: string | undefined, metric: TierMetric, currency: string, field: string) {
  const value = raw?.trim() ?? "";
  if (metric === "SPEND") {
    if (value === "0") return 0n;
    const minor = errors.money(value, currency, field, { required: true });
    return minor === null ? null : BigInt(minor);
  }
  const parsed = errors.parse(z.object({ [field]: int(0, 1_000_000_000) }), { [field]: value });
  return parsed ? BigInt(parsed[field] as number) : null;
}

/** Asks for the shop's members to be evaluated again soon (edits within seconds share one run). */
export async function requestTierReevaluation(db: Db, shopId: string, actor: string | null): Promise<void> {
  const queued = await db.jobProgress.findFirst({
    where: { shopId, kind: "tiers.evaluate", status: "RUNNING", done: 0, total: 0 },
  });
  if (!queued) await startProgress(db, { shopId, kind: "tiers.evaluate", actor });
  await requestDebounced(TIER_QUEUE, { shopId }, 5, shopId);
}

/** The job: runs the newest queued evaluation of a shop to the end. */
export async function runTierReevaluation(db: Db, shopId: string): Promise<number> {
  const progress =
    (await db.jobProgress.findFirst({
      where: { shopId, kind: "tiers.evaluate", status: "RUNNING" },
      orderBy: { startedAt: "desc" },
    })) ?? (await startProgress(db, { shopId, kind: "tiers.evaluate" }));
  try {
    const result = await reevaluateShopTiers(db, shopId, progress.id);
    await finishProgress(db, progress.id, { status: "DONE", details: { ...result } });
    // Older queued runs are covered by this one.
    await db.jobProgress.updateMany({
      where: { shopId, kind: "tiers.evaluate", status: "RUNNING", startedAt: { lt: progress.startedAt } },
      data: { status: "DONE", finishedAt: new Date() },
    });
    return result.upgraded + result.downgraded;
  } catch (error) {
    await finishProgress(db, progress.id, { status: "FAILED", error: String(error) });
    throw error;
  }
}

export function tierEvaluationProgress(db: Db, shopId: string) {
  return latestProgress(db, shopId, "tiers.evaluate");
}

async function reorderTiers(tx: Tx, shopId: string) {
  await tx.$executeRaw`UPDATE "Tier" SET position = -1000 - position WHERE "shopId" = ${shopId}::uuid`;
  await tx.$executeRaw`
    UPDATE "Tier" t SET position = ranked.rank - 1
    FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY threshold, name) AS rank FROM "Tier" WHERE "shopId" = ${shopId}::uuid) ranked
    WHERE t.id = ranked.id`;
}

export async function saveTier(db: Db, shop: ShopContext, form: Form, actor: string, tierId?: string) {
  const errors = new FormErrors();
  const input = errors.parse(tierSchema, form);
  const names = translationsFrom(form, shop.settings.defaultLanguage, errors, 40);
  const value = threshold(errors, form.threshold, shop.settings.tierMetric, shop.currency, "threshold");
  errors.throwIfAny();
  const { multiplier, ...fields } = input!;
  const row = { ...fields, names, multiplierBp: Math.round(multiplier * 10_000), threshold: value! };
  let saved: Tier;
  try {
    saved = await inTransaction(db, async (tx) => {
      const tiers = await tx.tier.findMany({ where: { shopId: shop.id }, orderBy: { position: "asc" } });
      const before = tierId ? tiers.find((t) => t.id === tierId) : undefined;
      if (tierId && !before) throw new NotFoundError("tier");
      const others = tiers.filter((t) => t.id !== tierId);
      const clash = new FormErrors();
      if (others.some((t) => t.name.toLowerCase() === row.name.toLowerCase()))
        clash.add("name", "validation.tierNameTaken");
      if (others.some((t) => t.threshold === row.threshold)) clash.add("threshold", "validation.tierThresholdTaken");
      if (!tierId && tiers.length >= 10) clash.add("form", "validation.tooManyTiers");
      clash.throwIfAny();
      // Positions follow thresholds. Moved out of the way first: (shopId, position) is unique.
      const tier = tierId
        ? await tx.tier.update({ where: { id: tierId }, data: { ...row, position: -1 - tiers.length } })
        : await tx.tier.create({ data: { ...row, shopId: shop.id, position: -1 - tiers.length } });
      await reorderTiers(tx, shop.id);
      await recordActivity(tx, shop.id, {
        actor,
        action: tierId ? "tier.updated" : "tier.created",
        subject: tier.name,
        details: (before
          ? changes(before, row)
          : { threshold: row.threshold.toString(), multiplierBp: row.multiplierBp }) as Prisma.InputJsonValue,
      });
      return tier;
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
  await requestTierReevaluation(db, shop.id, actor);
  return saved;
}

export async function deleteTier(db: Db, shop: ShopContext, tierId: string, actor: string) {
  try {
    await inTransaction(db, async (tx) => {
      const tier = await tx.tier.findFirst({ where: { id: tierId, shopId: shop.id } });
      if (!tier) throw new NotFoundError("tier");
      // Its members drop to no tier until the re-evaluation places them in the right one.
      await tx.tier.delete({ where: { id: tierId } });
      await reorderTiers(tx, shop.id);
      if (shop.settings.ladderVipTierId === tierId) {
        await tx.shopSettings.update({
          where: { shopId: shop.id },
          data: { ladderVipTierId: null, ladderVipOrders: null },
        });
      }
      await recordActivity(tx, shop.id, { actor, action: "tier.deleted", subject: tier.name });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
  await requestTierReevaluation(db, shop.id, actor);
}

const settingsSchema = z.object({
  tierMetric: z.enum(TierMetric, { error: "validation.invalid" }),
  tierWindow: z.enum(TierWindow, { error: "validation.invalid" }),
  tierGraceDays: int(0, 365),
  tierCountsHistory: checkbox,
});

/**
 * How tiers qualify. Changing the metric changes the unit of every threshold, so the
 * form must bring a new threshold for each tier (`threshold_<tier id>`): numbers are
 * never carried over from spend to points or orders.
 */
export async function saveTierSettings(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(settingsSchema, form);
  const metricChanged = input !== null && input.tierMetric !== shop.settings.tierMetric;
  const thresholds = new Map<string, bigint>();
  if (input && metricChanged) {
    for (const tier of shop.tiers) {
      const value = threshold(
        errors,
        form[`threshold_${tier.id}`],
        input.tierMetric,
        shop.currency,
        `threshold_${tier.id}`,
      );
      if (value !== null) thresholds.set(tier.id, value);
    }
    if (new Set([...thresholds.values()].map(String)).size < thresholds.size)
      errors.add("form", "validation.tierThresholdTaken");
  }
  errors.throwIfAny();
  const data = input!;
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
      await tx.shopSettings.update({ where: { shopId: shop.id }, data });
      if (metricChanged) {
        let parked = -100;
        for (const [id, value] of thresholds) {
          await tx.tier.update({ where: { id }, data: { threshold: value, position: parked-- } });
        }
        await reorderTiers(tx, shop.id);
      }
      const diff = {
        ...changes(before, data),
        ...(metricChanged
          ? { thresholds: Object.fromEntries([...thresholds].map(([id, value]) => [id, value.toString()])) }
          : {}),
      };
      if (Object.keys(diff).length)
        await recordActivity(tx, shop.id, {
          actor,
          action: "tiers.settingsUpdated",
          details: diff as Prisma.InputJsonValue,
        });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
  await requestTierReevaluation(db, shop.id, actor);
}

/** Active members per tier id, for the tiers page. */
export async function membersByTier(db: Db, shop: ShopContext): Promise<Map<string | null, number>> {
  const rows = await db.member.groupBy({
    by: ["tierId"],
    where: { shopId: shop.id, status: "ACTIVE" },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.tierId, row._count._all]));
}
