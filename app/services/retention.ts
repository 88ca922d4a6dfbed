import { fromStoredJson, toStoredJson } from "../domain/json";
import { localDay } from "../domain/time";
import type { Db } from "../platform/database/db";

/**
 * Deeper retention analytics, from the shop's paid, uncancelled orders (imported history
 * included): monthly cohorts, the time to the second order (seed 003: the turning point),
 * 12-month value of members against other customers, and whether a first order made with
 * a loyalty or ladder code brings the customer back more often.
 *
 * A customer is their Shopify customer id, or the order email for guest checkouts; months
 * are calendar months in the shop's time zone. Each figure is one set-based query.
 */

/** Days between the first and the second order, grouped as merchants think of them. */
export const SECOND_ORDER_BUCKETS = [7, 14, 30, 60, 90, 180, 365] as const;

export interface Cohort {
  /** yyyy-mm of the first order. */
  month: string;
  customers: number;
  /** Share of the cohort who ordered again k months after their first (index k, from 1). */
  returned: Array<number | null>;
}

const customerKey = `COALESCE(o."customerId"::text, lower(o.email))`;

export async function cohortRetention(
  db: Db,
  shop: { id: string; timezone: string },
  months = 12,
  now = new Date(),
): Promise<Cohort[]> {
  const rows = await db.$queryRawUnsafe<Array<{ cohort: string; k: number; customers: bigint }>>(
    `WITH orders AS (
       SELECT ${customerKey} AS c, date_trunc('month', (o."processedAt" AT TIME ZONE 'UTC') AT TIME ZONE $2) AS month
       FROM "Order" o
       WHERE o."shopId" = $1::uuid AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
         AND (o."customerId" IS NOT NULL OR o.email IS NOT NULL)
     ),
     firsts AS (SELECT c, min(month) AS cohort FROM orders GROUP BY c),
     activity AS (
       SELECT DISTINCT o.c, f.cohort,
              ((EXTRACT(YEAR FROM o.month) - EXTRACT(YEAR FROM f.cohort)) * 12
                + EXTRACT(MONTH FROM o.month) - EXTRACT(MONTH FROM f.cohort))::int AS k
       FROM orders o JOIN firsts f USING (c)
       WHERE f.cohort >= date_trunc('month', ($3::timestamp AT TIME ZONE 'UTC') AT TIME ZONE $2) - make_interval(months => $4)
     )
     SELECT to_char(cohort, 'YYYY-MM') AS cohort, k, count(*) AS customers FROM activity GROUP BY 1, 2 ORDER BY 1, 2`,
    shop.id,
    shop.timezone,
    now,
    months - 1,
  );
  const byMonth = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const cohort = byMonth.get(row.cohort) ?? new Map<number, number>();
    cohort.set(row.k, Number(row.customers));
    byMonth.set(row.cohort, cohort);
  }
  const current = monthOf(now, shop.timezone);
  return [...byMonth.entries()].map(([month, counts]) => {
    const size = counts.get(0) ?? 0;
    // Months that have not happened yet for this cohort are null, not 0%.
    const elapsed = monthsBetween(month, current);
    return {
      month,
      customers: size,
      returned: Array.from({ length: months - 1 }, (_, i) =>
        i + 1 > elapsed ? null : size ? (counts.get(i + 1) ?? 0) / size : null,
      ),
    };
  });
}

const monthOf = (at: Date, timeZone: string): string => localDay(at, timeZone).slice(0, 7);

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = to.split("-").map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

export interface SecondOrder {
  /** Customers with a first order (in the window). */
  customers: number;
  /** Of them, those who ordered a second time. */
  returned: number;
  medianDays: number | null;
  /** Customers whose second order came within each bucket's days (after the previous bucket's). */
  buckets: Array<{ upTo: number | null; customers: number }>;
}

/** How long customers take to come back, for first orders in the last `days` days. */
export async function timeToSecondOrder(db: Db, shopId: string, days = 730, now = new Date()): Promise<SecondOrder> {
  const rows = await db.$queryRawUnsafe<Array<{ gap: number | null }>>(
    `WITH ranked AS (
       SELECT ${customerKey} AS c, o."processedAt" AS at,
              row_number() OVER (PARTITION BY ${customerKey} ORDER BY o."processedAt", o.id) AS n
       FROM "Order" o
       WHERE o."shopId" = $1::uuid AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
         AND (o."customerId" IS NOT NULL OR o.email IS NOT NULL)
     )
     SELECT EXTRACT(EPOCH FROM (s.at - f.at)) / 86400 AS gap
     FROM ranked f LEFT JOIN ranked s ON s.c = f.c AND s.n = 2
     WHERE f.n = 1 AND f.at >= $2::timestamp - make_interval(days => $3)`,
    shopId,
    now,
    days,
  );
  const gaps = rows
    .map((r) => (r.gap === null ? null : Number(r.gap)))
    .filter((gap): gap is number => gap !== null)
    .sort((a, b) => a - b);
  let previous = -1;
  const buckets = [...SECOND_ORDER_BUCKETS, null].map((upTo) => {
    const customers = gaps.filter((gap) => gap > previous && (upTo === null || gap <= upTo)).length;
    previous = upTo ?? Number.POSITIVE_INFINITY;
    return { upTo, customers };
  });
  return {
    customers: rows.length,
    returned: gaps.length,
    medianDays: gaps.length ? Math.round(gaps[Math.floor((gaps.length - 1) / 2)]! * 10) / 10 : null,
    buckets,
  };
}

export interface ValueSplit {
  members: { customers: number; revenueMinor: bigint; repeatRate: number | null };
  others: { customers: number; revenueMinor: bigint; repeatRate: number | null };
}

/**
 * Revenue per customer in the 12 months after their first order, members (a member at
 * any of their orders) against other customers, for customers who first ordered in the
 * last 24 months: those of the last year are still accumulating on both sides alike.
 */
export async function twelveMonthValue(db: Db, shopId: string, now = new Date()): Promise<ValueSplit> {
  const rows = await db.$queryRawUnsafe<
    Array<{ member: boolean; customers: bigint; revenue: bigint | null; repeaters: bigint }>
  >(
    `WITH orders AS (
       SELECT ${customerKey} AS c, o."processedAt" AS at, o."totalMinor" AS total, o."memberId" IS NOT NULL AS member
       FROM "Order" o
       WHERE o."shopId" = $1::uuid AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
         AND (o."customerId" IS NOT NULL OR o.email IS NOT NULL)
     ),
     customers AS (
       SELECT c, min(at) AS first, bool_or(member) AS member FROM orders GROUP BY c
       HAVING min(at) >= $2::timestamp - interval '24 months'
     )
     SELECT cu.member, count(DISTINCT cu.c) AS customers, sum(o.total)::bigint AS revenue,
            count(DISTINCT cu.c) FILTER (WHERE o.at > cu.first) AS repeaters
     FROM customers cu JOIN orders o ON o.c = cu.c AND o.at < cu.first + interval '12 months'
     GROUP BY cu.member`,
    shopId,
    now,
  );
  const side = (member: boolean) => {
    const row = rows.find((r) => r.member === member);
    const customers = Number(row?.customers ?? 0);
    return {
      customers,
      revenueMinor: customers ? (row?.revenue ?? 0n) / BigInt(customers) : 0n,
      repeatRate: customers ? Number(row?.repeaters ?? 0) / customers : null,
    };
  };
  return { members: side(true), others: side(false) };
}

/** Of customers who first ordered in the last 24 months: how many came back, by whether that first order used a loyalty or ladder code. */
export async function repeatByFirstOrder(db: Db, shopId: string, now = new Date()) {
  const rows = await db.$queryRawUnsafe<Array<{ loyalty: boolean; customers: bigint; repeaters: bigint }>>(
    `WITH ranked AS (
       SELECT ${customerKey} AS c, o."usedLoyaltyReward" AS loyalty, o."processedAt" AS at,
              row_number() OVER (PARTITION BY ${customerKey} ORDER BY o."processedAt", o.id) AS n,
              count(*) OVER (PARTITION BY ${customerKey}) AS orders
       FROM "Order" o
       WHERE o."shopId" = $1::uuid AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
         AND (o."customerId" IS NOT NULL OR o.email IS NOT NULL)
     )
     SELECT loyalty, count(*) AS customers, count(*) FILTER (WHERE orders > 1) AS repeaters
     FROM ranked WHERE n = 1 AND at >= $2::timestamp - interval '24 months' GROUP BY loyalty`,
    shopId,
    now,
  );
  const side = (loyalty: boolean) => {
    const row = rows.find((r) => r.loyalty === loyalty);
    const customers = Number(row?.customers ?? 0);
    return { customers, repeatRate: customers ? Number(row?.repeaters ?? 0) / customers : null };
  };
  return { withCode: side(true), without: side(false) };
}

export interface RetentionReport {
  cohorts: Cohort[];
  second: SecondOrder;
  value: ValueSplit;
  firstOrder: Awaited<ReturnType<typeof repeatByFirstOrder>>;
}

/** Every figure of the Retention page, computed now and stored for the page to read. */
export async function rollUpRetention(
  db: Db,
  shop: { id: string; timezone: string },
  now = new Date(),
): Promise<RetentionReport> {
  const [cohorts, second, value, firstOrder] = await Promise.all([
    cohortRetention(db, shop, 12, now),
    timeToSecondOrder(db, shop.id, 730, now),
    twelveMonthValue(db, shop.id, now),
    repeatByFirstOrder(db, shop.id, now),
  ]);
  const report = { cohorts, second, value, firstOrder };
  const data = toStoredJson(report);
  await db.retentionReport.upsert({
    where: { shopId: shop.id },
    create: { shopId: shop.id, data, computedAt: now },
    update: { data, computedAt: now },
  });
  return report;
}

/** Older reports are still shown, and rolled up again in the background. */
export const RETENTION_MAX_AGE_MS = 60 * 60_000;

/**
 * The Retention page's figures: the stored report (a roll-up in the background when it is
 * over an hour old), or computed here the first time.
 */
export async function loadRetention(
  db: Db,
  shop: { id: string; timezone: string },
  requestRefresh: (shopId: string) => Promise<void>,
  now = new Date(),
): Promise<{ report: RetentionReport; computedAt: Date; stale: boolean }> {
  const stored = await db.retentionReport.findUnique({ where: { shopId: shop.id } });
  if (!stored) return { report: await rollUpRetention(db, shop, now), computedAt: now, stale: false };
  const stale = now.getTime() - stored.computedAt.getTime() > RETENTION_MAX_AGE_MS;
  if (stale) await requestRefresh(shop.id);
  return { report: fromStoredJson<RetentionReport>(stored.data), computedAt: stored.computedAt, stale };
}
