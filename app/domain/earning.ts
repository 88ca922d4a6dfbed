import { InvalidInputError } from "./errors";
import { MoneyError } from "./money";

/**
 * Points for an order, as pure arithmetic on integers.
 *
 * Points are earned on what the shopper actually paid for goods: each line's price times
 * quantity, less the discounts allocated to it, without tax (unless the program counts
 * tax) and without gift cards (buying a gift card earns when it is spent, not twice).
 * Shipping counts only when the program says so. All maths is in the shop's currency
 * (Shopify's shop_money), so a rule reads the same whatever currency the shopper used.
 */

export interface OrderLine {
  productId: string | null;
  /** price × quantity, in minor units of the order's shop currency */
  grossMinor: bigint;
  /** discounts allocated to this line (codes, automatic, scripts) */
  discountMinor: bigint;
  taxMinor: bigint;
  giftCard: boolean;
}

export interface EarningOrder {
  currency: string;
  taxesIncluded: boolean;
  lines: OrderLine[];
  /** shipping after shipping discounts */
  shippingMinor: bigint;
  shippingTaxMinor: bigint;
  processedAt: Date;
}

export interface EarningRules {
  /** earnPoints points for every earnSpendMinor minor units */
  earnPoints: number;
  earnSpendMinor: number;
  includeShipping: boolean;
  includeTax: boolean;
}

export interface ActiveCampaign {
  multiplierBp: number;
  startsAt: Date;
  endsAt: Date;
  /** The products it applies to (Shopify ids, those of its collections included), or all. */
  productIds: readonly string[] | "all";
}

export interface EarningContext {
  /** 10000 = 1x */
  tierMultiplierBp: number;
  campaigns: ActiveCampaign[];
}

export interface OrderEarning {
  earnableMinor: bigint;
  basePoints: number;
  tierBonusPoints: number;
  campaignBonusPoints: number;
  points: number;
  /** What the order earns at any tier multiplier: see pointsAtMultiplier. */
  basis: EarningBasis;
}

/**
 * An order's earning frozen at payment, before the tier multiplier: Σ earnable amount ×
 * campaign multiplier (basis points), and the rate then in force. When a late delivery
 * changes the tier an order earns at, its points are recomputed from this, not from
 * today's rules.
 */
export interface EarningBasis {
  weightedMinor: bigint;
  earnPoints: number;
  earnSpendMinor: number;
}

/** The order's points at a tier multiplier (10000 = 1x), with the single rounding down. */
export function pointsAtMultiplier(basis: EarningBasis, multiplierBp: number): number {
  return Number(
    (basis.weightedMinor * BigInt(basis.earnPoints) * BigInt(multiplierBp)) / (BigInt(basis.earnSpendMinor) * BP * BP),
  );
}

/** Upper bounds that no real order reaches; beyond them the input is refused. */
export const MAX_EARNABLE_MINOR = 10n ** 13n;
export const MAX_POINTS = 2_000_000_000;
const BP = 10_000n;

export class EarningError extends InvalidInputError {
  override name = "EarningError";
}

export function validateRules(rules: EarningRules): void {
  if (!Number.isInteger(rules.earnPoints) || rules.earnPoints < 0 || rules.earnPoints > 1_000_000) {
    throw new EarningError("earnPoints must be a whole number from 0 to 1,000,000");
  }
  if (!Number.isInteger(rules.earnSpendMinor) || rules.earnSpendMinor < 1 || rules.earnSpendMinor > 1_000_000_000) {
    throw new EarningError("earnSpendMinor must be a whole number from 1 to 1,000,000,000");
  }
}

function lineEarnable(line: OrderLine, order: EarningOrder, rules: EarningRules): bigint {
  if (line.giftCard) return 0n;
  let amount = line.grossMinor - line.discountMinor;
  // Shopify's price includes tax when the shop shows tax-inclusive prices.
  if (order.taxesIncluded && !rules.includeTax) amount -= line.taxMinor;
  if (!order.taxesIncluded && rules.includeTax) amount += line.taxMinor;
  return amount > 0n ? amount : 0n;
}

function shippingEarnable(order: EarningOrder, rules: EarningRules): bigint {
  if (!rules.includeShipping) return 0n;
  let amount = order.shippingMinor;
  if (order.taxesIncluded && !rules.includeTax) amount -= order.shippingTaxMinor;
  if (!order.taxesIncluded && rules.includeTax) amount += order.shippingTaxMinor;
  return amount > 0n ? amount : 0n;
}

/** The highest campaign multiplier that applies to a product at a moment (10000 when none). */
function campaignBp(productId: string | null, at: Date, campaigns: ActiveCampaign[]): bigint {
  let best = BP;
  for (const campaign of campaigns) {
    if (at < campaign.startsAt || at >= campaign.endsAt) continue;
    if (campaign.productIds !== "all" && (!productId || !campaign.productIds.includes(productId))) continue;
    const bp = BigInt(campaign.multiplierBp);
    if (bp > best) best = bp;
  }
  return best;
}

export function computeOrderEarning(order: EarningOrder, rules: EarningRules, context: EarningContext): OrderEarning {
  validateRules(rules);
  if (
    !Number.isInteger(context.tierMultiplierBp) ||
    context.tierMultiplierBp < 0 ||
    context.tierMultiplierBp > 100_000
  ) {
    throw new EarningError("tier multiplier must be from 0 to 10x");
  }
  const tierBp = BigInt(context.tierMultiplierBp);
  const earnPoints = BigInt(rules.earnPoints);
  const spend = BigInt(rules.earnSpendMinor);

  let earnable = 0n;
  // Σ earnable × campaign multiplier, kept exact until the single rounding at the end.
  let weighted = 0n;
  for (const line of order.lines) {
    const amount = lineEarnable(line, order, rules);
    earnable += amount;
    weighted += amount * campaignBp(line.productId, order.processedAt, context.campaigns);
  }
  const shipping = shippingEarnable(order, rules);
  earnable += shipping;
  // Shipping has no product: only shop-wide campaigns apply to it.
  weighted += shipping * campaignBp(null, order.processedAt, context.campaigns);

  if (earnable > MAX_EARNABLE_MINOR) throw new EarningError("order amount is out of range");

  const base = (earnable * earnPoints) / spend;
  const withTier = (earnable * earnPoints * tierBp) / (spend * BP);
  const total = (weighted * earnPoints * tierBp) / (spend * BP * BP);
  if (total > BigInt(MAX_POINTS)) throw new EarningError("order would earn more points than allowed");

  return {
    earnableMinor: earnable,
    basePoints: Number(base),
    tierBonusPoints: Number(withTier - base),
    campaignBonusPoints: Number(total - withTier),
    points: Number(total),
    basis: { weightedMinor: weighted, earnPoints: rules.earnPoints, earnSpendMinor: rules.earnSpendMinor },
  };
}

/**
 * Points to take back for a refund, at the rate the order originally earned.
 *
 * Rounded up, so that refunding everything takes back everything even when it happens
 * in several parts, and capped at what is left to reverse.
 */
export function refundReversal(args: {
  pointsEarned: number;
  earnableMinor: bigint;
  refundedEarnableMinor: bigint;
  alreadyReversed: number;
}): number {
  const remaining = args.pointsEarned - args.alreadyReversed;
  if (remaining <= 0 || args.refundedEarnableMinor <= 0n) return 0;
  if (args.earnableMinor <= 0n) return 0;
  const refunded = args.refundedEarnableMinor > args.earnableMinor ? args.earnableMinor : args.refundedEarnableMinor;
  const numerator = BigInt(args.pointsEarned) * refunded;
  const reversal = Number((numerator + args.earnableMinor - 1n) / args.earnableMinor);
  return Math.min(reversal, remaining);
}

export { MoneyError };
