import type { Member, MessageLog } from "../generated/prisma/client";
import type { Db, Tx } from "../platform/database/db";
import { DAY_MS } from "../domain/time";
import { localizedName, type Language } from "../domain/localized";
import { minorToDecimalString } from "../domain/money";
import type { MessageKind } from "../domain/messages";
import { mailText } from "../i18n/mail";
import { networkLabel } from "../i18n/reasons";
import { loadProgram, localizeProgram, memberView, programView, type ProgramData } from "./member-view";
import type { ShopContext } from "./shop-context";
import { qualifyingValue } from "./tiers";

/**
 * What a message says, read when it is sent, so everything in it is true then: the
 * balance, what it buys, the expiry date, the code and whether it is still valid. When
 * the occasion has passed (the member ordered before the win-back went out, the points
 * were used, the code was used), the message is skipped with the reason.
 */

export interface LinkBuilder {
  store: string;
  rewards: string;
  referral(code: string): string;
  code(code: string): string;
}

export type MessageContent =
  | { skip: string }
  | { data: Record<string, unknown>; codes: string[]; redemptionNeeded?: { rewardId: string; key: string } };

const longDate = (date: Date, language: Language, timeZone: string) =>
  new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone }).format(date);

export async function messageContent(
  db: Db,
  shop: ShopContext,
  log: MessageLog,
  member: Member | null,
  language: Language,
  links: LinkBuilder,
  now = new Date(),
  /** The shop's program as read once for a batch of messages (read here when absent). */
  programData?: ProgramData,
): Promise<MessageContent> {
  const kind = log.kind as MessageKind;
  const context = (log.context ?? {}) as Record<string, unknown>;
  const date = (d: Date) => longDate(d, language, shop.timezone);
  const common: Record<string, unknown> = {
    shop: { name: shop.name ?? shop.domain },
    links: { store: links.store, rewards: links.rewards },
  };

  // A referred friend who is not a member yet: the code is all the message needs.
  if (kind === "FRIEND_CODE") {
    const code = await codeFor(db, String(context.redemptionId ?? ""), language, links, date, now);
    if (!code) return { skip: "code_not_valid" };
    return { data: { ...common, code }, codes: [code.value] };
  }
  // A survey about an order, to a member or to the guest who placed it.
  if (kind === "NPS") {
    const order = await db.order.findUnique({
      where: { shopId_id: { shopId: shop.id, id: BigInt(String(context.orderId ?? "0")) } },
      select: { name: true, cancelledAt: true },
    });
    if (!order || order.cancelledAt) return { skip: "order_cancelled" };
    const answered = await db.feedback.findUnique({
      where: { shopId_orderId: { shopId: shop.id, orderId: BigInt(String(context.orderId)) } },
      select: { id: true },
    });
    if (answered) return { skip: "answered" };
    return {
      data: {
        ...common,
        customer: { first_name: member?.firstName ?? "" },
        order: { name: order.name ?? "" },
        survey: { points: Number(context.points ?? 0), scores: [] },
      },
      codes: [],
    };
  }
  if (!member) return { skip: "no_member" };

  const data = programData ?? (await loadProgram(db, shop, now));
  const program = localizeProgram(programView(shop, data), language);
  const view = await memberView(db, shop, member, data, language, now);
  const available = view.rewards.filter((r) => r.available);
  const affordable = available.filter((r) => r.affordable).map((r) => ({ name: r.name, cost: r.cost }));
  const nextReward = available
    .filter((r) => !r.affordable)
    .sort((a, b) => a.cost - b.cost)
    .map((r) => ({ name: r.name, cost: r.cost, remaining: r.cost - member.balance }))[0];
  const expiryDays = shop.settings.expiryInactivityDays;
  const expiresAt = expiryDays ? new Date(member.lastActivityAt.getTime() + expiryDays * DAY_MS) : null;
  const base: Record<string, unknown> = {
    ...common,
    links: { ...(common.links as object), referral: links.referral(member.referralCode) },
    customer: { first_name: member.firstName ?? "" },
    balance: member.balance,
    affordable,
    next_reward: nextReward ?? null,
    expiry: expiresAt && member.balance > 0 ? { date: date(expiresAt), points: member.balance } : null,
    ways_to_earn: waysToEarnTexts(program, shop.currency, language),
  };

  switch (kind) {
    case "WELCOME":
      return { data: base, codes: [] };
    case "POINTS_EARNED": {
      const order = await db.order.findUnique({
        where: { shopId_id: { shopId: shop.id, id: BigInt(String(context.orderId ?? "0")) } },
        select: { name: true, pointsEarned: true, firstOrderBonus: true, cancelledAt: true },
      });
      if (!order || order.cancelledAt) return { skip: "order_cancelled" };
      return {
        data: { ...base, order: { name: order.name ?? "" }, points_earned: order.pointsEarned + order.firstOrderBonus },
        codes: [],
      };
    }
    case "REWARD_UNLOCKED": {
      const reward = view.rewards.find((r) => r.id === context.rewardId);
      if (!reward || !reward.affordable) return { skip: "not_affordable" };
      return { data: { ...base, reward: { name: reward.name, cost: reward.cost } }, codes: [] };
    }
    case "ORDER_CODE": {
      const code = await codeFor(db, String(context.redemptionId ?? ""), language, links, date, now);
      if (!code) return { skip: "code_not_valid" };
      return { data: { ...base, code }, codes: [code.value] };
    }
    case "TIER_UP": {
      if (member.tierId !== context.tierId) return { skip: "tier_changed" };
      const tier = shop.tiers.find((t) => t.id === member.tierId);
      if (!tier) return { skip: "tier_changed" };
      const index = program.tiers.findIndex((t) => t.position === tier.position);
      const shown = program.tiers[index];
      return {
        data: {
          ...base,
          tier: {
            name: localizedName(tier.name, tier.names, language),
            multiplier: tier.multiplierBp !== 10_000 ? `×${tier.multiplierBp / 10_000}` : null,
            perks: (shown?.perks ?? []).map((perk) => perkText(perk, language)),
          },
        },
        codes: [],
      };
    }
    case "TIER_DOWNGRADE": {
      if (!member.tierDowngradeAfter || member.tierOverride) return { skip: "no_longer_due" };
      if (!log.occasion.endsWith(member.tierDowngradeAfter.toISOString().slice(0, 10)))
        return { skip: "no_longer_due" };
      const tier = shop.tiers.find((t) => t.id === member.tierId);
      if (!tier) return { skip: "no_longer_due" };
      const below = [...shop.tiers]
        .filter((t) => t.position < tier.position)
        .sort((a, b) => b.position - a.position)[0];
      const value = await qualifyingValue(db as Tx, shop, member.id);
      const missing = tier.threshold - value;
      const remaining =
        missing <= 0n
          ? null
          : shop.settings.tierMetric === "SPEND"
            ? new Intl.NumberFormat(language, { style: "currency", currency: shop.currency }).format(
                Number(minorToDecimalString(missing, shop.currency)),
              )
            : shop.settings.tierMetric === "ORDERS"
              ? mailText("remaining_orders", language, { count: Number(missing) })
              : `${new Intl.NumberFormat(language).format(Number(missing))}`;
      return {
        data: {
          ...base,
          tier: {
            name: localizedName(tier.name, tier.names, language),
            previous: below ? localizedName(below.name, below.names, language) : null,
            downgrade_on: date(member.tierDowngradeAfter),
            remaining,
          },
        },
        codes: [],
      };
    }
    case "POINTS_EXPIRING": {
      if (!expiresAt || member.balance <= 0 || expiresAt <= now) return { skip: "no_longer_due" };
      if (!log.occasion.endsWith(expiresAt.toISOString().slice(0, 10))) return { skip: "no_longer_due" };
      return { data: base, codes: [] };
    }
    case "BIRTHDAY": {
      const points = Number(context.points ?? 0);
      const choice = view.giftChoice;
      if (!points && !choice) return { skip: "no_gift" };
      return {
        data: {
          ...base,
          gift: {
            points,
            choice: choice ? choice.options.map((o) => o.name) : [],
            choose_by: choice ? date(new Date(Date.parse(choice.expiresAt) - 1)) : null,
          },
        },
        codes: [],
      };
    }
    case "WIN_BACK": {
      const lastOrder = typeof context.lastOrderAt === "string" ? Date.parse(context.lastOrderAt) : NaN;
      if (!member.lastOrderAt || member.lastOrderAt.getTime() !== lastOrder) return { skip: "ordered" };
      const touch = Number(context.touch ?? 1);
      const rewardId = typeof context.rewardId === "string" && context.rewardId ? context.rewardId : null;
      if (touch === 2 && rewardId) {
        const issued = await db.redemption.findUnique({
          where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey: `winback:${log.id}` } },
          select: { id: true },
        });
        if (!issued) return { data: base, codes: [], redemptionNeeded: { rewardId, key: `winback:${log.id}` } };
        const code = await codeFor(db, issued.id, language, links, date, now);
        if (!code) return { data: base, codes: [], redemptionNeeded: { rewardId, key: `winback:${log.id}` } };
        return { data: { ...base, touch, code }, codes: [code.value] };
      }
      return { data: { ...base, touch }, codes: [] };
    }
    case "SURPRISE": {
      const campaign = await db.surpriseCampaign.findUnique({ where: { id: String(context.campaignId ?? "") } });
      if (!campaign) return { skip: "campaign_missing" };
      let code: Awaited<ReturnType<typeof codeFor>> = null;
      if (campaign.rewardId) {
        const redemption = await db.redemption.findUnique({
          where: {
            shopId_idempotencyKey: { shopId: shop.id, idempotencyKey: `surprise:${campaign.id}:${member.id}` },
          },
          select: { id: true },
        });
        code = redemption ? await codeFor(db, redemption.id, language, links, date, now) : null;
        // The code is still being created in Shopify: wait for it rather than send without it.
        if (!code) return { skip: "code_not_valid" };
      }
      return {
        data: { ...base, gift: { note: campaign.message, points: campaign.points ?? 0 }, code },
        codes: code ? [code.value] : [],
      };
    }
    case "REFERRAL_CREDITED":
      return { data: { ...base, earned: Number(context.points ?? 0) }, codes: [] };
  }
}

async function codeFor(
  db: Db,
  redemptionId: string,
  language: Language,
  links: LinkBuilder,
  date: (d: Date) => string,
  now: Date,
) {
  if (!/^[0-9a-f-]{36}$/.test(redemptionId)) return null;
  const redemption = await db.redemption.findUnique({ where: { id: redemptionId } });
  if (!redemption || redemption.status !== "ISSUED" || !redemption.code) return null;
  if (redemption.endsAt && redemption.endsAt <= now) return null;
  const snapshot = (redemption.rewardSnapshot ?? {}) as { name?: string; names?: unknown };
  return {
    value: redemption.code,
    name: localizedName(snapshot.name ?? "", snapshot.names, language),
    expires_on: redemption.endsAt ? date(new Date(redemption.endsAt.getTime() - 1)) : null,
    url: links.code(redemption.code),
  };
}

function perkText(perk: string, language: Language): string {
  if (perk === "free_shipping") return mailText("perk_free_shipping", language);
  if (perk === "early_access") return mailText("perk_early_access", language);
  const multiplier = /^points_x([\d.]+)$/.exec(perk)?.[1];
  if (multiplier) return mailText("perk_points", language, { multiplier });
  return perk;
}

function waysToEarnTexts(program: ReturnType<typeof localizeProgram>, currency: string, language: Language): string[] {
  const points = (count: number) => `${new Intl.NumberFormat(language).format(count)}`;
  const named = (count: number) => {
    const forms = program.pointsName[language] ?? {};
    const word = forms[new Intl.PluralRules(language).select(count)] ?? forms.other ?? "";
    return `${points(count)}\u00a0${word}`;
  };
  const amount = new Intl.NumberFormat(language, { style: "currency", currency }).format(
    Number(minorToDecimalString(BigInt(program.earning.perSpendMinor), currency)),
  );
  return [
    mailText("earn_spend", language, { points: named(program.earning.points), amount }),
    ...program.waysToEarn.map((way) =>
      mailText(`way_${way.action}` as Parameters<typeof mailText>[0], language, {
        points: named(way.points),
        network: way.network ? networkLabel(way.network, language) : "",
      }),
    ),
  ];
}
