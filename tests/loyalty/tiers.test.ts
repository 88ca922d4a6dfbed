import { describe, expect, it } from "vitest";
import { qualifyingTier, windowStart } from "../../app/loyalty/tiers";
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
    expect(windowStart("ROLLING_12_MONTHS", new Date("2026-11-22T10:00:00Z"), "UTC")?.toISOString()).toBe("2025-11-22T10:00:00.000Z");
    expect(windowStart("ROLLING_12_MONTHS", new Date("2028-02-29T00:00:00Z"), "UTC")?.toISOString()).toBe("2027-03-01T00:00:00.000Z");
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
