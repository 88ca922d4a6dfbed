import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { downgradeDate, qualifyingTier, windowStart } from "../../app/services/tiers";
import type { Tier } from "../../app/generated/prisma/client";

describe("tier windows", () => {
  it("start the calendar year at midnight on 1 January in the shop's time zone", () => {
    // 31 Dec 22:30 UTC is already 1 Jan in Moscow (UTC+3), still 31 Dec in New York.
    const at = new Date("2026-12-31T22:30:00Z");
    expect(windowStart("CALENDAR_YEAR", at, "Europe/Moscow")?.toISOString()).toBe("2026-12-31T21:00:00.000Z");
    expect(windowStart("CALENDAR_YEAR", at, "America/New_York")?.toISOString()).toBe("2026-01-01T05:00:00.000Z");
    expect(windowStart("CALENDAR_YEAR", at, "UTC")?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("roll twelve months back, including across a leap day, and have no start for lifetime", () => {
    expect(windowStart("ROLLING_12_MONTHS", new Date("2026-11-22T10:00:00Z"), "UTC")?.toISOString()).toBe(
      "2025-11-22T10:00:00.000Z",
    );
    expect(windowStart("ROLLING_12_MONTHS", new Date("2028-02-29T00:00:00Z"), "UTC")?.toISOString()).toBe(
      "2027-03-01T00:00:00.000Z",
    );
    expect(windowStart("LIFETIME", new Date(), "UTC")).toBeNull();
  });

  it("picks the highest tier whose threshold is met, at the exact threshold", () => {
    const tiers = [
      { id: "s", position: 0, threshold: 10000n },
      { id: "g", position: 1, threshold: 30000n },
    ] as Tier[];
    expect(qualifyingTier(tiers, 9999n)).toBeNull();
    expect(qualifyingTier(tiers, 10000n)?.id).toBe("s");
    expect(qualifyingTier(tiers, 30000n)?.id).toBe("g");
  });
});

const ZONES = [
  "UTC",
  "Europe/Moscow",
  "America/New_York",
  "Asia/Kamchatka",
  "Pacific/Honolulu",
  "Asia/Kolkata",
  "America/St_Johns",
  "Pacific/Chatham",
];
const instant = fc.date({
  min: new Date("2000-01-01T00:00:00Z"),
  max: new Date("2099-12-31T23:59:59Z"),
  noInvalidDate: true,
});

function localParts(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    })
      .formatToParts(at)
      .filter((p) => p.type !== "literal")
      .map((p) => [p.type, Number(p.value)]),
  );
  return parts as { year: number; month: number; day: number; hour: number; minute: number };
}

describe("tier evaluation properties", () => {
  it("a calendar-year window starts at local midnight on 1 January of the year `now` is in, in any zone", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (now, zone) => {
        const start = windowStart("CALENDAR_YEAR", now, zone)!;
        expect(start.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(localParts(start, zone)).toEqual({
          year: localParts(now, zone).year,
          month: 1,
          day: 1,
          hour: 0,
          minute: 0,
        });
        // One minute earlier is still the previous year there.
        expect(localParts(new Date(start.getTime() - 60_000), zone).year).toBe(localParts(now, zone).year - 1);
      }),
      { numRuns: 500 },
    );
  });

  it("a downgrade never comes before the end of the current period plus grace", () => {
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 365 }),
        fc.constantFrom("CALENDAR_YEAR" as const, "ROLLING_12_MONTHS" as const, "LIFETIME" as const),
        (now, zone, grace, window) => {
          const at = downgradeDate(window, grace, now, zone);
          expect(at.getTime()).toBeGreaterThanOrEqual(now.getTime() + grace * 86_400_000);
          if (window === "CALENDAR_YEAR") {
            // Exactly the next local new year, plus the grace days.
            const periodEnd = new Date(at.getTime() - grace * 86_400_000);
            expect(localParts(periodEnd, zone)).toEqual({
              year: localParts(now, zone).year + 1,
              month: 1,
              day: 1,
              hour: 0,
              minute: 0,
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the tier reached is monotonic in the value, and its threshold is always met", () => {
    const tiersArb = fc
      .uniqueArray(fc.bigInt({ min: 0n, max: 10_000_000n }), { minLength: 1, maxLength: 6 })
      .map((thresholds) =>
        [...thresholds]
          .sort((a, b) => (a < b ? -1 : 1))
          .map((threshold, position) => ({ id: `t${position}`, position, threshold }) as Tier),
      );
    fc.assert(
      fc.property(
        tiersArb,
        fc.bigInt({ min: 0n, max: 12_000_000n }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        (tiers, value, more) => {
          const low = qualifyingTier(tiers, value);
          const high = qualifyingTier(tiers, value + more);
          expect(high?.position ?? -1).toBeGreaterThanOrEqual(low?.position ?? -1);
          if (low) expect(low.threshold).toBeLessThanOrEqual(value);
          const next = tiers.find((t) => t.position === (low?.position ?? -1) + 1);
          if (next) expect(next.threshold).toBeGreaterThan(value);
        },
      ),
    );
  });
});
