import { describe, expect, it } from "vitest";
import { codeBlocker, rewardBlocker, type CartRewardInput, type HeldCode } from "../../app/domain/cart-rewards";

const ALL = { order: true, product: true, shipping: true };
const SHIPPING_ONLY = { order: false, product: false, shipping: true };

function reward(overrides: Partial<CartRewardInput> = {}): CartRewardInput {
  return {
    id: "r1",
    type: "FIXED_AMOUNT",
    cost: 500,
    tier: null,
    available: true,
    minOrderMinor: null,
    currency: "USD",
    combines: SHIPPING_ONLY,
    ...overrides,
  };
}
const cart = (subtotalMinor: number, codes: Array<{ code: string; applicable: boolean }> = []) => ({
  subtotalMinor,
  currency: "USD",
  codes,
});

describe("what stands between a reward and the cart", () => {
  it("lets a member who can afford it redeem it into an empty-coded cart", () => {
    expect(rewardBlocker(reward(), 500, cart(4990), [])).toBeNull();
  });

  it("names the tier first, then the points still missing", () => {
    expect(rewardBlocker(reward({ available: false, tier: "Gold" }), 0, cart(4990), [])).toEqual({
      kind: "tier",
      tier: "Gold",
    });
    expect(rewardBlocker(reward(), 320, cart(4990), [])).toEqual({ kind: "points", missing: 180 });
  });

  it("says how much more the cart needs for the reward's minimum order, to the cent", () => {
    expect(rewardBlocker(reward({ minOrderMinor: 5000 }), 900, cart(4990), [])).toEqual({
      kind: "minimum",
      missingMinor: 10,
      currency: "USD",
    });
    expect(rewardBlocker(reward({ minOrderMinor: 5000 }), 900, cart(5000), [])).toBeNull();
  });

  it("leaves a cart in another currency to Shopify, which converts amounts and minimums at its rate", () => {
    const eur = { subtotalMinor: 100, currency: "EUR", codes: [] };
    expect(rewardBlocker(reward(), 900, eur, [])).toBeNull();
    expect(rewardBlocker(reward({ minOrderMinor: 5000 }), 900, eur, [])).toBeNull();
    // The tier and the points are the same in any currency.
    expect(rewardBlocker(reward(), 100, eur, [])).toEqual({ kind: "points", missing: 400 });
  });

  it("follows Shopify's combination rule both ways, by discount class", () => {
    const held: HeldCode[] = [
      { code: "CB-SHIP", type: "FREE_SHIPPING", minOrderMinor: null, currency: "USD", combines: ALL },
      { code: "CB-FIVE", type: "FIXED_AMOUNT", minOrderMinor: null, currency: "USD", combines: SHIPPING_ONLY },
    ];
    // An amount off combines with a shipping code when both allow it…
    expect(rewardBlocker(reward(), 900, cart(4990, [{ code: "CB-SHIP", applicable: true }]), held)).toBeNull();
    // …but two order discounts only if each allows order discounts.
    expect(rewardBlocker(reward(), 900, cart(4990, [{ code: "cb-five", applicable: true }]), held)).toEqual({
      kind: "combine",
      code: "cb-five",
    });
    expect(
      rewardBlocker(reward({ combines: ALL }), 900, cart(4990, [{ code: "CB-FIVE", applicable: true }]), held),
    ).toEqual({ kind: "combine", code: "CB-FIVE" });
    // A free product with a shipping code that allows products, from a reward that allows shipping.
    expect(
      rewardBlocker(reward({ type: "FREE_PRODUCT" }), 900, cart(4990, [{ code: "CB-SHIP", applicable: true }]), held),
    ).toBeNull();
    // A code the cart does not apply anyway is no obstacle.
    expect(rewardBlocker(reward(), 900, cart(4990, [{ code: "CB-FIVE", applicable: false }]), held)).toBeNull();
  });

  it("takes the merchant's own codes as order discounts", () => {
    expect(rewardBlocker(reward(), 900, cart(4990, [{ code: "WELCOME10", applicable: true }]), [])).toEqual({
      kind: "combine",
      code: "WELCOME10",
    });
    expect(
      rewardBlocker(reward({ type: "FREE_SHIPPING" }), 900, cart(4990, [{ code: "WELCOME10", applicable: true }]), []),
    ).toEqual({ kind: "combine", code: "WELCOME10" });
    expect(
      rewardBlocker(
        reward({ type: "FREE_SHIPPING", combines: ALL }),
        900,
        cart(4990, [{ code: "WELCOME10", applicable: true }]),
        [],
      ),
    ).toBeNull();
  });

  it("explains why a held code in the cart does not apply: its minimum, or the code it clashes with", () => {
    const held: HeldCode[] = [
      { code: "CB-TEN", type: "FIXED_AMOUNT", minOrderMinor: 6000, currency: "USD", combines: SHIPPING_ONLY },
      { code: "CB-FIVE", type: "FIXED_AMOUNT", minOrderMinor: null, currency: "USD", combines: SHIPPING_ONLY },
    ];
    expect(codeBlocker(held[0]!, cart(4990, [{ code: "CB-TEN", applicable: false }]), held)).toEqual({
      kind: "minimum",
      missingMinor: 1010,
      currency: "USD",
    });
    const both = cart(4990, [
      { code: "CB-TEN", applicable: false },
      { code: "CB-FIVE", applicable: true },
    ]);
    expect(codeBlocker({ ...held[0]!, minOrderMinor: null }, both, held)).toEqual({ kind: "combine", code: "CB-FIVE" });
    // It never counts itself as the clash.
    expect(codeBlocker(held[1]!, cart(4990, [{ code: "CB-FIVE", applicable: false }]), held)).toBeNull();
  });
});
