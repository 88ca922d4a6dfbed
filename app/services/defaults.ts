import type { EarningAction, Prisma, RewardType } from "../generated/prisma/client";
import { currencyExponent } from "../domain/money";
import type { Tx } from "../platform/database/db";
import { languageOf, type Language, type Translations } from "../domain/localized";

/**
 * The program a new shop starts with: earning, actions, three rewards and Bronze, Silver
 * and Gold, scaled to the shop's currency so that "1 point per unit" and "$5 off" mean
 * roughly the same to a shopper in Moscow as in Ohio. The merchant reviews it in the
 * guided setup; nothing goes live before they launch.
 */

/**
 * About how many units of a currency buy what one US dollar buys in a shop, rounded to
 * a number a merchant would pick. Currencies not listed count as 1 (most are within a
 * factor of a few of the dollar); the merchant adjusts them in setup.
 */
const PRICE_LEVEL: Record<string, number> = {
  RUB: 100,
  KZT: 500,
  UAH: 40,
  BYN: 3,
  UZS: 10_000,
  KGS: 100,
  AMD: 400,
  GEL: 3,
  AZN: 2,
  JPY: 150,
  KRW: 1_000,
  CNY: 7,
  HKD: 8,
  TWD: 30,
  INR: 80,
  IDR: 15_000,
  VND: 25_000,
  THB: 35,
  PHP: 50,
  MYR: 5,
  SGD: 1,
  TRY: 30,
  PLN: 4,
  CZK: 25,
  HUF: 400,
  RON: 5,
  SEK: 10,
  NOK: 10,
  DKK: 7,
  ISK: 150,
  CHF: 1,
  BRL: 5,
  MXN: 20,
  ARS: 1_000,
  CLP: 1_000,
  COP: 4_000,
  PEN: 4,
  ZAR: 20,
  NGN: 1_500,
  EGP: 50,
  KES: 150,
  AED: 4,
  SAR: 4,
  ILS: 4,
  PKR: 300,
  BDT: 100,
  CAD: 1,
  AUD: 1.5,
  NZD: 1.5,
};

export function priceLevel(currency: string): number {
  return PRICE_LEVEL[currency.toUpperCase()] ?? 1;
}

/** `usd` dollars in minor units of `currency`, scaled by its price level. */
function scaled(usd: number, currency: string): number {
  return Math.round(usd * priceLevel(currency) * 10 ** currencyExponent(currency));
}

export interface DefaultProgram {
  settings: {
    earnPoints: number;
    earnSpendMinor: number;
    expiryInactivityDays: number;
    defaultLanguage: Language;
  };
  rules: Array<{ action: EarningAction; points: number }>;
  tiers: Array<{
    name: string;
    names: Translations;
    position: number;
    threshold: bigint;
    multiplierBp: number;
    freeShipping: boolean;
    earlyAccess: boolean;
    customerTag: string;
  }>;
  rewards: Array<{
    name: string;
    names: Translations;
    type: RewardType;
    pointsCost: number;
    valueMinor?: number;
    valuePercentBp?: number;
    currency?: string;
    position: number;
    codeExpiryDays: number;
  }>;
}

const NAMES = {
  en: {
    tiers: ["Bronze", "Silver", "Gold"],
    off: (v: string) => `${v} off`,
    percent: "10% off your order",
    shipping: "Free shipping",
    thanks: (v: string) => `Thank you: ${v} off your next order`,
    again: "15% off your third order",
  },
  ru: {
    tiers: ["Бронза", "Серебро", "Золото"],
    off: (v: string) => `Скидка ${v}`,
    percent: "Скидка 10% на заказ",
    shipping: "Бесплатная доставка",
    thanks: (v: string) => `Спасибо: скидка ${v} на следующий заказ`,
    again: "Скидка 15% на третий заказ",
  },
} as const;

type Names = (typeof NAMES)[Language];

/** A default name in the shop's language, with the other program language beside it. */
function named(language: Language, text: (names: Names, language: Language) => string) {
  const other: Language = language === "ru" ? "en" : "ru";
  return { name: text(NAMES[language], language), names: { [other]: text(NAMES[other], other) } as Translations };
}

function formattedAmount(usd: number, currency: string, language: Language): string {
  const minor = scaled(usd, currency);
  return new Intl.NumberFormat(language, { style: "currency", currency, maximumFractionDigits: 0 }).format(
    minor / 10 ** currencyExponent(currency),
  );
}

/** The order ladder of seed 003: a code after the 1st paid order, another after the 2nd, VIP after the 3rd. */
export const DEFAULT_LADDER = { vipAfterOrders: 3, codeExpiryDays: 30 } as const;

export function ladderRewards(currency: string, locale: string) {
  const language: Language = languageOf(locale) ?? "en";
  return [
    {
      ...named(language, (n, l) => n.thanks(formattedAmount(5, currency, l))),
      type: "FIXED_AMOUNT" as const,
      trigger: "ORDER_LADDER" as const,
      ladderOrderCount: 1,
      valueMinor: scaled(5, currency),
      currency,
      codeExpiryDays: DEFAULT_LADDER.codeExpiryDays,
      position: 0,
    },
    {
      ...named(language, (n) => n.again),
      type: "PERCENTAGE" as const,
      trigger: "ORDER_LADDER" as const,
      ladderOrderCount: 2,
      valuePercentBp: 1500,
      codeExpiryDays: DEFAULT_LADDER.codeExpiryDays,
      position: 1,
    },
  ];
}

export function defaultProgram(currency: string, locale: string): DefaultProgram {
  const language: Language = languageOf(locale) ?? "en";
  const fixed = scaled(5, currency);
  return {
    // 1 point per dollar's worth: a $5 reward for 500 points gives back 1%.
    settings: {
      earnPoints: 1,
      earnSpendMinor: scaled(1, currency),
      expiryInactivityDays: 365,
      defaultLanguage: language,
    },
    rules: [
      { action: "SIGNUP", points: 100 },
      { action: "BIRTHDAY", points: 200 },
      { action: "REVIEW", points: 50 },
      { action: "PHOTO_REVIEW", points: 100 },
      { action: "NEWSLETTER", points: 50 },
      { action: "FIRST_ORDER", points: 100 },
      { action: "REFERRAL", points: 500 },
    ],
    tiers: [0, 300, 1000].map((usd, position) => ({
      ...named(language, (n) => n.tiers[position]!),
      position,
      threshold: BigInt(scaled(usd, currency)),
      multiplierBp: [10_000, 12_500, 15_000][position]!,
      freeShipping: position === 2,
      earlyAccess: position >= 1,
      customerTag: `comeback-${["bronze", "silver", "gold"][position]}`,
    })),
    rewards: [
      {
        ...named(language, (n, l) => n.off(formattedAmount(5, currency, l))),
        type: "FIXED_AMOUNT",
        pointsCost: 500,
        valueMinor: fixed,
        currency,
        position: 0,
        codeExpiryDays: 90,
      },
      {
        ...named(language, (n) => n.shipping),
        type: "FREE_SHIPPING",
        pointsCost: 800,
        position: 1,
        codeExpiryDays: 90,
      },
      {
        ...named(language, (n) => n.percent),
        type: "PERCENTAGE",
        pointsCost: 1500,
        valuePercentBp: 1000,
        position: 2,
        codeExpiryDays: 90,
      },
    ],
  };
}

/**
 * Writes the defaults for a shop that has no program yet. A shop that already has
 * tiers, rules or rewards (a re-install, or a merchant who set things up) is left alone.
 */
export async function seedDefaultProgram(tx: Tx, shopId: string, currency: string, locale: string): Promise<boolean> {
  const [tiers, rules, rewards] = await Promise.all([
    tx.tier.count({ where: { shopId } }),
    tx.earningRule.count({ where: { shopId } }),
    tx.reward.count({ where: { shopId } }),
  ]);
  if (tiers + rules + rewards > 0) return false;
  const program = defaultProgram(currency, locale);
  const settings: Prisma.ShopSettingsUncheckedCreateInput = { shopId, ...program.settings };
  await tx.shopSettings.upsert({ where: { shopId }, create: settings, update: program.settings });
  await tx.earningRule.createMany({ data: program.rules.map((rule) => ({ shopId, ...rule })) });
  await tx.tier.createMany({ data: program.tiers.map((tier) => ({ shopId, ...tier })) });
  await tx.reward.createMany({ data: program.rewards.map((reward) => ({ shopId, ...reward })) });
  return true;
}
