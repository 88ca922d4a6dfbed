import type { Member } from "../generated/prisma/client";
import type { Db, Tx } from "../platform/database/db";
import { minorToDecimalString } from "../domain/money";
import { computeOrderEarning } from "../domain/earning";
import { localizedName, pointsNameForms, programLanguage, type Language, type PluralForms } from "../domain/localized";
import { qualifyingValue } from "./tiers";
export { recordThankYouEvent, THANK_YOU_EVENTS, type ThankYouEvent } from "./funnel";
import type { ShopContext } from "./shop-context";

/**
 * What the Thank-you page block shows after a purchase, and the one-tap join.
 *
 * The page renders seconds after checkout, often before Shopify's orders/paid webhook has
 * reached us, so the points are the ledger's once the order is recorded and an estimate
 * from the order's subtotal until then (`confirmed` tells which). Guests' points are held
 * under the order's email by the webhook and credited when their account exists.
 */

export interface ThankYouOrder {
  id: bigint;
  email: string | null;
  customerId: bigint | null;
  /** Line items after discounts, before shipping and tax, in the shop's currency. */
  subtotalMinor: bigint;
  currency: string;
  /** The same by product (gift cards left out), for campaigns on chosen products. */
  lines?: Array<{ productId: string | null; amountMinor: bigint }>;
}

/**
 * What the member is closest to: the next reward they cannot afford yet (in points), or,
 * when every reward is affordable, the next tier in the program's own metric. Spend is
 * sent in major units with its currency so the block formats it for the buyer's locale.
 */
export type NextGoal =
  | { kind: "reward"; name: string; remaining: number }
  | { kind: "tier"; name: string; unit: "points" | "orders"; remaining: number }
  | { kind: "tier"; name: string; unit: "money"; remaining: number; currency: string };

/** The points' name in the buyer's language, by plural category ("star" / "stars"). */
interface Wording {
  language: Language;
  pointsName: PluralForms;
}

export type ThankYouView =
  | { state: "off" }
  | (Wording & {
      state: "member";
      points: number;
      confirmed: boolean;
      /** Null when the page may not show the account (no signed-in buyer). */
      balance: number | null;
      next: NextGoal | null;
      welcome: boolean;
    })
  | (Wording & {
      state: "join" | "guest";
      points: number;
      signupBonus: number;
      pendingDays: number;
      welcome: boolean;
      email?: string | null;
    });

/**
 * Points the order will earn, as the ledger will compute them (campaigns running now
 * included, one rounding down at the end), from its lines when known, else its subtotal.
 */
export function estimateOrderPoints(
  shop: ShopContext,
  order: Pick<ThankYouOrder, "subtotalMinor" | "lines" | "currency">,
  tierMultiplierBp = 10_000,
  at = new Date(),
): number {
  if (order.subtotalMinor <= 0n) return 0;
  const lines = order.lines?.length ? order.lines : [{ productId: null, amountMinor: order.subtotalMinor }];
  const earning = computeOrderEarning(
    {
      currency: order.currency,
      taxesIncluded: false,
      lines: lines.map((line) => ({
        productId: line.productId,
        grossMinor: line.amountMinor,
        discountMinor: 0n,
        taxMinor: 0n,
        giftCard: false,
      })),
      shippingMinor: 0n,
      shippingTaxMinor: 0n,
      processedAt: at,
    },
    { ...shop.settings, includeShipping: false, includeTax: false },
    { tierMultiplierBp, campaigns: shop.campaigns },
  );
  return earning.points;
}

function multiplierOf(shop: ShopContext, member: Member): number {
  return shop.tiers.find((tier) => tier.id === member.tierId)?.multiplierBp ?? 10_000;
}

export async function thankYouView(
  db: Db,
  shop: ShopContext,
  order: ThankYouOrder,
  isFirstOrder: boolean,
  locale: string | null = null,
): Promise<ThankYouView> {
  // Points in another currency than the rules would be wrong; the webhook ignores them too.
  if (!shop.live || order.currency !== shop.currency) return { state: "off" };
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const wording: Wording = { language, pointsName: pointsNameForms(shop.settings.pointsName, language) };
  const [member, stored, pending] = await Promise.all([
    order.customerId
      ? db.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId: order.customerId } } })
      : null,
    db.order.findUnique({
      where: { shopId_id: { shopId: shop.id, id: order.id } },
      select: { paidAt: true, memberId: true, pointsEarned: true, firstOrderBonus: true },
    }),
    db.pendingPoints.aggregate({
      where: { shopId: shop.id, orderId: order.id, memberId: null, status: "PENDING" },
      _sum: { points: true },
    }),
  ]);
  const signupBonus = shop.rules.get("SIGNUP")?.points ?? 0;
  // A first order also earns the first-order bonus; the ledger records it with the order.
  const firstOrderBonus = isFirstOrder ? (shop.rules.get("FIRST_ORDER")?.points ?? 0) : 0;
  if (member && member.status !== "ACTIVE") return { state: "off" };

  if (member) {
    const confirmed = Boolean(stored?.paidAt && stored.memberId === member.id);
    const points = confirmed
      ? stored!.pointsEarned + stored!.firstOrderBonus
      : estimateOrderPoints(shop, order, multiplierOf(shop, member)) + firstOrderBonus;
    return {
      ...wording,
      state: "member",
      points,
      confirmed,
      balance: member.balance,
      next: await nextGoal(db, shop, member, language),
      welcome: isFirstOrder,
    };
  }
  const held = pending._sum.points ?? 0;
  return {
    ...wording,
    state: order.customerId ? "join" : "guest",
    points: held > 0 ? held : estimateOrderPoints(shop, order),
    signupBonus,
    pendingDays: shop.settings.pendingWindowDays,
    welcome: isFirstOrder,
  };
}

async function nextGoal(db: Db, shop: ShopContext, member: Member, language: Language): Promise<NextGoal | null> {
  const reward = await db.reward.findFirst({
    where: { shopId: shop.id, enabled: true, trigger: "POINTS", pointsCost: { gt: member.balance } },
    orderBy: { pointsCost: "asc" },
    select: { name: true, names: true, pointsCost: true },
  });
  if (reward)
    return {
      kind: "reward",
      name: localizedName(reward.name, reward.names, language),
      remaining: reward.pointsCost - member.balance,
    };
  const current = shop.tiers.find((tier) => tier.id === member.tierId) ?? null;
  const above = shop.tiers.filter((tier) => tier.position > (current?.position ?? -1));
  if (above.length === 0) return null;
  const value = await qualifyingValue(db as Tx, shop, member.id);
  const tier = above.find((candidate) => candidate.threshold > value);
  if (!tier) return null;
  const missing = tier.threshold - value;
  const name = localizedName(tier.name, tier.names, language);
  switch (shop.settings.tierMetric) {
    case "SPEND":
      return {
        kind: "tier",
        name,
        unit: "money",
        remaining: Number(minorToDecimalString(missing, shop.currency)),
        currency: shop.currency,
      };
    case "ORDERS":
      return { kind: "tier", name, unit: "orders", remaining: Number(missing) };
    default:
      return { kind: "tier", name, unit: "points", remaining: Number(missing) };
  }
}

/**
 * One tap on the Thank-you page: the order's customer joins, with the order's email so
 * points held for it are credited at once. Guests have no customer to enroll: they sign
 * up in customer accounts instead.
 */

/**
 * What the page may show. Without a signed-in buyer, only this order's points show,
 * never the account's balance: Shopify attaches a guest checkout to the existing
 * customer with that email, so the person on the page may not be the account's owner. A
 * guest is told which email the account needs: the confirmation number, required before
 * anything is shown, proved the page is theirs.
 */
export function presentThankYou(view: ThankYouView, buyer: string | null, orderEmail: string | null): ThankYouView {
  if (view.state === "member" && !buyer) return { ...view, balance: null, next: null };
  if (view.state === "guest") return { ...view, email: orderEmail };
  return view;
}
