/**
 * Which VIP tier each order earns at, from the member's history alone.
 *
 * The rule, as merchants read it: an order earns at the multiplier of the tier its
 * customer held when the order was placed (Shopify's processed_at). That tier is the
 * highest one whose threshold the member's qualifying history before the order met:
 * - SPEND: paid orders before it, less what was refunded and without orders cancelled
 *   before it; ORDERS: the number of such orders; POINTS: points earned before it (each
 *   earlier order at its own tier, plus other earnings by the time they were recorded);
 * - within the program's window at that moment (lifetime, the shop's calendar year, or
 *   the 12 months before the order);
 * - a tier once reached is kept for the grace period after the history falls below it
 *   (the calendar-year window keeps a year's tier through the next year, plus grace);
 * - the order ladder's VIP step (N paid orders) and a manual override in force at that
 *   moment apply as they do to the member's displayed tier.
 *
 * Nothing here depends on when or in what order Shopify delivered the events: the same
 * history always gives the same tiers. Ties on processed_at are broken by order id.
 */

import { calendarYearStart, DAY_MS, twelveMonthsBefore } from "./time";
import { qualifyingTier, type TierMetric, type TierWindow } from "./tiers";

export type { TierMetric, TierWindow };

export interface TierDefinition {
  id: string;
  position: number;
  /** In the metric's unit: minor units of spend, orders, or points. */
  threshold: bigint;
  /** 10000 = 1x. */
  multiplierBp: number;
}

export interface TierProgram {
  metric: TierMetric;
  window: TierWindow;
  graceDays: number;
  /** The shop's IANA time zone: calendar years start at its midnight. */
  timeZone: string;
  tiers: TierDefinition[];
  /** The order ladder's last step: this many standing paid orders make a member at least this tier. */
  ladder: { orders: number; tierId: string } | null;
  /** A manual tier in force from `from` until `until` (null: no end); tierId null means "no tier". */
  override: { tierId: string | null; from: Date; until: Date | null } | null;
}

export interface HistoryRefund {
  /** When Shopify processed the refund. */
  at: Date;
  /** The refunded amount measured on the order's earning basis. */
  earnableMinor: bigint;
}

export interface HistoryOrder {
  id: bigint;
  processedAt: Date;
  earnableMinor: bigint;
  cancelledAt: Date | null;
  refunds: HistoryRefund[];
  /** The order's gross points at a multiplier (only needed for the POINTS metric). */
  pointsAt(multiplierBp: number): number;
}

/** Points earned outside orders (reviews, sign-up, …), counted by the POINTS metric. */
export interface OtherEarning {
  at: Date;
  points: number;
}

export function compareOrders(a: { processedAt: Date; id: bigint }, b: { processedAt: Date; id: bigint }): number {
  const byTime = a.processedAt.getTime() - b.processedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const tierFor = qualifyingTier;

function higher(a: TierDefinition | null, b: TierDefinition | null): TierDefinition | null {
  if (!a) return b;
  if (!b) return a;
  return b.position > a.position ? b : a;
}

/**
 * The tier each order earns at, keyed by order id (null: no tier). Orders may come in
 * any order; cancelled ones are included (they counted until cancelled).
 */
export function tiersByOrder(
  orders: HistoryOrder[],
  program: TierProgram,
  other: OtherEarning[] = [],
): Map<bigint, TierDefinition | null> {
  const sorted = [...orders].sort(compareOrders);
  const result = new Map<bigint, TierDefinition | null>();
  if (program.tiers.length === 0) {
    for (const order of sorted) result.set(order.id, null);
    return result;
  }
  // POINTS: each order's own gross points, known once its tier is (chronological).
  const grossPoints = new Map<bigint, number>();

  /**
   * The history's value when `cutoff` is reached: orders sorted before `cutoffIndex`
   * (events at the same instant as the order itself come after it), refunds and
   * cancellations strictly before `cutoff`, within a window starting at `since`.
   */
  const valueAt = (cutoff: Date, cutoffIndex: number, since: Date | null): bigint => {
    let value = 0n;
    for (let i = 0; i < cutoffIndex; i++) {
      const order = sorted[i]!;
      if (since && order.processedAt < since) continue;
      if (program.metric === "POINTS") {
        value += BigInt(grossPoints.get(order.id) ?? 0);
        continue;
      }
      if (order.cancelledAt && order.cancelledAt < cutoff) continue;
      if (program.metric === "ORDERS") {
        value += 1n;
        continue;
      }
      let refunded = 0n;
      for (const refund of order.refunds) if (refund.at < cutoff) refunded += refund.earnableMinor;
      const standing = order.earnableMinor - refunded;
      value += standing > 0n ? standing : 0n;
    }
    if (program.metric === "POINTS") {
      for (const earning of other)
        if (earning.at < cutoff && (!since || earning.at >= since)) value += BigInt(earning.points);
    }
    return value;
  };

  /** Index of the first order at or after `at` (the orders before it have happened). */
  const ordersBefore = (at: Date, limit: number): number => {
    let index = 0;
    while (index < limit && sorted[index]!.processedAt < at) index++;
    return index;
  };

  const qualifiedAt = (at: Date, limit: number): TierDefinition | null => {
    if (program.window === "CALENDAR_YEAR") {
      return tierFor(program.tiers, valueAt(at, ordersBefore(at, limit), calendarYearStart(at, program.timeZone)));
    }
    const since = program.window === "ROLLING_12_MONTHS" ? twelveMonthsBefore(at) : null;
    return tierFor(program.tiers, valueAt(at, ordersBefore(at, limit), since));
  };

  sorted.forEach((order, index) => {
    const at = order.processedAt;
    let tier: TierDefinition | null;
    if (program.window === "CALENDAR_YEAR") {
      // This year so far, and the years whose tier still holds: a year's tier lasts
      // through the next year, plus grace.
      const yearStart = calendarYearStart(at, program.timeZone);
      tier = tierFor(program.tiers, valueAt(at, index, yearStart));
      const lastYearStart = calendarYearStart(at, program.timeZone, -1);
      tier = higher(tier, tierFor(program.tiers, valueAt(yearStart, ordersBefore(yearStart, index), lastYearStart)));
      if (at.getTime() < yearStart.getTime() + program.graceDays * DAY_MS) {
        tier = higher(
          tier,
          tierFor(
            program.tiers,
            valueAt(lastYearStart, ordersBefore(lastYearStart, index), calendarYearStart(at, program.timeZone, -2)),
          ),
        );
      }
    } else {
      const since = program.window === "ROLLING_12_MONTHS" ? twelveMonthsBefore(at) : null;
      tier = tierFor(program.tiers, valueAt(at, index, since));
      // Kept for the grace period after falling below: the history's best moment within it.
      if (program.graceDays > 0) {
        const graceStart = new Date(at.getTime() - program.graceDays * DAY_MS);
        const moments = [graceStart];
        for (let i = 0; i < index; i++) {
          const earlier = sorted[i]!;
          if (earlier.processedAt >= graceStart) moments.push(new Date(earlier.processedAt.getTime() + 1));
          for (const refund of earlier.refunds)
            if (refund.at >= graceStart && refund.at < at) moments.push(new Date(refund.at.getTime() + 1));
          if (earlier.cancelledAt && earlier.cancelledAt >= graceStart && earlier.cancelledAt < at)
            moments.push(new Date(earlier.cancelledAt.getTime() + 1));
        }
        for (const moment of moments) if (moment < at) tier = higher(tier, qualifiedAt(moment, index));
      }
    }

    if (program.ladder) {
      let standing = 0;
      for (let i = 0; i < index; i++) {
        const earlier = sorted[i]!;
        if (!earlier.cancelledAt || earlier.cancelledAt >= at) standing++;
      }
      if (standing >= program.ladder.orders)
        tier = higher(tier, program.tiers.find((t) => t.id === program.ladder!.tierId) ?? null);
    }
    const override = program.override;
    if (override && at >= override.from && (!override.until || at < override.until)) {
      tier = override.tierId ? (program.tiers.find((t) => t.id === override.tierId) ?? null) : null;
    }

    result.set(order.id, tier);
    if (program.metric === "POINTS") grossPoints.set(order.id, order.pointsAt(tier?.multiplierBp ?? 10_000));
  });
  return result;
}
