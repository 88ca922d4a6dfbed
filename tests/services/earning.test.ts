import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  computeOrderEarning,
  EarningError,
  refundReversal,
  type EarningContext,
  type EarningRules,
} from "../../app/domain/earning";
import { PayloadError, parseJsonExact, parseOrder, parseRefund } from "../../app/shopify/payloads";
import { orderJson, orderPayload, refundPayload } from "../fixtures/shopify-payloads";

const onePerDollar: EarningRules = { earnPoints: 1, earnSpendMinor: 100, includeShipping: false, includeTax: false };
const plain: EarningContext = { tierMultiplierBp: 10_000, campaigns: [] };

function earn(spec: Parameters<typeof orderPayload>[0], rules = onePerDollar, context = plain) {
  return computeOrderEarning(parseOrder(orderPayload(spec)), rules, context);
}

describe("earning on an order", () => {
  it("earns on line items after discounts, excluding shipping and tax", () => {
    const result = earn({
      lines: [
        { price: "199.00", discount: "3.33", tax: "11.94" },
        { price: "25.50", quantity: 2, tax: "3.06" },
      ],
      shipping: { price: "10.00", tax: "0.60" },
    });
    // 199.00 - 3.33 + 2 × 25.50 = 246.67
    expect(result.earnableMinor).toBe(24667n);
    expect(result.points).toBe(246);
  });

  it("removes tax from tax-inclusive prices (VAT shops)", () => {
    const result = earn({ taxesIncluded: true, currency: "GBP", lines: [{ price: "120.00", tax: "20.00" }] });
    expect(result.earnableMinor).toBe(10000n);
    expect(result.points).toBe(100);
    const withTax = earn(
      { taxesIncluded: true, currency: "GBP", lines: [{ price: "120.00", tax: "20.00" }] },
      {
        ...onePerDollar,
        includeTax: true,
      },
    );
    expect(withTax.points).toBe(120);
  });

  it("adds tax on top of tax-exclusive prices only when the program counts tax", () => {
    const rules = { ...onePerDollar, includeTax: true };
    expect(earn({ lines: [{ price: "100.00", tax: "8.25" }] }, rules).earnableMinor).toBe(10825n);
  });

  it("never earns on gift cards", () => {
    const result = earn({ lines: [{ price: "50.00", giftCard: true }, { price: "30.00" }] });
    expect(result.earnableMinor).toBe(3000n);
    expect(result.points).toBe(30);
  });

  it("counts discounted shipping only when configured", () => {
    const spec = { lines: [{ price: "40.00" }], shipping: { price: "15.00", discounted: "5.00" } };
    expect(earn(spec).points).toBe(40);
    expect(earn(spec, { ...onePerDollar, includeShipping: true }).points).toBe(45);
  });

  it("measures multi-currency orders in the shop currency (shop_money)", () => {
    // The shopper paid in EUR; the shop's currency is USD.
    const result = earn({
      currency: "USD",
      presentmentCurrency: "EUR",
      lines: [{ price: "110.00", presentmentPrice: "100.00" }],
    });
    expect(result.earnableMinor).toBe(11000n);
    expect(result.points).toBe(110);
  });

  it("handles zero-decimal currencies", () => {
    // 1 point per 100 yen.
    const result = earn(
      { currency: "JPY", lines: [{ price: "4980", quantity: 2 }] },
      {
        ...onePerDollar,
        earnSpendMinor: 100,
      },
    );
    expect(result.earnableMinor).toBe(9960n);
    expect(result.points).toBe(99);
  });

  it("earns nothing on a zero total or a 100% discount", () => {
    expect(earn({ lines: [{ price: "0.00" }] }).points).toBe(0);
    expect(earn({ lines: [{ price: "35.00", discount: "35.00" }] }).points).toBe(0);
    // A discount larger than the line (rounding in Shopify's allocation) never goes negative.
    expect(earn({ lines: [{ price: "35.00", discount: "35.01" }] }).earnableMinor).toBe(0n);
  });

  it("applies the tier multiplier and the best campaign per line, rounding once", () => {
    const at = new Date("2026-10-03T16:00:00Z");
    const campaigns = [
      {
        multiplierBp: 20_000,
        startsAt: new Date("2026-10-01"),
        endsAt: new Date("2026-10-10"),
        productIds: "all" as const,
      },
      { multiplierBp: 30_000, startsAt: new Date("2026-10-01"), endsAt: new Date("2026-10-10"), productIds: ["777"] },
      {
        multiplierBp: 50_000,
        startsAt: new Date("2026-11-01"),
        endsAt: new Date("2026-11-10"),
        productIds: "all" as const,
      },
    ];
    const result = earn(
      {
        processedAt: at.toISOString(),
        lines: [
          { price: "10.00", productId: 777 },
          { price: "10.00", productId: 1 },
        ],
      },
      onePerDollar,
      { tierMultiplierBp: 15_000, campaigns },
    );
    expect(result.basePoints).toBe(20);
    expect(result.tierBonusPoints).toBe(10); // 1.5x
    // line 777: 10 × 3 × 1.5 = 45; other: 10 × 2 × 1.5 = 30
    expect(result.points).toBe(75);
    expect(result.campaignBonusPoints).toBe(45);
  });

  it("refuses absurd amounts instead of overflowing", () => {
    expect(() => earn({ lines: [{ price: "9999999999.00", quantity: 100 }] })).toThrow(EarningError);
    expect(() => earn({ lines: [{ price: "99999999999999.00", quantity: 1000 }] })).toThrow(PayloadError);
    expect(() => earn({ lines: [{ price: "10.00" }] }, { ...onePerDollar, earnSpendMinor: 0 })).toThrow(EarningError);
  });

  it("refuses payloads that are not orders, naming the field", () => {
    expect(() => parseOrder({ id: 1 })).toThrow(PayloadError);
    try {
      parseOrder({ ...orderPayload({ lines: [{ price: "10.00" }] }), line_items: [{ price: "ten", quantity: 1 }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadError);
      expect((error as PayloadError).issues.join(" ")).toMatch(/ten|decimal/);
    }
    expect(() => parseOrder(orderPayload({ lines: [{ price: "10.00", quantity: -1 }] }))).toThrow(PayloadError);
  });

  it("keeps Shopify ids beyond 2^53 exact", () => {
    const parsed = parseOrder(parseJsonExact(orderJson({ id: "820982911946154508", lines: [{ price: "1.00" }] })));
    expect(parsed.id).toBe(820982911946154508n);
  });
});

describe("refund reversal", () => {
  it("is proportional at the original rate, rounds up, and never exceeds what was earned", () => {
    expect(
      refundReversal({ pointsEarned: 246, earnableMinor: 24667n, refundedEarnableMinor: 5100n, alreadyReversed: 0 }),
    ).toBe(51);
    expect(
      refundReversal({ pointsEarned: 100, earnableMinor: 10000n, refundedEarnableMinor: 20000n, alreadyReversed: 0 }),
    ).toBe(100);
    expect(
      refundReversal({ pointsEarned: 100, earnableMinor: 10000n, refundedEarnableMinor: 5000n, alreadyReversed: 80 }),
    ).toBe(20);
    expect(
      refundReversal({ pointsEarned: 0, earnableMinor: 10000n, refundedEarnableMinor: 5000n, alreadyReversed: 0 }),
    ).toBe(0);
  });

  it("takes back everything when an order is refunded in any number of parts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }),
        (points, parts) => {
          const earnable = BigInt(parts.reduce((a, b) => a + b, 0));
          let reversed = 0;
          for (const part of parts) {
            reversed += refundReversal({
              pointsEarned: points,
              earnableMinor: earnable,
              refundedEarnableMinor: BigInt(part),
              alreadyReversed: reversed,
            });
          }
          expect(reversed).toBe(points);
        },
      ),
    );
  });

  it("refuses refund lines with a negative amount, which would add points on a refund", () => {
    for (const line of [{ subtotal: "-5.00" }, { subtotal: "5.00", tax: "-0.01" }]) {
      expect(() => parseRefund(refundPayload({ id: 1, orderId: 2, lines: [line] }))).toThrow(PayloadError);
    }
  });

  it("reads refund line items without gift cards, with tax and refunded shipping", () => {
    const refund = parseRefund(
      refundPayload({
        id: 509562969,
        orderId: 450789469,
        lines: [
          { subtotal: "195.66", tax: "3.98" },
          { subtotal: "50.00", giftCard: true },
        ],
        shipping: "5.00",
      }),
    );
    expect(refund).toMatchObject({ id: 509562969n, orderId: 450789469n, currency: "USD" });
    expect(refund.linesSubtotalMinor).toBe(19566n);
    expect(refund.linesTaxMinor).toBe(398n);
    expect(refund.shippingMinor).toBe(500n);
  });
});
