import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tiersByOrder, type HistoryOrder, type TierProgram } from "../../app/domain/tier-history";

/**
 * The tier each order earns at, from history alone. Worked examples with Silver at $200
 * (×1.25) and Gold at $500 (×1.5) of qualifying spend, then the invariant: any
 * permutation of the same history gives the same tiers.
 */
const SILVER = { id: "silver", position: 0, threshold: 20_000n, multiplierBp: 12_500 };
const GOLD = { id: "gold", position: 1, threshold: 50_000n, multiplierBp: 15_000 };

function program(overrides: Partial<TierProgram> = {}): TierProgram {
  return {
    metric: "SPEND",
    window: "LIFETIME",
    graceDays: 0,
    timeZone: "UTC",
    tiers: [SILVER, GOLD],
    ladder: null,
    override: null,
    ...overrides,
  };
}

let nextId = 1n;
function order(at: string, dollars: number, extra: Partial<HistoryOrder> = {}): HistoryOrder {
  return {
    id: nextId++,
    processedAt: new Date(at),
    earnableMinor: BigInt(dollars * 100),
    cancelledAt: null,
    refunds: [],
    pointsAt: (bp) => Math.floor((dollars * bp) / 10_000),
    ...extra,
  };
}

const names = (orders: HistoryOrder[], p: TierProgram) => {
  const tiers = tiersByOrder(orders, p);
  return orders.map((o) => tiers.get(o.id)?.id ?? "none");
};

describe("the tier an order earns at", () => {
  it("is reached by the orders before it, never by itself", () => {
    // $150, then $100 (total before: $150, none), then $300 (before: $250, Silver),
    // then $10 (before: $550, Gold).
    const orders = [
      order("2026-01-01", 150),
      order("2026-02-01", 100),
      order("2026-03-01", 300),
      order("2026-04-01", 10),
    ];
    expect(names(orders, program())).toEqual(["none", "none", "silver", "gold"]);
  });

  it("counts a refund or a cancellation only from the moment it happened", () => {
    const refunded = order("2026-01-01", 250, { refunds: [{ at: new Date("2026-01-15"), earnableMinor: 10_000n }] });
    const between = order("2026-01-10", 1); // before the refund: $250 counts
    const after = order("2026-01-20", 1); // after it: $151 counts
    const cancelled = order("2026-02-01", 400, { cancelledAt: new Date("2026-02-10") });
    const duringIt = order("2026-02-05", 1); // $552 before: Gold
    const afterIt = order("2026-02-20", 1); // the $400 is gone: $153, none
    expect(names([refunded, between, after, cancelled, duringIt, afterIt], program())).toEqual([
      "none",
      "silver",
      "none",
      "none",
      "gold",
      "none",
    ]);
  });

  it("keeps a tier for the grace period after the history falls below it", () => {
    const big = order("2026-01-01", 300, { cancelledAt: new Date("2026-01-05") });
    const soon = order("2026-01-20", 1); // 15 days after falling below
    const late = order("2026-02-20", 1); // 46 days after
    expect(names([big, soon, late], program({ graceDays: 30 }))).toEqual(["none", "silver", "none"]);
  });

  it("drops orders older than 12 months from a rolling window", () => {
    const old = order("2025-01-01", 300);
    const within = order("2025-12-01", 1);
    const after = order("2026-02-01", 1);
    expect(names([old, within, after], program({ window: "ROLLING_12_MONTHS" }))).toEqual(["none", "silver", "none"]);
  });

  it("keeps a calendar year's tier through the next year, plus grace, in the shop's time zone", () => {
    const p = program({ window: "CALENDAR_YEAR", graceDays: 15, timeZone: "Europe/Moscow" });
    const earned = order("2025-06-01T10:00:00Z", 600);
    const nextYear = order("2026-11-01T10:00:00Z", 1); // Gold from 2025 still holds
    const inGrace = order("2027-01-10T10:00:00Z", 1); // 2025's tier, kept 15 days into 2027
    const afterGrace = order("2027-01-20T10:00:00Z", 1);
    // 23:30 UTC on Dec 31st is already January 1st in Moscow: a new year there.
    const moscowNewYear = order("2025-12-31T23:30:00Z", 1);
    expect(names([earned, nextYear, inGrace, afterGrace, moscowNewYear], p)).toEqual([
      "none",
      "gold",
      "gold",
      "none",
      "gold",
    ]);
  });

  it("applies the order ladder's VIP step and a manual override in force at the time", () => {
    const ladder = program({ ladder: { orders: 2, tierId: "gold" } });
    expect(names([order("2026-01-01", 5), order("2026-01-02", 5), order("2026-01-03", 5)], ladder)).toEqual([
      "none",
      "none",
      "gold",
    ]);
    const override = program({
      override: { tierId: "silver", from: new Date("2026-03-01"), until: new Date("2026-04-01") },
    });
    expect(names([order("2026-02-15", 1), order("2026-03-15", 1), order("2026-04-15", 1)], override)).toEqual([
      "none",
      "silver",
      "none",
    ]);
  });

  it("under the POINTS metric, counts each earlier order at its own tier", () => {
    const p = program({
      metric: "POINTS",
      tiers: [
        { ...SILVER, threshold: 200n },
        { ...GOLD, threshold: 450n },
      ],
    });
    // 200 points reach Silver; the next 200-dollar order earns 250 (×1.25): 450 reach Gold.
    expect(names([order("2026-01-01", 200), order("2026-01-02", 200), order("2026-01-03", 1)], p)).toEqual([
      "none",
      "silver",
      "gold",
    ]);
  });
});

describe("same history, same tiers", () => {
  it("whatever order the events are given in", () => {
    const history = fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 720 }),
        dollars: fc.integer({ min: 0, max: 400 }),
        refund: fc.integer({ min: 0, max: 100 }),
        cancel: fc.boolean(),
      }),
      { minLength: 1, maxLength: 12 },
    );
    const settings = fc.record({
      window: fc.constantFrom("LIFETIME" as const, "CALENDAR_YEAR" as const, "ROLLING_12_MONTHS" as const),
      graceDays: fc.constantFrom(0, 30),
    });
    fc.assert(
      fc.property(history, settings, fc.integer(), (events, s, seed) => {
        const base = Date.parse("2025-01-01T00:00:00Z");
        const orders = events.map((e, i) =>
          order(new Date(base + e.day * 86_400_000).toISOString(), e.dollars, {
            id: BigInt(i + 1),
            refunds: e.refund
              ? [
                  {
                    at: new Date(base + (e.day + 3) * 86_400_000),
                    earnableMinor: BigInt(Math.min(e.refund, e.dollars) * 100),
                  },
                ]
              : [],
            cancelledAt: e.cancel ? new Date(base + (e.day + 9) * 86_400_000) : null,
          }),
        );
        const p = program(s);
        const shuffled = fc.sample(fc.shuffledSubarray(orders, { minLength: orders.length }), { seed, numRuns: 1 })[0]!;
        const a = tiersByOrder(orders, p);
        const b = tiersByOrder(shuffled, p);
        for (const o of orders) expect(b.get(o.id)?.id ?? null).toBe(a.get(o.id)?.id ?? null);
      }),
      { numRuns: 300 },
    );
  });
});
