import { EarningAction, NegativeBalancePolicy, RewardType, TierMetric, TierWindow } from "../generated/prisma/enums";
import { DAY_MS } from "../domain/time";
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import { inTransaction, type Db, type Tx } from "../platform/database/db";
import { lockMember, postEntry } from "./ledger";
import { MoneyError, parseMinor } from "../domain/money";
import { invalidateShopContext, loadShopContext, type ShopContext } from "./shop-context";
import { setTierOverride } from "./tiers";

/**
 * What the merchant changes in the admin: rewards, tiers, earning settings, launch,
 * manual adjustments and tier overrides. Input arrives as form strings; it is validated
 * here into field errors (message keys the admin translates), and every change is
 * written with an activity-log entry naming who changed what, in one transaction.
 */

/** Field name → message key (in app/i18n), for the form to show under each field. */
export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(readonly fields: Record<string, string>) {
    super(`invalid: ${Object.keys(fields).join(", ")}`);
  }
}

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

type Form = Record<string, string | undefined>;

const text = (max: number) =>
  z.string().trim().min(1, { error: "validation.required" }).max(max, { error: "validation.tooLong" });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: "validation.tooLong" })
    .optional()
    .transform((v) => v || null);
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { error: "validation.wholeNumber" })
    .transform(Number)
    .pipe(z.number().min(min, { error: "validation.range" }).max(max, { error: "validation.range" }));
const optionalInt = (min: number, max: number) =>
  z
    .union([z.literal(""), int(min, max)])
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v));
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    fields[field] ??= issue.message.startsWith("validation.") ? issue.message : "validation.invalid";
  }
  return fields;
}

function parse<T extends z.ZodType>(schema: T, form: Form): z.infer<T> {
  const result = schema.safeParse(form);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
}

/** A money amount typed by the merchant ("5", "4.99") in the shop's currency. */
function money(
  value: string | undefined,
  currency: string,
  field: string,
  options: { required: boolean },
): number | null {
  const raw = value?.trim() ?? "";
  if (!raw) {
    if (options.required) throw new ValidationError({ [field]: "validation.required" });
    return null;
  }
  try {
    const minor = parseMinor(raw.replace(",", "."), currency);
    if (minor <= 0n || minor > 1_000_000_000n) throw new ValidationError({ [field]: "validation.range" });
    return Number(minor);
  } catch (error) {
    if (error instanceof MoneyError) throw new ValidationError({ [field]: "validation.money" });
    throw error;
  }
}

export async function recordActivity(
  tx: Tx,
  shopId: string,
  entry: { actor: string; action: string; subject?: string | null; details?: Prisma.InputJsonValue },
) {
  await tx.activityLog.create({
    data: { shopId, actor: entry.actor, action: entry.action, subject: entry.subject ?? null, details: entry.details },
  });
}

/** The fields that changed, as { field: [before, after] }, for the activity log. */
function changes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const diff: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    const same =
      JSON.stringify(old, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ===
      JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    if (!same)
      diff[key] = [
        typeof old === "bigint" ? old.toString() : old,
        typeof value === "bigint" ? value.toString() : value,
      ];
  }
  return diff;
}

// ---------------------------------------------------------------------------------
// Rewards

const REWARD_TYPES = Object.values(RewardType);

const rewardSchema = z.object({
  name: text(80),
  type: z.enum(REWARD_TYPES, { error: "validation.invalid" }),
  pointsCost: int(1, 10_000_000),
  percent: z.string().optional(),
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
});

export async function saveReward(db: Db, shop: ShopContext, form: Form, actor: string, rewardId?: string) {
  const input = parse(rewardSchema, form);
  const errors: Record<string, string> = {};
  let valueMinor: number | null = null;
  let valuePercentBp: number | null = null;
  try {
    if (input.type === "FIXED_AMOUNT" || input.type === "STORE_CREDIT")
      valueMinor = money(form.value, shop.currency, "value", { required: true });
    const minOrder = money(form.minOrder, shop.currency, "minOrder", { required: false });
    if (input.type === "PERCENTAGE") {
      const percent = Number(form.percent?.trim().replace(",", "."));
      if (!Number.isFinite(percent) || percent <= 0 || percent > 100) errors.percent = "validation.percent";
      else valuePercentBp = Math.round(percent * 100);
    }
    if (input.type === "FREE_PRODUCT" && !/^gid:\/\/shopify\/ProductVariant\/\d+$/.test(input.productVariantId ?? ""))
      errors.productVariantId = "validation.variant";
    if (input.tierId && !shop.tiers.some((t) => t.id === input.tierId)) errors.tierId = "validation.invalid";
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const data = {
      name: input.name,
      type: input.type,
      pointsCost: input.pointsCost,
      valueMinor,
      valuePercentBp,
      currency: valueMinor === null ? null : shop.currency,
      minOrderMinor: minOrder,
      codeExpiryDays: input.codeExpiryDays,
      limitPerMember: input.limitPerMember,
      tierId: input.tierId,
      productVariantId: input.type === "FREE_PRODUCT" ? input.productVariantId : null,
      enabled: input.enabled,
    };
    return await inTransaction(db, async (tx) => {
      if (rewardId) {
        const before = await tx.reward.findFirst({ where: { id: rewardId, shopId: shop.id } });
        if (!before) throw new NotFoundError("reward");
        const reward = await tx.reward.update({ where: { id: rewardId }, data });
        await recordActivity(tx, shop.id, {
          actor,
          action: "reward.updated",
          subject: reward.name,
          details: changes(before, data) as Prisma.InputJsonValue,
        });
        return reward;
      }
      const position = await tx.reward.count({ where: { shopId: shop.id } });
      const reward = await tx.reward.create({ data: { ...data, shopId: shop.id, position } });
      await recordActivity(tx, shop.id, {
        actor,
        action: "reward.created",
        subject: reward.name,
        details: { pointsCost: reward.pointsCost, type: reward.type },
      });
      return reward;
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

export async function deleteReward(db: Db, shop: ShopContext, rewardId: string, actor: string) {
  await inTransaction(db, async (tx) => {
    const reward = await tx.reward.findFirst({ where: { id: rewardId, shopId: shop.id } });
    if (!reward) throw new NotFoundError("reward");
    // Redemptions keep their snapshot; the catalogue entry goes.
    await tx.reward.delete({ where: { id: rewardId } });
    await recordActivity(tx, shop.id, { actor, action: "reward.deleted", subject: reward.name });
  });
}

// ---------------------------------------------------------------------------------
// Tiers

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

export async function saveTier(db: Db, shop: ShopContext, form: Form, actor: string, tierId?: string) {
  const input = parse(tierSchema, form);
  let threshold: bigint;
  if (shop.settings.tierMetric === "SPEND") {
    const raw = form.threshold?.trim() ?? "";
    if (raw === "0") threshold = 0n;
    else threshold = BigInt(money(raw, shop.currency, "threshold", { required: true })!);
  } else {
    threshold = BigInt(parse(z.object({ threshold: int(0, 1_000_000_000) }), form).threshold);
  }
  const data = { ...input, multiplierBp: Math.round(input.multiplier * 10_000), threshold };
  const { multiplier: _multiplier, ...row } = data;
  try {
    return await inTransaction(db, async (tx) => {
      const tiers = await tx.tier.findMany({ where: { shopId: shop.id }, orderBy: { position: "asc" } });
      const before = tierId ? tiers.find((t) => t.id === tierId) : undefined;
      if (tierId && !before) throw new NotFoundError("tier");
      const others = tiers.filter((t) => t.id !== tierId);
      if (others.some((t) => t.name.toLowerCase() === row.name.toLowerCase()))
        throw new ValidationError({ name: "validation.tierNameTaken" });
      if (others.some((t) => t.threshold === row.threshold))
        throw new ValidationError({ threshold: "validation.tierThresholdTaken" });
      if (!tierId && tiers.length >= 10) throw new ValidationError({ form: "validation.tooManyTiers" });
      // Positions follow thresholds. Moved out of the way first: (shopId, position) is unique.
      const saved = tierId
        ? await tx.tier.update({ where: { id: tierId }, data: { ...row, position: -1 - tiers.length } })
        : await tx.tier.create({ data: { ...row, shopId: shop.id, position: -1 - tiers.length } });
      await reorderTiers(tx, shop.id);
      await recordActivity(tx, shop.id, {
        actor,
        action: tierId ? "tier.updated" : "tier.created",
        subject: saved.name,
        details: (before
          ? changes(before, row)
          : { threshold: row.threshold.toString(), multiplierBp: row.multiplierBp }) as Prisma.InputJsonValue,
      });
      return saved;
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

async function reorderTiers(tx: Tx, shopId: string) {
  await tx.$executeRaw`UPDATE "Tier" SET position = -1000 - position WHERE "shopId" = ${shopId}::uuid`;
  await tx.$executeRaw`
    UPDATE "Tier" t SET position = ranked.rank - 1
    FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY threshold, name) AS rank FROM "Tier" WHERE "shopId" = ${shopId}::uuid) ranked
    WHERE t.id = ranked.id`;
}

export async function deleteTier(db: Db, shop: ShopContext, tierId: string, actor: string) {
  try {
    await inTransaction(db, async (tx) => {
      const tier = await tx.tier.findFirst({ where: { id: tierId, shopId: shop.id } });
      if (!tier) throw new NotFoundError("tier");
      // Its members drop to no tier; the nightly evaluation places them in the right one.
      await tx.tier.delete({ where: { id: tierId } });
      await reorderTiers(tx, shop.id);
      await recordActivity(tx, shop.id, { actor, action: "tier.deleted", subject: tier.name });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

// ---------------------------------------------------------------------------------
// Earning and program settings

const settingsSchema = z.object({
  pointsNameSingular: text(30),
  pointsNamePlural: text(30),
  earnPoints: int(1, 1000),
  availabilityDelayDays: int(0, 365),
  expiryInactivityDays: optionalInt(30, 3650),
  pendingWindowDays: int(1, 365),
  negativeBalancePolicy: z.enum(NegativeBalancePolicy, { error: "validation.invalid" }),
  tierMetric: z.enum(TierMetric, { error: "validation.invalid" }),
  tierWindow: z.enum(TierWindow, { error: "validation.invalid" }),
  tierGraceDays: int(0, 365),
  autoEnroll: checkbox,
  includeShipping: checkbox,
  includeTax: checkbox,
  reviewsRequirePurchase: checkbox,
});

const ACTIONS = Object.values(EarningAction);

export async function saveEarning(db: Db, shop: ShopContext, form: Form, actor: string) {
  const input = parse(settingsSchema, form);
  const earnSpendMinor = money(form.earnSpend, shop.currency, "earnSpend", { required: true })!;
  const rules: Array<{ action: (typeof ACTIONS)[number]; points: number }> = [];
  const errors: Record<string, string> = {};
  for (const action of ACTIONS) {
    const raw = form[`rule_${action}`]?.trim() ?? "";
    if (raw === "") continue;
    if (!/^\d+$/.test(raw) || Number(raw) > 100_000) errors[`rule_${action}`] = "validation.range";
    else rules.push({ action, points: Number(raw) });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const data = { ...input, earnSpendMinor };
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
      await tx.shopSettings.update({ where: { shopId: shop.id }, data });
      const oldRules = await tx.earningRule.findMany({ where: { shopId: shop.id, key: "" } });
      for (const rule of rules) {
        await tx.earningRule.upsert({
          where: { shopId_action_key: { shopId: shop.id, action: rule.action, key: "" } },
          create: { shopId: shop.id, action: rule.action, points: rule.points, enabled: rule.points > 0 },
          update: { points: rule.points, enabled: rule.points > 0 },
        });
      }
      const ruleChanges = Object.fromEntries(
        rules
          .map(
            (rule) =>
              [rule.action, oldRules.find((r) => r.action === rule.action)?.points ?? null, rule.points] as const,
          )
          .filter(([, before, after]) => before !== after)
          .map(([action, before, after]) => [`rule_${action}`, [before, after]]),
      );
      const diff = { ...changes(before, data), ...ruleChanges };
      if (Object.keys(diff).length)
        await recordActivity(tx, shop.id, { actor, action: "program.updated", details: diff as Prisma.InputJsonValue });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

const campaignSchema = z.object({
  name: text(80),
  multiplier: z
    .string()
    .trim()
    .transform((v) => Number(v.replace(",", ".")))
    .pipe(
      z
        .number({ error: "validation.multiplier" })
        .min(1.1, { error: "validation.multiplier" })
        .max(10, { error: "validation.multiplier" }),
    ),
  startsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "validation.date" }),
  endsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "validation.date" }),
});

/** A bonus campaign (e.g. double points) over whole days in the shop's time zone. */
export async function saveCampaign(db: Db, shop: ShopContext, form: Form, actor: string) {
  const input = parse(campaignSchema, form);
  const startsAt = new Date(`${input.startsAt}T00:00:00Z`);
  const endsAt = new Date(`${input.endsAt}T00:00:00Z`);
  if (Number.isNaN(startsAt.getTime())) throw new ValidationError({ startsAt: "validation.date" });
  if (Number.isNaN(endsAt.getTime()) || endsAt < startsAt)
    throw new ValidationError({ endsAt: "validation.endBeforeStart" });
  // Whole local days: from the start day's midnight to the end of the end day.
  endsAt.setUTCDate(endsAt.getUTCDate() + 1);
  try {
    return await inTransaction(db, async (tx) => {
      const campaign = await tx.campaign.create({
        data: {
          shopId: shop.id,
          name: input.name,
          multiplierBp: Math.round(input.multiplier * 10_000),
          startsAt: localMidnight(startsAt, shop.timezone),
          endsAt: localMidnight(endsAt, shop.timezone),
        },
      });
      await recordActivity(tx, shop.id, {
        actor,
        action: "campaign.created",
        subject: campaign.name,
        details: { multiplierBp: campaign.multiplierBp, from: input.startsAt, to: input.endsAt },
      });
      return campaign;
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

/** The instant of midnight at the UTC date of `day`, in `timeZone`. */
function localMidnight(day: Date, timeZone: string): Date {
  const probe = new Date(day.getTime() + 12 * 3600_000);
  const local = new Date(probe.toLocaleString("en-US", { timeZone }));
  const utc = new Date(probe.toLocaleString("en-US", { timeZone: "UTC" }));
  return new Date(day.getTime() - (local.getTime() - utc.getTime()));
}

export async function deleteCampaign(db: Db, shop: ShopContext, campaignId: string, actor: string) {
  try {
    await inTransaction(db, async (tx) => {
      const campaign = await tx.campaign.findFirst({ where: { id: campaignId, shopId: shop.id } });
      if (!campaign) throw new NotFoundError("campaign");
      await tx.campaign.delete({ where: { id: campaignId } });
      await recordActivity(tx, shop.id, { actor, action: "campaign.deleted", subject: campaign.name });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

// ---------------------------------------------------------------------------------
// Program status

export async function setProgramStatus(db: Db, shopId: string, status: "LIVE" | "PAUSED", actor: string) {
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.shop.findUniqueOrThrow({
        where: { id: shopId },
        select: { programStatus: true, launchedAt: true },
      });
      if (before.programStatus === status) return;
      await tx.shop.update({
        where: { id: shopId },
        data: {
          programStatus: status,
          setupCompleted: true,
          ...(status === "LIVE" && !before.launchedAt ? { launchedAt: new Date() } : {}),
        },
      });
      await recordActivity(tx, shopId, {
        actor,
        action: status === "LIVE" ? (before.launchedAt ? "program.resumed" : "program.launched") : "program.paused",
      });
    });
  } finally {
    invalidateShopContext({ id: shopId });
  }
}

// ---------------------------------------------------------------------------------
// Members

const adjustmentSchema = z.object({
  points: int(-1_000_000, 1_000_000).refine((v) => v !== 0, { error: "validation.nonZero" }),
  reason: z.string().trim().min(3, { error: "validation.reasonRequired" }).max(200, { error: "validation.tooLong" }),
  // One per form render, so a double submit posts once.
  requestId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, { error: "validation.invalid" }),
});

/** A manual adjustment with a required reason; it cannot take a balance below zero. */
export async function adjustPoints(db: Db, shop: ShopContext, memberId: string, form: Form, actor: string) {
  const input = parse(adjustmentSchema, form);
  return inTransaction(db, async (tx) => {
    const member = await tx.member.findFirst({ where: { id: memberId, shopId: shop.id }, select: { id: true } });
    if (!member) throw new NotFoundError("member");
    const { balance } = await lockMember(tx, shop.id, memberId);
    if (balance + input.points < 0) throw new ValidationError({ points: "validation.belowZero" });
    const entry = await postEntry(tx, {
      shopId: shop.id,
      memberId,
      points: input.points,
      kind: "ADJUST",
      source: "ADMIN",
      reason: input.reason,
      actor,
      idempotencyKey: `admin:${input.requestId}`,
    });
    if (entry.created) {
      await recordActivity(tx, shop.id, {
        actor,
        action: "member.adjusted",
        subject: memberId,
        details: { points: input.points, reason: input.reason },
      });
    }
    return entry;
  });
}

const overrideSchema = z.object({
  tierId: z.string().transform((v) => v || null),
  reason: z.string().trim().min(3, { error: "validation.reasonRequired" }).max(200, { error: "validation.tooLong" }),
  until: z
    .union([z.literal("").transform(() => null), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "validation.date" })])
    .optional(),
});

export async function overrideTier(db: Db, shop: ShopContext, memberId: string, form: Form, actor: string) {
  const input = parse(overrideSchema, form);
  if (input.tierId && !shop.tiers.some((t) => t.id === input.tierId))
    throw new ValidationError({ tierId: "validation.invalid" });
  const until = input.until ? new Date(`${input.until}T00:00:00Z`) : null;
  if (until && until.getTime() <= Date.now()) throw new ValidationError({ until: "validation.future" });
  await inTransaction(db, async (tx) => {
    const member = await tx.member.findFirst({ where: { id: memberId, shopId: shop.id }, select: { id: true } });
    if (!member) throw new NotFoundError("member");
    await setTierOverride(tx, shop, { memberId, tierId: input.tierId, reason: input.reason, until, actor });
    await recordActivity(tx, shop.id, {
      actor,
      action: "member.tierOverridden",
      subject: memberId,
      details: { tierId: input.tierId, reason: input.reason, until: input.until ?? null },
    });
  });
}

/** The shop context for an admin request (fresh: the merchant expects to see their edit). */
export async function adminShop(db: Db, domain: string): Promise<ShopContext> {
  invalidateShopContext({ domain });
  const shop = await loadShopContext(db, { domain });
  if (!shop) throw new NotFoundError("shop");
  return shop;
}

const displaySchema = z.object({
  defaultLanguage: z.enum(["en", "ru"], { error: "validation.invalid" }),
  accentColor: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: "validation.color" }),
  position: z.enum(["left", "right"], { error: "validation.invalid" }),
  showReferral: checkbox,
  showHistory: checkbox,
  lang_en: checkbox,
  lang_ru: checkbox,
});

/** Languages and the storefront widget's defaults (the theme editor can override them). */
export async function saveDisplaySettings(db: Db, shop: ShopContext, form: Form, actor: string) {
  const input = parse(displaySchema, form);
  const languages = [input.lang_en && "en", input.lang_ru && "ru"].filter((l): l is string => Boolean(l));
  if (languages.length === 0) throw new ValidationError({ lang_en: "validation.oneLanguage" });
  if (!languages.includes(input.defaultLanguage))
    throw new ValidationError({ defaultLanguage: "validation.defaultLanguage" });
  const widget = {
    accentColor: input.accentColor,
    position: input.position,
    showReferral: input.showReferral,
    showHistory: input.showHistory,
  };
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.shopSettings.findUniqueOrThrow({
        where: { shopId: shop.id },
        select: { languages: true, defaultLanguage: true, widget: true },
      });
      const after = { languages, defaultLanguage: input.defaultLanguage, widget };
      await tx.shopSettings.update({ where: { shopId: shop.id }, data: after });
      const diff = changes(before, after);
      if (Object.keys(diff).length)
        await recordActivity(tx, shop.id, {
          actor,
          action: "settings.updated",
          details: diff as Prisma.InputJsonValue,
        });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

const setupSchema = z.object({
  earnPoints: int(1, 1000),
  expiryInactivityDays: optionalInt(30, 3650),
});

/** The guided setup's last step: the merchant's earning rate and expiry, then live. */
export async function launchFromSetup(db: Db, shop: ShopContext, form: Form, actor: string) {
  const input = parse(setupSchema, form);
  const earnSpendMinor = money(form.earnSpend, shop.currency, "earnSpend", { required: true })!;
  try {
    await inTransaction(db, async (tx) => {
      await tx.shopSettings.update({
        where: { shopId: shop.id },
        data: { earnPoints: input.earnPoints, earnSpendMinor, expiryInactivityDays: input.expiryInactivityDays },
      });
      await recordActivity(tx, shop.id, {
        actor,
        action: "program.setup",
        details: { earnPoints: input.earnPoints, earnSpendMinor, expiryInactivityDays: input.expiryInactivityDays },
      });
      await setProgramStatus(tx, shop.id, "LIVE", actor);
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

/** What the program editor shows: the rewards bought with points, and campaigns not long over. */
export async function programEditorData(db: Db, shop: ShopContext, now = new Date()) {
  const [rewards, campaigns] = await Promise.all([
    db.reward.findMany({
      where: { shopId: shop.id, trigger: "POINTS" },
      orderBy: [{ position: "asc" }, { pointsCost: "asc" }],
    }),
    db.campaign.findMany({
      where: { shopId: shop.id, endsAt: { gt: new Date(now.getTime() - 30 * DAY_MS) } },
      orderBy: { startsAt: "asc" },
    }),
  ]);
  return { rewards, campaigns };
}

/** The cheapest rewards, as the guided setup previews them. */
export function setupRewards(db: Db, shop: ShopContext) {
  return db.reward.findMany({
    where: { shopId: shop.id, trigger: "POINTS", enabled: true },
    orderBy: { pointsCost: "asc" },
    take: 5,
  });
}
