/**
 * Reporting periods: the last N days, each compared with the N days before it.
 */
export const PERIOD_DAYS = [7, 30, 90, 365] as const;
export type PeriodDays = (typeof PERIOD_DAYS)[number];

import { addDays, DAY_MS, localDay, zonedMidnight } from "./time";

export { DAY_MS };

export interface Period {
  from: Date;
  to: Date;
}

/**
 * The last N days in the shop's time zone, today included up to now, and the N whole days
 * before them. Periods start at local midnight, so every day before today is closed: its
 * figures can be rolled up once and read back, and only today is computed live.
 */
export interface Periods {
  current: Period;
  previous: Period;
  /** yyyy-mm-dd, local: today, the first day of each period, and the one before the previous. */
  today: string;
  currentFrom: string;
  previousFrom: string;
  earlierFrom: string;
}

export function periodsFor(days: PeriodDays, now: Date, timeZone: string): Periods {
  const today = localDay(now, timeZone);
  const currentFrom = addDays(today, -(days - 1));
  const previousFrom = addDays(currentFrom, -days);
  const earlierFrom = addDays(previousFrom, -days);
  const from = zonedMidnight(currentFrom, timeZone);
  return {
    current: { from, to: now },
    previous: { from: zonedMidnight(previousFrom, timeZone), to: from },
    today,
    currentFrom,
    previousFrom,
    earlierFrom,
  };
}

/** A period length from a query parameter; anything else reads as 30 days. */
export function parsePeriodDays(value: string | null): PeriodDays {
  const days = Number(value);
  return (PERIOD_DAYS as readonly number[]).includes(days) ? (days as PeriodDays) : 30;
}

/**
 * How a chart of the period's days groups them so each bar stays readable: by day up to a
 * month, by week up to a quarter, by calendar month beyond (365 daily bars are a blur).
 */
export type ChartBucket = "day" | "week" | "month";
export function chartBucket(days: number): ChartBucket {
  return days <= 31 ? "day" : days <= 92 ? "week" : "month";
}

/**
 * Sums days (yyyy-mm-dd, consecutive) into weeks keyed by their first day, or into
 * calendar months keyed yyyy-mm. Counts add up: the chart's total stays the period's.
 */
export function bucketTotals<T extends { day: string }>(
  days: T[],
  bucket: ChartBucket,
  fields: ReadonlyArray<keyof T>,
): T[] {
  if (bucket === "day") return days;
  const buckets: T[] = [];
  days.forEach((day, index) => {
    const key = bucket === "month" ? day.day.slice(0, 7) : null;
    const last = buckets.at(-1);
    const starts = bucket === "week" ? index % 7 === 0 : last?.day !== key;
    if (starts || !last) {
      buckets.push({ ...day, day: key ?? day.day });
      return;
    }
    for (const field of fields) (last[field] as number) = (last[field] as number) + (day[field] as number);
  });
  return buckets;
}

/** How far back the order history import can reach, in months; 24 unless the merchant picks. */
export const HISTORY_MONTHS = [6, 12, 24, 36] as const;
export const DEFAULT_HISTORY_MONTHS = 24;
