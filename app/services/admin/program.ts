import { z } from "zod";
import { BirthdayGiftMode, NegativeBalancePolicy } from "../../generated/prisma/enums";
import type { EarningAction, Prisma } from "../../generated/prisma/client";
import { inTransaction, type Db, type Tx } from "../../platform/database/db";
import { LANGUAGES, PLURAL_CATEGORIES, readPointsName, type PointsName } from "../../domain/localized";
import { NETWORK_IDS, profileUrl } from "../../domain/social";
import { EARNING_FORM_ACTIONS } from "../../domain/program-catalog";
import { DEFAULT_LADDER, ladderRewards } from "../defaults";
import { invalidateShopContext, loadShopContext, type ShopContext } from "../shop-context";
import {
  changes,
  checkbox,
  FormErrors,
  int,
  NotFoundError,
  optionalInt,
  recordActivity,
  ValidationError,
  type Form,
} from "./forms";

/**
 * The program's settings as the merchant edits them: how points are earned and named,
 * birthdays, social follows, languages, the program's status and the guided setup (the
 * storefront widget's look: ./branding.ts). Each save is one transaction with an activity-log entry naming who changed what.
 */

/** The shop context for an admin request (fresh: the merchant expects to see their edit). */
export async function adminShop(db: Db, domain: string): Promise<ShopContext> {
  invalidateShopContext({ domain });
  const shop = await loadShopContext(db, { domain });
  if (!shop) throw new NotFoundError("shop");
  return shop;
}

async function saveSettings(
  db: Db,
  shop: ShopContext,
  actor: string,
  action: string,
  data: Prisma.ShopSettingsUpdateInput & Record<string, unknown>,
  more?: (tx: Tx) => Promise<Record<string, unknown>>,
) {
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
      await tx.shopSettings.update({ where: { shopId: shop.id }, data });
      const diff = { ...changes(before, data), ...((await more?.(tx)) ?? {}) };
      if (Object.keys(diff).length) await recordActivity(tx, shop.id, { actor, action, details: diff as never });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

/** Rule points typed per action: "" leaves the rule alone, 0 turns it off. */
async function saveRules(tx: Tx, shopId: string, rules: Array<{ action: EarningAction; points: number }>) {
  const old = await tx.earningRule.findMany({ where: { shopId, key: "" } });
  const diff: Record<string, [number | null, number]> = {};
  for (const rule of rules) {
    const before = old.find((r) => r.action === rule.action)?.points ?? null;
    if (before !== rule.points) diff[`rule_${rule.action}`] = [before, rule.points];
    await tx.earningRule.upsert({
      where: { shopId_action_key: { shopId, action: rule.action, key: "" } },
      create: { shopId, action: rule.action, points: rule.points, enabled: rule.points > 0 },
      update: { points: rule.points, enabled: rule.points > 0 },
    });
  }
  return diff;
}

function ruleInputs(form: Form, actions: EarningAction[], errors: FormErrors) {
  const rules: Array<{ action: EarningAction; points: number }> = [];
  for (const action of actions) {
    const raw = form[`rule_${action}`]?.trim() ?? "";
    if (raw === "") continue;
    if (!/^\d+$/.test(raw) || Number(raw) > 100_000) errors.add(`rule_${action}`, "validation.range");
    else rules.push({ action, points: Number(raw) });
  }
  return rules;
}

/** The points' name in each program language, every plural form it needs. */
function pointsNameInput(form: Form, languages: readonly string[], errors: FormErrors): PointsName {
  const name: PointsName = {};
  for (const language of LANGUAGES) {
    if (!languages.includes(language)) continue;
    const forms: Record<string, string> = {};
    for (const category of PLURAL_CATEGORIES[language]) {
      const field = `pointsName_${language}_${category}`;
      const value = form[field]?.trim() ?? "";
      if (!value) errors.add(field, "validation.required");
      else if (value.length > 30) errors.add(field, "validation.tooLong");
      else forms[category] = value;
    }
    // "other" is what a reader without plural rules falls back to.
    forms.other ??= language === "ru" ? (forms.few ?? "") : (forms.other ?? "");
    name[language] = forms;
  }
  return readPointsName(name);
}

const earningSchema = z.object({
  earnPoints: int(1, 1000),
  availabilityDelayDays: int(0, 365),
  expiryInactivityDays: optionalInt(30, 3650),
  pendingWindowDays: int(1, 365),
  negativeBalancePolicy: z.enum(NegativeBalancePolicy, { error: "validation.invalid" }),
  autoEnroll: checkbox,
  includeShipping: checkbox,
  includeTax: checkbox,
  reviewsRequirePurchase: checkbox,
  allowTestOrders: checkbox,
});

export async function saveEarning(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(earningSchema, form);
  const earnSpendMinor = errors.money(form.earnSpend, shop.currency, "earnSpend", { required: true });
  const pointsName = pointsNameInput(form, shop.settings.languages, errors);
  const rules = ruleInputs(form, [...EARNING_FORM_ACTIONS], errors);
  errors.throwIfAny();
  await saveSettings(
    db,
    shop,
    actor,
    "program.updated",
    { ...input!, earnSpendMinor: earnSpendMinor!, pointsName: pointsName as Prisma.InputJsonValue },
    (tx) => saveRules(tx, shop.id, rules),
  );
}

const birthdaySchema = z.object({
  birthdayGift: z.enum(BirthdayGiftMode, { error: "validation.invalid" }),
  birthdayLeadDays: int(0, 60),
});

/** Birthdays: points (the BIRTHDAY rule) or a choice of gifts, and how many days early. */
export async function saveBirthday(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(birthdaySchema, form);
  const rules = ruleInputs(form, ["BIRTHDAY"], errors);
  if (input?.birthdayGift === "CHOICE") {
    const gifts = await db.reward.count({ where: { shopId: shop.id, trigger: "BIRTHDAY_GIFT", enabled: true } });
    if (gifts < 2) errors.add("birthdayGift", "validation.birthdayGifts");
  }
  errors.throwIfAny();
  await saveSettings(db, shop, actor, "birthday.updated", input!, (tx) => saveRules(tx, shop.id, rules));
}

/**
 * Social follows: one rule per network, keyed by the network, with the profile the
 * widget's button opens. A network without a link has no rule, so nothing offers it.
 */
export async function saveSocial(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const wanted: Array<{ network: string; url: string; points: number }> = [];
  for (const network of NETWORK_IDS) {
    const rawUrl = form[`social_${network}_url`]?.trim() ?? "";
    const rawPoints = form[`social_${network}_points`]?.trim() ?? "";
    if (!rawUrl) continue;
    const url = profileUrl(network, rawUrl);
    if (!url) errors.add(`social_${network}_url`, "validation.profileUrl");
    if (!/^\d+$/.test(rawPoints) || Number(rawPoints) < 1 || Number(rawPoints) > 100_000)
      errors.add(`social_${network}_points`, "validation.range");
    if (url && !errors.has(`social_${network}_points`)) wanted.push({ network, url, points: Number(rawPoints) });
  }
  errors.throwIfAny();
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.earningRule.findMany({ where: { shopId: shop.id, action: "SOCIAL_FOLLOW" } });
      await tx.earningRule.deleteMany({
        where: { shopId: shop.id, action: "SOCIAL_FOLLOW", key: { notIn: wanted.map((w) => w.network) } },
      });
      for (const { network, url, points } of wanted) {
        await tx.earningRule.upsert({
          where: { shopId_action_key: { shopId: shop.id, action: "SOCIAL_FOLLOW", key: network } },
          create: { shopId: shop.id, action: "SOCIAL_FOLLOW", key: network, points, config: { url } },
          update: { points, enabled: true, config: { url } },
        });
      }
      const summary = (rules: Array<{ key: string; points: number; config: unknown }>) =>
        Object.fromEntries(rules.map((r) => [r.key, `${r.points} ${(r.config as { url?: string })?.url ?? ""}`]));
      const diff = changes(summary(before), summary(wanted.map((w) => ({ key: w.network, ...w, config: w }))));
      for (const rule of before)
        if (!wanted.some((w) => w.network === rule.key)) diff[rule.key] = [summary([rule])[rule.key], null];
      if (Object.keys(diff).length)
        await recordActivity(tx, shop.id, { actor, action: "social.updated", details: diff as Prisma.InputJsonValue });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

const statusTransition = z.enum(["LIVE", "PAUSED"]);

export async function setProgramStatus(db: Db, shopId: string, status: "LIVE" | "PAUSED", actor: string) {
  statusTransition.parse(status);
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

const languagesSchema = z.object({
  defaultLanguage: z.enum(LANGUAGES, { error: "validation.invalid" }),
});

/** The languages shoppers can see and the default one (the widget's look is on Branding: ./branding.ts). */
export async function saveLanguages(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(languagesSchema, form);
  const languages = LANGUAGES.filter((l) => form[`lang_${l}`] === "on" || form[`lang_${l}`] === "true");
  if (languages.length === 0) errors.add("lang_en", "validation.oneLanguage");
  if (input && languages.length && !(languages as string[]).includes(input.defaultLanguage))
    errors.add("defaultLanguage", "validation.defaultLanguage");
  errors.throwIfAny();
  await saveSettings(db, shop, actor, "settings.updated", {
    languages: [...languages],
    defaultLanguage: input!.defaultLanguage,
  });
}

const setupSchema = z.object({
  earnPoints: int(1, 1000),
  expiryInactivityDays: optionalInt(30, 3650),
  ladder: checkbox,
});

/**
 * The guided setup's last step: the merchant's earning rate and expiry, the order ladder
 * if they want it (seed 003's coupons after the 1st and 2nd order), then live.
 */
export async function launchFromSetup(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(setupSchema, form);
  const earnSpendMinor = errors.money(form.earnSpend, shop.currency, "earnSpend", { required: true });
  errors.throwIfAny();
  const { ladder, ...settings } = input!;
  try {
    await inTransaction(db, async (tx) => {
      await tx.shopSettings.update({
        where: { shopId: shop.id },
        data: { ...settings, earnSpendMinor: earnSpendMinor! },
      });
      if (ladder) {
        const existing = await tx.reward.count({ where: { shopId: shop.id, trigger: "ORDER_LADDER" } });
        if (existing === 0) {
          const steps = ladderRewards(shop.currency, shop.settings.defaultLanguage);
          await tx.reward.createMany({ data: steps.map((step) => ({ ...step, shopId: shop.id })) });
          const vip = shop.tiers.at(-1);
          if (vip && !shop.settings.ladderVipTierId) {
            await tx.shopSettings.update({
              where: { shopId: shop.id },
              data: { ladderVipTierId: vip.id, ladderVipOrders: DEFAULT_LADDER.vipAfterOrders },
            });
          }
        }
      }
      await recordActivity(tx, shop.id, {
        actor,
        action: "program.setup",
        details: { ...settings, earnSpendMinor: earnSpendMinor!, ladder },
      });
      await setProgramStatus(tx, shop.id, "LIVE", actor);
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

/** What the program page shows beside the settings: rules by network, gift rewards. */
export async function programPageData(db: Db, shop: ShopContext) {
  const [social, gifts, providers] = await Promise.all([
    db.earningRule.findMany({ where: { shopId: shop.id, action: "SOCIAL_FOLLOW", key: { not: "" } } }),
    db.reward.count({ where: { shopId: shop.id, trigger: "BIRTHDAY_GIFT", enabled: true } }),
    db.reviewProviderConfig.findMany({ where: { shopId: shop.id }, orderBy: { provider: "asc" } }),
  ]);
  return { social, giftRewards: gifts, providers };
}

export { ValidationError };
