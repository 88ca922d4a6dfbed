import { calendarYearStart, DAY_MS, twelveMonthsBefore } from "./time";

/**
 * VIP tier rules that need no database: the qualifying window, which tier a value reaches,
 * and when a member who fell below their tier actually drops.
 */
export type TierMetric = "SPEND" | "ORDERS" | "POINTS";
export type TierWindow = "LIFETIME" | "CALENDAR_YEAR" | "ROLLING_12_MONTHS";

/** Start of the qualifying window containing `now`, in the shop's time zone (null: lifetime). */
export function windowStart(window: TierWindow, now: Date, timeZone: string): Date | null {
  if (window === "LIFETIME") return null;
  if (window === "ROLLING_12_MONTHS") return twelveMonthsBefore(now);
  return calendarYearStart(now, timeZone);
}

/** The highest tier whose threshold `value` meets. */
export function qualifyingTier<T extends { position: number; threshold: bigint }>(tiers: T[], value: bigint): T | null {
  let best: T | null = null;
  for (const tier of tiers) if (value >= tier.threshold && (!best || tier.position > best.position)) best = tier;
  return best;
}

/** When a member who no longer qualifies actually drops: end of the period, plus grace. */
export function downgradeDate(window: TierWindow, graceDays: number, now: Date, timeZone: string): Date {
  const periodEnd = window === "CALENDAR_YEAR" ? calendarYearStart(now, timeZone, 1) : now;
  return new Date(periodEnd.getTime() + graceDays * DAY_MS);
}

/** A tier's customer tag in Shopify: the merchant's choice, else derived from its name. */
export function tierTag(tier: { name: string; customerTag: string | null }): string {
  if (tier.customerTag) return tier.customerTag;
  const slug = tier.name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return `comeback-tier-${slug || "vip"}`;
}
