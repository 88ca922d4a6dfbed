/**
 * What the cart block offers a member for the cart in front of them: which rewards one tap
 * can redeem and apply now, and for each one it can't, the reason in terms the shopper can
 * act on (points short, a tier, the minimum order, a code already in the cart it does not
 * combine with). Shopify has the last word at checkout; these rules mirror the discount the
 * app creates (`minimumRequirement`, `combinesWith`), so what the block promises is what
 * Shopify then accepts. A cart in another currency than the reward's (Shopify Markets) is
 * left to Shopify, which converts fixed amounts and minimums at its own rate: the block
 * does not guess, and explains Shopify's answer once the code is in the cart.
 */

import type { Language } from "./localized";

export type RewardKind = "FIXED_AMOUNT" | "PERCENTAGE" | "FREE_SHIPPING" | "FREE_PRODUCT" | "STORE_CREDIT";

/** Shopify's discount classes: two codes apply together only if each combines with the other's class. */
export type DiscountClass = "order" | "product" | "shipping";

export interface CartRewardInput {
  id: string;
  type: RewardKind;
  cost: number;
  /** The lowest tier allowed, by name; `available` says whether the member reaches it. */
  tier: string | null;
  available: boolean;
  minOrderMinor: number | null;
  /** The currency of `valueMinor` and `minOrderMinor` (the shop's unless the reward says). */
  currency: string;
  combines: Record<DiscountClass, boolean>;
}

export interface CartInput {
  /** The cart's subtotal before discounts, minor units of `currency`. */
  subtotalMinor: number;
  currency: string;
  /** Codes in the cart, with Shopify's verdict for this cart. */
  codes: Array<{ code: string; applicable: boolean }>;
}

/** A code the member already holds (issued, not used): its reward's class and rules. */
export interface HeldCode {
  code: string;
  type: RewardKind | null;
  minOrderMinor: number | null;
  currency: string;
  combines: Record<DiscountClass, boolean> | null;
}

export type Blocker =
  | { kind: "points"; missing: number }
  | { kind: "tier"; tier: string }
  | { kind: "minimum"; missingMinor: number; currency: string }
  | { kind: "combine"; code: string };

export function discountClass(type: RewardKind | null): DiscountClass | null {
  if (type === "FREE_SHIPPING") return "shipping";
  if (type === "FREE_PRODUCT") return "product";
  if (type === "FIXED_AMOUNT" || type === "PERCENTAGE") return "order";
  return null;
}

/**
 * Codes the app did not issue (the merchant's own) are taken as order discounts, the kind
 * stores hand out most; their real class is only known to Shopify, which reports it as
 * `applicable: false` after the fact, and the block explains that answer too.
 */
function classOf(
  code: string,
  held: HeldCode[],
): { cls: DiscountClass; combines: Record<DiscountClass, boolean> | null } {
  const own = held.find((h) => h.code.toUpperCase() === code.toUpperCase());
  return { cls: discountClass(own?.type ?? null) ?? "order", combines: own?.combines ?? null };
}

/** The first code in the cart that a discount of `cls` (combining as `combines`) cannot join. */
function conflict(
  cls: DiscountClass,
  combines: Record<DiscountClass, boolean>,
  cart: CartInput,
  held: HeldCode[],
  except?: string,
): string | null {
  for (const entry of cart.codes) {
    if (!entry.applicable || entry.code.toUpperCase() === except?.toUpperCase()) continue;
    const other = classOf(entry.code, held);
    // A foreign code's own combination settings are unknown: assume it allows what ours allows.
    const otherAllows = other.combines ? other.combines[cls] : true;
    if (!combines[other.cls] || !otherAllows) return entry.code;
  }
  return null;
}

function minimumShort(minOrderMinor: number | null, currency: string, cart: CartInput): Blocker | null {
  if (!minOrderMinor) return null;
  // Another currency: Shopify converts the minimum at its rate, which only it knows.
  if (currency !== cart.currency) return null;
  const missing = minOrderMinor - cart.subtotalMinor;
  return missing > 0 ? { kind: "minimum", missingMinor: missing, currency } : null;
}

/** Why one tap cannot redeem and apply this reward to this cart, or null when it can. */
export function rewardBlocker(
  reward: CartRewardInput,
  balance: number,
  cart: CartInput,
  held: HeldCode[],
): Blocker | null {
  if (!reward.available) return { kind: "tier", tier: reward.tier ?? "" };
  if (balance < reward.cost) return { kind: "points", missing: reward.cost - balance };
  const cls = discountClass(reward.type);
  const short = minimumShort(reward.minOrderMinor, reward.currency, cart);
  if (short) return short;
  if (cls) {
    const code = conflict(cls, reward.combines, cart, held);
    if (code) return { kind: "combine", code };
  }
  return null;
}

/** Why a code in the cart does not apply (Shopify said `applicable: false`), as far as the rules tell. */
export function codeBlocker(code: HeldCode, cart: CartInput, held: HeldCode[]): Blocker | null {
  const short = minimumShort(code.minOrderMinor, code.currency, cart);
  if (short) return short;
  const cls = discountClass(code.type);
  if (cls && code.combines) {
    const other = conflict(cls, code.combines, cart, held, code.code);
    if (other) return { kind: "combine", code: other };
  }
  return null;
}

/** The cart block's view of one shopper and one cart (built by services/cart-offer). */
export interface CartOfferReward {
  id: string;
  name: string;
  type: RewardKind;
  cost: number;
  blocker: Blocker | null;
}

export interface CartOfferCode {
  code: string;
  name: string;
  type: RewardKind | null;
  endsAt: string | null;
  /** In the cart, and whether Shopify applies it there. */
  inCart: boolean;
  applicable: boolean;
  /** For a code in the cart that does not apply: why, when the rules tell. */
  blocker: Blocker | null;
}

export type CartOffer =
  | { kind: "closed"; language: Language }
  | { kind: "guest"; language: Language }
  | { kind: "not_member"; language: Language }
  | {
      kind: "member";
      language: Language;
      balance: number;
      rewards: CartOfferReward[];
      codes: CartOfferCode[];
      /** Codes in the cart that are not the member's (the merchant's own). */
      otherCodes: Array<{ code: string; applicable: boolean }>;
    };
