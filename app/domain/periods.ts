/**
 * Reporting periods: the last N days, each compared with the N days before it.
 */
export const PERIOD_DAYS = [7, 30, 90, 365] as const;
export type PeriodDays = (typeof PERIOD_DAYS)[number];

import { DAY_MS } from "./time";

export { DAY_MS };

export interface Period {
  from: Date;
  to: Date;
}

export function periodsFor(days: PeriodDays, now: Date): { current: Period; previous: Period } {
  const from = new Date(now.getTime() - days * DAY_MS);
  return { current: { from, to: now }, previous: { from: new Date(from.getTime() - days * DAY_MS), to: from } };
}

/** A period length from a query parameter; anything else reads as 30 days. */
export function parsePeriodDays(value: string | null): PeriodDays {
  const days = Number(value);
  return (PERIOD_DAYS as readonly number[]).includes(days) ? (days as PeriodDays) : 30;
}
