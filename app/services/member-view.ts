import type { Campaign, EarningAction, Member, Reward, RewardType, Tier } from "../generated/prisma/client";
import { DAY_MS } from "../domain/time";
import type { Db, Tx } from "../platform/database/db";
import {
  LANGUAGES,
  languageOf,
  localizedName,
  namesByLanguage,
  pointsNameForms,
  programLanguage,
  type Language,
  type PluralForms,
} from "../domain/localized";
import { readWidgetSettings, type WidgetSettings } from "../domain/widget";
import { networkLabel, reasonText } from "../i18n/reasons";
import { openSurvey } from "./feedback";
import { campaignProducts, type ShopContext } from "./shop-context";
import { qualifyingValue } from "./tiers";

/**
 * What a shopper sees: the program (for everyone) and their own standing (members).
 *
 * The program view is also what the storefront's Liquid reads from the app's program
 * metafield, so it carries every program language's names (`names`) next to the default
 * language's (`name`); the App Proxy answers in the shopper's language (`localizeProgram`).
 * It only lists ways to earn that a shopper can actually complete.
 */

export interface RewardView {
  id: string;
  name: string;
  names: Partial<Record<Language, string>>;
  type: RewardType;
  cost: number;
  valueMinor: number | null;
  valuePercent: number | null;
  minOrderMinor: number | null;
  /** The lowest tier that may redeem it (its name in `tier`), or null for everyone. */
  tier: string | null;
  tierNames: Partial<Record<Language, string>> | null;
  tierPosition: number | null;
}

export interface WayToEarn {
  action: EarningAction;
  points: number;
  /** SOCIAL_FOLLOW: the network, its name in the shopper's language, and the profile the button opens. */
  network?: string;
  label?: string;
  url?: string;
}

export interface TierView {
  name: string;
  names: Partial<Record<Language, string>>;
  position: number;
  threshold: string;
  metric: string;
  multiplier: number;
  perks: string[];
}

export interface CampaignView {
  name: string;
  names: Partial<Record<Language, string>>;
  multiplier: number;
  startsAt: string;
  endsAt: string;
  /** Shopify ids; both empty: every product. */
  productIds: string[];
  collectionIds: string[];
}

export interface ProgramView {
  shop: string;
  live: boolean;
  currency: string;
  languages: Language[];
  defaultLanguage: Language;
  /** The default language's forms, for readers that know no other. */
  points: { singular: string; plural: string };
  /** Complete plural forms for each program language. */
  pointsName: Partial<Record<Language, PluralForms>>;
  earning: { points: number; perSpendMinor: number };
  waysToEarn: WayToEarn[];
  /** How birthdays are celebrated, when the program does. */
  birthday: { leadDays: number; gift: "POINTS" | "CHOICE"; points: number } | null;
  /** What a referred friend gets, and what the member earns for their first paid order. */
  referral: { points: number; friendReward: RewardView | null } | null;
  rewards: RewardView[];
  tiers: TierView[];
  /** Bonus campaigns not over yet (the reader checks the dates). */
  campaigns: CampaignView[];
  display: WidgetSettings;
  autoEnroll: boolean;
}

export interface CodeView {
  code: string;
  name: string;
  type: RewardType | null;
  endsAt: string | null;
  /** Why the member has it: bought with points, the order ladder, a birthday, a referral. */
  origin: "points" | "ladder" | "birthday" | "referral";
}

export interface MemberView {
  balance: number;
  pendingPoints: number;
  /** When the next pending points become available. */
  pendingUntil: string | null;
  lifetimeEarned: number;
  tier: { name: string; position: number } | null;
  nextTier: { name: string; remaining: string; metric: string } | null;
  rewards: Array<RewardView & { affordable: boolean; available: boolean }>;
  /** Discount codes issued to the member and not used yet. */
  codes: CodeView[];
  referralCode: string;
  enrolledAt: string;
  birthday: { month: number; day: number } | null;
  /** Networks the member has already been credited for following. */
  followed: string[];
  /** An open birthday gift choice. */
  giftChoice: { options: RewardView[]; expiresAt: string } | null;
  /** The latest surprise credited in the last 30 days: the widget shows its note once. */
  surprise: { id: string; note: string } | null;
  /** Bumped on every change Shopify's copy shows; the storefront prefers the freshest. */
  version: number;
  /** When the balance expires without activity; null when points never expire or none are held. */
  expiresAt: string | null;
}

function perks(tier: Tier): string[] {
  const list: string[] = [];
  if (tier.multiplierBp !== 10_000) list.push(`points_x${tier.multiplierBp / 10_000}`);
  if (tier.freeShipping) list.push("free_shipping");
  if (tier.earlyAccess) list.push("early_access");
  if (tier.customPerk) list.push(tier.customPerk);
  return list;
}

function rewardView(reward: Reward, tiers: Tier[], languages: readonly string[]): RewardView {
  const tier = reward.tierId ? (tiers.find((t) => t.id === reward.tierId) ?? null) : null;
  return {
    id: reward.id,
    name: reward.name,
    names: namesByLanguage(reward.name, reward.names, languages),
    type: reward.type,
    cost: reward.pointsCost,
    valueMinor: reward.valueMinor,
    valuePercent: reward.valuePercentBp === null ? null : reward.valuePercentBp / 100,
    minOrderMinor: reward.minOrderMinor,
    tier: tier?.name ?? null,
    tierNames: tier ? namesByLanguage(tier.name, tier.names, languages) : null,
    tierPosition: tier?.position ?? null,
  };
}

export interface ProgramData {
  rewards: Reward[];
  /** The rewards given rather than bought: birthday gifts and the referred friend's. */
  gifts: Reward[];
  tiers: Tier[];
  campaigns: Campaign[];
  /** A review app is connected, so reviews can earn. */
  reviewsConnected: boolean;
}

export async function loadProgram(db: Db, shop: ShopContext, now = new Date()): Promise<ProgramData> {
  const [rewards, gifts, campaigns, providers] = await Promise.all([
    db.reward.findMany({
      where: { shopId: shop.id, enabled: true, trigger: "POINTS" },
      orderBy: [{ position: "asc" }, { pointsCost: "asc" }],
    }),
    db.reward.findMany({
      where: { shopId: shop.id, enabled: true, trigger: { in: ["BIRTHDAY_GIFT", "REFERRAL_FRIEND"] } },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    }),
    db.campaign.findMany({
      // Not yet over: the storefront compares the dates as it renders, so the program
      // metafield stays right as campaigns start and end between syncs.
      where: { shopId: shop.id, enabled: true, endsAt: { gt: now } },
      orderBy: { startsAt: "asc" },
      take: 10,
    }),
    db.reviewProviderConfig.count({ where: { shopId: shop.id, enabled: true } }),
  ]);
  return { rewards, gifts, tiers: shop.tiers, campaigns, reviewsConnected: providers > 0 };
}

/** The ways to earn a shopper can complete in this shop (a rule without a path is not shown). */
function waysToEarn(shop: ShopContext, data: ProgramData): WayToEarn[] {
  const ways: WayToEarn[] = [];
  for (const rule of shop.rules.values()) {
    if (rule.points <= 0) continue;
    if (rule.action === "SOCIAL_FOLLOW") continue;
    if ((rule.action === "REVIEW" || rule.action === "PHOTO_REVIEW") && !data.reviewsConnected) continue;
    if (rule.action === "BIRTHDAY" && shop.settings.birthdayGift === "CHOICE") continue;
    ways.push({ action: rule.action, points: rule.points });
  }
  for (const rule of shop.socialRules) {
    const url = (rule.config as { url?: unknown } | null)?.url;
    if (rule.points > 0 && typeof url === "string") {
      ways.push({ action: "SOCIAL_FOLLOW", points: rule.points, network: rule.key, url });
    }
  }
  return ways;
}

function birthdayGiftOptions(gifts: Reward[]): Reward[] {
  return gifts.filter((reward) => reward.trigger === "BIRTHDAY_GIFT").slice(0, 3);
}

export function programView(shop: ShopContext, data: ProgramData): ProgramView {
  const languages = LANGUAGES.filter((l) => shop.settings.languages.includes(l));
  const defaultLanguage = languageOf(shop.settings.defaultLanguage) ?? "en";
  const defaultForms = pointsNameForms(shop.settings.pointsName, defaultLanguage);
  const birthdayRule = shop.rules.get("BIRTHDAY");
  const choice = shop.settings.birthdayGift === "CHOICE" && birthdayGiftOptions(data.gifts).length >= 2;
  const referralRule = shop.rules.get("REFERRAL");
  const friendReward = shop.settings.referralFriendRewardId
    ? (data.gifts.find((r) => r.id === shop.settings.referralFriendRewardId && r.trigger === "REFERRAL_FRIEND") ?? null)
    : null;
  return {
    shop: shop.domain,
    live: shop.live,
    currency: shop.currency,
    languages: languages.length ? [...languages] : [defaultLanguage],
    defaultLanguage,
    points: { singular: defaultForms.one ?? "", plural: defaultForms.other ?? "" },
    pointsName: Object.fromEntries(
      (languages.length ? languages : [defaultLanguage]).map((l) => [l, pointsNameForms(shop.settings.pointsName, l)]),
    ),
    earning: { points: shop.settings.earnPoints, perSpendMinor: shop.settings.earnSpendMinor },
    waysToEarn: waysToEarn(shop, data),
    birthday: choice
      ? { leadDays: shop.settings.birthdayLeadDays, gift: "CHOICE", points: 0 }
      : birthdayRule && birthdayRule.points > 0
        ? { leadDays: shop.settings.birthdayLeadDays, gift: "POINTS", points: birthdayRule.points }
        : null,
    referral:
      referralRule && referralRule.points > 0
        ? {
            points: referralRule.points,
            friendReward: friendReward ? rewardView(friendReward, data.tiers, shop.settings.languages) : null,
          }
        : null,
    rewards: data.rewards.map((reward) => rewardView(reward, data.tiers, shop.settings.languages)),
    tiers: data.tiers.map((tier) => ({
      name: tier.name,
      names: namesByLanguage(tier.name, tier.names, shop.settings.languages),
      position: tier.position,
      threshold: tier.threshold.toString(),
      metric: shop.settings.tierMetric,
      multiplier: tier.multiplierBp / 10_000,
      perks: perks(tier),
    })),
    campaigns: data.campaigns.map((campaign) => {
      const scope = campaignProducts(campaign);
      return {
        name: campaign.name,
        names: namesByLanguage(campaign.name, campaign.names, shop.settings.languages),
        multiplier: campaign.multiplierBp / 10_000,
        startsAt: campaign.startsAt.toISOString(),
        endsAt: campaign.endsAt.toISOString(),
        productIds: scope === "all" ? [] : scope,
        collectionIds: campaign.collectionIds,
      };
    }),
    display: readWidgetSettings(shop.settings.widget),
    autoEnroll: shop.settings.autoEnroll,
  };
}

function pick(names: Partial<Record<Language, string>>, fallback: string, language: Language): string {
  return names[language] ?? fallback;
}

function localizeReward<T extends RewardView>(reward: T, language: Language): T {
  return {
    ...reward,
    name: pick(reward.names, reward.name, language),
    tier: reward.tier && reward.tierNames ? pick(reward.tierNames, reward.tier, language) : reward.tier,
  };
}

/** The program as one shopper reads it: every name in their language. */
export function localizeProgram(view: ProgramView, language: Language): ProgramView {
  return {
    ...view,
    waysToEarn: view.waysToEarn.map((way) =>
      way.network ? { ...way, label: networkLabel(way.network, language) } : way,
    ),
    rewards: view.rewards.map((reward) => localizeReward(reward, language)),
    tiers: view.tiers.map((tier) => ({ ...tier, name: pick(tier.names, tier.name, language) })),
    campaigns: view.campaigns.map((campaign) => ({ ...campaign, name: pick(campaign.names, campaign.name, language) })),
    referral: view.referral && {
      ...view.referral,
      friendReward: view.referral.friendReward && localizeReward(view.referral.friendReward, language),
    },
  };
}

const ORIGINS: Record<string, CodeView["origin"]> = {
  POINTS: "points",
  ORDER_LADDER: "ladder",
  BIRTHDAY_GIFT: "birthday",
  REFERRAL_FRIEND: "referral",
};

/** The balance expires after this many days without activity. */
function balanceExpiresAt(shop: ShopContext, member: Member): string | null {
  const days = shop.settings.expiryInactivityDays;
  if (days === null || member.balance <= 0) return null;
  return new Date(member.lastActivityAt.getTime() + days * DAY_MS).toISOString();
}

/** The member's unused discount codes, newest first, with the reward they came from as it was then. */
export function issuedCodes(db: Db, shopId: string, memberId: string, now: Date) {
  return db.redemption.findMany({
    where: {
      shopId,
      memberId,
      status: "ISSUED",
      code: { not: null },
      OR: [{ endsAt: null }, { endsAt: { gt: now } }],
    },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { code: true, rewardSnapshot: true, endsAt: true, reward: { select: { trigger: true } } },
  });
}

/** The program's rewards for this member, in their language: which their tier allows, which their balance covers. */
export function memberRewards(
  shop: ShopContext,
  member: Member,
  data: ProgramData,
  language: Language,
): MemberView["rewards"] {
  const tierRank = data.tiers.find((t) => t.id === member.tierId)?.position ?? -1;
  return data.rewards.map((reward) => {
    const view = localizeReward(rewardView(reward, data.tiers, shop.settings.languages), language);
    const available = view.tierPosition === null || tierRank >= view.tierPosition;
    return { ...view, available, affordable: available && member.balance >= reward.pointsCost };
  });
}

export async function memberView(
  db: Db,
  shop: ShopContext,
  member: Member,
  data: ProgramData,
  language: Language,
  now = new Date(),
): Promise<MemberView> {
  const [pending, issued, followed, gift, value, surprise] = await Promise.all([
    db.pendingPoints.aggregate({
      where: { shopId: shop.id, memberId: member.id, status: "PENDING" },
      _sum: { points: true },
      _min: { availableAt: true },
    }),
    issuedCodes(db, shop.id, member.id, now),
    db.ledgerEntry.findMany({
      where: { shopId: shop.id, memberId: member.id, source: "SOCIAL", kind: "EARN" },
      select: { reasonParams: true },
    }),
    db.birthdayGift.findFirst({
      where: { shopId: shop.id, memberId: member.id, status: "OFFERED", expiresAt: { gt: now } },
      orderBy: { year: "desc" },
    }),
    qualifyingValue(db as Tx, shop, member.id),
    db.surpriseRecipient.findFirst({
      where: { memberId: member.id, holdout: false, creditedAt: { gt: new Date(now.getTime() - 30 * 86_400_000) } },
      orderBy: { creditedAt: "desc" },
      select: { campaignId: true, campaign: { select: { message: true } } },
    }),
  ]);
  const tiers = data.tiers;
  const current = tiers.find((t) => t.id === member.tierId) ?? null;
  const next = tiers.find((t) => t.position > (current?.position ?? -1) && t.threshold > value) ?? null;
  const languages = shop.settings.languages;
  const giftOptions = gift
    ? data.gifts
        .filter((reward) => gift.rewardIds.includes(reward.id))
        .map((reward) => localizeReward(rewardView(reward, tiers, languages), language))
    : [];
  return {
    balance: member.balance,
    pendingPoints: pending._sum.points ?? 0,
    pendingUntil:
      pending._min.availableAt && pending._min.availableAt > now ? pending._min.availableAt.toISOString() : null,
    lifetimeEarned: member.lifetimeEarned,
    tier: current ? { name: localizedName(current.name, current.names, language), position: current.position } : null,
    nextTier: next
      ? {
          name: localizedName(next.name, next.names, language),
          remaining: (next.threshold - value).toString(),
          metric: shop.settings.tierMetric,
        }
      : null,
    rewards: memberRewards(shop, member, data, language),
    codes: issued.map((r) => {
      const snapshot = (r.rewardSnapshot ?? {}) as { name?: string; names?: unknown; type?: RewardType };
      return {
        code: r.code!,
        name: localizedName(snapshot.name ?? "", snapshot.names, language),
        type: snapshot.type ?? null,
        endsAt: r.endsAt?.toISOString() ?? null,
        origin: ORIGINS[r.reward?.trigger ?? "POINTS"] ?? "points",
      };
    }),
    referralCode: member.referralCode,
    enrolledAt: member.enrolledAt.toISOString(),
    birthday: member.birthday ? { month: member.birthday.getUTCMonth() + 1, day: member.birthday.getUTCDate() } : null,
    followed: followed
      .map((entry) => (entry.reasonParams as { network?: unknown } | null)?.network)
      .filter((network): network is string => typeof network === "string"),
    giftChoice: gift && giftOptions.length ? { options: giftOptions, expiresAt: gift.expiresAt.toISOString() } : null,
    surprise: surprise ? { id: surprise.campaignId, note: surprise.campaign.message } : null,
    version: member.syncVersion,
    expiresAt: balanceExpiresAt(shop, member),
  };
}

/** What the storefront widget shows a shopper: the program, and their standing if they are a member. */
export async function storefrontView(
  db: Db,
  shop: ShopContext,
  customerId: bigint | null,
  locale: string | null,
  /** The survey's one-click score links (0..10) for a survey message, signed by the caller. */
  surveyLinks?: (messageId: string, language: Language) => string[],
) {
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const [data, member] = await Promise.all([
    loadProgram(db, shop),
    customerId ? db.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } }) : null,
  ]);
  const enrolled = member?.status === "ACTIVE";
  const [view, survey] = enrolled
    ? await Promise.all([
        memberView(db, shop, member, data, language),
        surveyLinks && openSurvey(db, shop.id, member.id),
      ])
    : [null, null];
  return {
    language,
    program: localizeProgram(programView(shop, data), language),
    // An unanswered NPS survey: the panel asks it with the email's own score links.
    member: view && { ...view, survey: survey && surveyLinks ? { scores: surveyLinks(survey, language) } : null },
    customer: { loggedIn: customerId !== null, enrolled },
  };
}

/** A member's view right after a change (a join, a redemption). */
export async function memberViewById(
  db: Db,
  shop: ShopContext,
  memberId: string,
  locale: string | null,
): Promise<MemberView> {
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const [data, member] = await Promise.all([
    loadProgram(db, shop),
    db.member.findUniqueOrThrow({ where: { id: memberId } }),
  ]);
  return memberView(db, shop, member, data, language);
}

export interface HistoryPage {
  entries: Array<{ id: string; points: number; kind: string; source: string; reason: string; createdAt: string }>;
  nextCursor: string | null;
}

/** The member's ledger, newest first, by keyset (entry ids only grow); reasons in the reader's language. */
export async function memberHistory(
  db: Db,
  shop: ShopContext,
  memberId: string,
  page: { cursor: bigint | null; limit: number; locale: string | null },
): Promise<HistoryPage> {
  const language = languageOf(page.locale) ?? languageOf(shop.settings.defaultLanguage) ?? "en";
  const rows = await db.ledgerEntry.findMany({
    where: { shopId: shop.id, memberId, ...(page.cursor ? { id: { lt: page.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: page.limit + 1,
    select: {
      id: true,
      points: true,
      kind: true,
      source: true,
      reason: true,
      reasonCode: true,
      reasonParams: true,
      createdAt: true,
    },
  });
  const shown = rows.slice(0, page.limit);
  return {
    entries: shown.map(({ reasonCode, reasonParams, ...row }) => ({
      ...row,
      id: row.id.toString(),
      reason: reasonText(language, reasonCode, reasonParams, row.reason),
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: rows.length > page.limit ? shown[shown.length - 1]!.id.toString() : null,
  };
}
