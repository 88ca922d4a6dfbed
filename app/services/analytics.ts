import { periodsFor, type Period, type PeriodDays, PERIOD_DAYS } from "../domain/periods";
import { fromStoredJson, toStoredJson } from "../domain/json";
import { addDays, zonedMidnight } from "../domain/time";
import { rollUpRetention } from "./retention";
import { requestJob, requestThrottled } from "../platform/job-queue.server";
import { THANK_YOU_EVENTS } from "./funnel";
import type { Db } from "../platform/database/db";

/**
 * Retention analytics for the merchant's dashboard: is the program bringing customers back?
 *
 * Every figure is computed in PostgreSQL with set-based queries, never per member in
 * JavaScript. Periods start at local midnight (domain/periods.ts), so a job rolls up the
 * closed days once (AnalyticsDay, AnalyticsPeriod) and a view adds only today, live: the
 * first view of a year costs a few index lookups, not a pass over a year of orders. A
 * figure is always shown for the chosen period next to the same figure for the period
 * just before it.
 *
 * Orders count when paid and not cancelled, at their Shopify `processed_at`. A customer is
 * their Shopify customer id, or the order email for guest checkouts.
 */

export { PERIOD_DAYS, parsePeriodDays, periodsFor, type Period, type PeriodDays } from "../domain/periods";

export interface CustomerFigures {
  customers: number;
  orders: number;
  /** Customers with two or more orders in the period. */
  repeatCustomers: number;
  revenueMinor: bigint;
}

export interface PeriodFigures {
  members: number;
  newMembers: number;
  /** Share of the period's ordering customers who were members when they ordered, 0..1. */
  enrollmentRate: number | null;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  /** Points redeemed / points issued, 0..n (can exceed 1 when old points are spent). */
  redemptionRate: number | null;
  memberCustomers: CustomerFigures;
  otherCustomers: CustomerFigures;
  /** Customer retention rate (E − N) / S, 0..n; null without customers in the previous period. */
  retentionRate: number | null;
  /** E, N and S of the retention rate, so the merchant can check it. */
  retention: { end: number; new: number; start: number };
  loyaltyOrderRevenueMinor: bigint;
  loyaltyOrders: number;
  /** The Thank-you block's funnel: buyers who saw it, and those who then joined. */
  postPurchase: { viewed: number; joined: number };
}

export interface DailyPoint {
  /** yyyy-mm-dd in the shop's time zone. */
  day: string;
  issued: number;
  redeemed: number;
  expired: number;
  newMembers: number;
}

export interface Dashboard {
  days: PeriodDays;
  currency: string;
  current: PeriodFigures;
  previous: PeriodFigures;
  /** Spendable points held by members now. */
  outstandingPoints: number;
  /** What those points are worth at the best rate a member can redeem them; null without a money reward. */
  liabilityMinor: bigint | null;
  daily: DailyPoint[];
  /** When the closed days were last rolled up; today is always live. */
  closedDaysAsOf: Date;
}

const num = (value: bigint | number | null | undefined): number => Number(value ?? 0);
const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The order side of a period, per customer kind. Counts are signed when they are a correction. */
interface OrderTotals {
  memberCustomers: number;
  otherCustomers: number;
  memberRepeat: number;
  otherRepeat: number;
  memberOrders: number;
  otherOrders: number;
  memberRevenue: bigint;
  otherRevenue: bigint;
  loyaltyOrders: number;
  loyaltyRevenue: bigint;
  newCustomers: number;
}

interface OrderRow {
  member_customers: bigint | null;
  other_customers: bigint | null;
  member_repeat: bigint | null;
  other_repeat: bigint | null;
  member_orders: bigint | null;
  other_orders: bigint | null;
  member_revenue: bigint | null;
  other_revenue: bigint | null;
  loyalty_orders: bigint | null;
  loyalty_revenue: bigint | null;
  new_customers: bigint | null;
}

const totals = (row: OrderRow): OrderTotals => ({
  memberCustomers: num(row.member_customers),
  otherCustomers: num(row.other_customers),
  memberRepeat: num(row.member_repeat),
  otherRepeat: num(row.other_repeat),
  memberOrders: num(row.member_orders),
  otherOrders: num(row.other_orders),
  memberRevenue: BigInt(row.member_revenue ?? 0),
  otherRevenue: BigInt(row.other_revenue ?? 0),
  loyaltyOrders: num(row.loyalty_orders),
  loyaltyRevenue: BigInt(row.loyalty_revenue ?? 0),
  newCustomers: num(row.new_customers),
});

function plus(a: OrderTotals, b: OrderTotals): OrderTotals {
  const sum = { ...a };
  for (const key of Object.keys(a) as Array<keyof OrderTotals>) {
    (sum[key] as number | bigint) =
      typeof a[key] === "bigint" ? (a[key] as bigint) + (b[key] as bigint) : (a[key] as number) + (b[key] as number);
  }
  return sum;
}

/** A period's orders aggregated per customer; a customer is new without a paid order before `period.from`. */
async function orderFigures(db: Db, shopId: string, period: Period): Promise<OrderTotals> {
  // The NOT EXISTS probes use the (shopId, customerId) and (shopId, email) indexes, once
  // per customer of the period, to tell new customers from returning ones.
  const [row] = await db.$queryRaw<OrderRow[]>`
    WITH period_orders AS (
      SELECT o."customerId" AS cid, CASE WHEN o."customerId" IS NULL THEN o.email END AS email,
             o."memberId" IS NOT NULL AS member, o."totalMinor" AS total, o."usedLoyaltyReward" AS loyalty
      FROM "Order" o
      WHERE o."shopId" = ${shopId}::uuid AND o."processedAt" >= ${period.from} AND o."processedAt" < ${period.to}
        AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
        AND (o."customerId" IS NOT NULL OR o.email IS NOT NULL)
    ),
    customers AS (
      SELECT cid, email, bool_or(member) AS member, count(*) AS orders, sum(total) AS revenue
      FROM period_orders GROUP BY cid, email
    )
    SELECT
      count(*) FILTER (WHERE member) AS member_customers,
      count(*) FILTER (WHERE NOT member) AS other_customers,
      count(*) FILTER (WHERE member AND orders >= 2) AS member_repeat,
      count(*) FILTER (WHERE NOT member AND orders >= 2) AS other_repeat,
      sum(orders) FILTER (WHERE member) AS member_orders,
      sum(orders) FILTER (WHERE NOT member) AS other_orders,
      (sum(revenue) FILTER (WHERE member))::bigint AS member_revenue,
      (sum(revenue) FILTER (WHERE NOT member))::bigint AS other_revenue,
      (SELECT count(*) FROM period_orders WHERE loyalty) AS loyalty_orders,
      (SELECT sum(total)::bigint FROM period_orders WHERE loyalty) AS loyalty_revenue,
      count(*) FILTER (WHERE CASE WHEN c.cid IS NOT NULL
        THEN NOT EXISTS (SELECT 1 FROM "Order" e WHERE e."shopId" = ${shopId}::uuid AND e."customerId" = c.cid
                           AND e."processedAt" < ${period.from} AND e."paidAt" IS NOT NULL AND e."cancelledAt" IS NULL)
        ELSE NOT EXISTS (SELECT 1 FROM "Order" e WHERE e."shopId" = ${shopId}::uuid AND e.email = c.email AND e."customerId" IS NULL
                           AND e."processedAt" < ${period.from} AND e."paidAt" IS NOT NULL AND e."cancelledAt" IS NULL)
      END) AS new_customers
    FROM customers c`;
  return totals(row!);
}

/**
 * What today's orders change in a period whose closed days [from, today) are rolled up:
 * for each customer who ordered today, their closed-days contribution is taken out and
 * their whole-period contribution put in (a customer who ordered last week and today is
 * one repeat customer, not two customers). Only today's customers are read, through the
 * customer and email indexes.
 */
async function todayCorrection(db: Db, shopId: string, from: Date, today: Date, now: Date): Promise<OrderTotals> {
  const [row] = await db.$queryRaw<OrderRow[]>`
    WITH today AS (
      SELECT DISTINCT o."customerId" AS cid, CASE WHEN o."customerId" IS NULL THEN o.email END AS email
      FROM "Order" o
      WHERE o."shopId" = ${shopId}::uuid AND o."processedAt" >= ${today} AND o."processedAt" < ${now}
        AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND (o."customerId" IS NOT NULL OR o.email IS NOT NULL)
    ),
    orders AS (
      SELECT o."customerId" AS cid, NULL::text AS email, o."processedAt" >= ${today} AS live,
             o."memberId" IS NOT NULL AS member, o."totalMinor" AS total, o."usedLoyaltyReward" AS loyalty
      FROM "Order" o
      WHERE o."shopId" = ${shopId}::uuid AND o."customerId" IN (SELECT cid FROM today WHERE cid IS NOT NULL)
        AND o."processedAt" >= ${from} AND o."processedAt" < ${now} AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
      UNION ALL
      SELECT NULL, o.email, o."processedAt" >= ${today}, o."memberId" IS NOT NULL, o."totalMinor", o."usedLoyaltyReward"
      FROM "Order" o
      WHERE o."shopId" = ${shopId}::uuid AND o."customerId" IS NULL AND o.email IN (SELECT email FROM today WHERE cid IS NULL)
        AND o."processedAt" >= ${from} AND o."processedAt" < ${now} AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
    ),
    customers AS (
      SELECT cid, email,
             count(*) AS orders, sum(total) AS revenue, bool_or(member) AS member,
             count(*) FILTER (WHERE NOT live) AS c_orders, COALESCE(sum(total) FILTER (WHERE NOT live), 0) AS c_revenue,
             COALESCE(bool_or(member) FILTER (WHERE NOT live), false) AS c_member
      FROM orders GROUP BY cid, email
    ),
    judged AS (
      SELECT c.*, CASE WHEN c.cid IS NOT NULL
        THEN NOT EXISTS (SELECT 1 FROM "Order" e WHERE e."shopId" = ${shopId}::uuid AND e."customerId" = c.cid
                           AND e."processedAt" < ${from} AND e."paidAt" IS NOT NULL AND e."cancelledAt" IS NULL)
        ELSE NOT EXISTS (SELECT 1 FROM "Order" e WHERE e."shopId" = ${shopId}::uuid AND e.email = c.email AND e."customerId" IS NULL
                           AND e."processedAt" < ${from} AND e."paidAt" IS NOT NULL AND e."cancelledAt" IS NULL)
      END AS is_new
      FROM customers c
    )
    SELECT
      count(*) FILTER (WHERE member) - count(*) FILTER (WHERE c_orders > 0 AND c_member) AS member_customers,
      count(*) FILTER (WHERE NOT member) - count(*) FILTER (WHERE c_orders > 0 AND NOT c_member) AS other_customers,
      count(*) FILTER (WHERE member AND orders >= 2) - count(*) FILTER (WHERE c_member AND c_orders >= 2) AS member_repeat,
      count(*) FILTER (WHERE NOT member AND orders >= 2) - count(*) FILTER (WHERE NOT c_member AND c_orders >= 2) AS other_repeat,
      COALESCE(sum(orders) FILTER (WHERE member), 0) - COALESCE(sum(c_orders) FILTER (WHERE c_member), 0) AS member_orders,
      COALESCE(sum(orders) FILTER (WHERE NOT member), 0) - COALESCE(sum(c_orders) FILTER (WHERE NOT c_member), 0) AS other_orders,
      (COALESCE(sum(revenue) FILTER (WHERE member), 0) - COALESCE(sum(c_revenue) FILTER (WHERE c_member), 0))::bigint AS member_revenue,
      (COALESCE(sum(revenue) FILTER (WHERE NOT member), 0) - COALESCE(sum(c_revenue) FILTER (WHERE NOT c_member), 0))::bigint AS other_revenue,
      (SELECT count(*) FROM orders WHERE live AND loyalty) AS loyalty_orders,
      (SELECT sum(total)::bigint FROM orders WHERE live AND loyalty) AS loyalty_revenue,
      count(*) FILTER (WHERE is_new AND c_orders = 0) AS new_customers
    FROM judged`;
  return totals(row!);
}

/** Distinct customers with a paid order in a period: S of a retention rate. */
async function customerCount(db: Db, shopId: string, period: Period): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ customers: bigint }>>`
    SELECT count(DISTINCT COALESCE("customerId"::text, email)) AS customers FROM "Order"
    WHERE "shopId" = ${shopId}::uuid AND "processedAt" >= ${period.from} AND "processedAt" < ${period.to}
      AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL AND ("customerId" IS NOT NULL OR email IS NOT NULL)`;
  return num(row?.customers);
}

interface DailyRow {
  day: string;
  issued: bigint | null;
  redeemed: bigint | null;
  expired: bigint | null;
  new_members: bigint | number | null;
}

/**
 * Points and new members per local day from `from` (a local midnight) to `to`. Points
 * issued are earnings and positive adjustments; reversals of refunded orders are not
 * "redeemed"; a cancelled redemption gives its points back, so it nets out.
 */
function dailyFigures(db: Db, shopId: string, timeZone: string, from: Date, to: Date): Promise<DailyRow[]> {
  return db.$queryRaw<DailyRow[]>`
    WITH ledger AS (
      SELECT (("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS day,
             sum(points) FILTER (WHERE points > 0 AND kind IN ('EARN', 'ADJUST', 'IMPORT')) AS issued,
             -sum(points) FILTER (WHERE kind IN ('REDEEM', 'REDEMPTION_REFUND')) AS redeemed,
             -sum(points) FILTER (WHERE kind = 'EXPIRE') AS expired
      FROM "LedgerEntry"
      WHERE "shopId" = ${shopId}::uuid AND "createdAt" >= ${from} AND "createdAt" < ${to}
      GROUP BY 1
    ),
    enrolled AS (
      SELECT (("enrolledAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS day, count(*) AS new_members
      FROM "Member"
      WHERE "shopId" = ${shopId}::uuid AND "enrolledAt" >= ${from} AND "enrolledAt" < ${to} AND status <> 'REDACTED'
      GROUP BY 1
    )
    SELECT to_char(COALESCE(l.day, e.day), 'YYYY-MM-DD') AS day, l.issued, l.redeemed, l.expired, e.new_members
    FROM ledger l FULL JOIN enrolled e ON e.day = l.day
    ORDER BY 1`;
}

// ---------------------------------------------------------------------------
// Roll-ups of closed days
// ---------------------------------------------------------------------------

/** What AnalyticsPeriod.data holds: the order side of the closed days, by period. */
interface ClosedFigures {
  /** The current period's closed days, from its first day to yesterday. */
  current: OrderTotals;
  previous: OrderTotals;
  /** Customers in the period before the previous one: S of the previous retention rate. */
  earlierCustomers: number;
}

const asDate = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

type AnalyticsShop = { id: string; currency: string; timezone: string };

/** Rolls up the closed days `fromDay`..`throughDay` (yyyy-mm-dd, local) into AnalyticsDay, zeros included. */
async function rollUpDays(db: Db, shop: AnalyticsShop, fromDay: string, throughDay: string): Promise<void> {
  const from = zonedMidnight(fromDay, shop.timezone);
  const to = zonedMidnight(addDays(throughDay, 1), shop.timezone);
  const rows = await dailyFigures(db, shop.id, shop.timezone, from, to);
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const days: string[] = [];
  for (let day = fromDay; day <= throughDay; day = addDays(day, 1)) days.push(day);
  const pick = (day: string, field: "issued" | "redeemed" | "expired") => num(byDay.get(day)?.[field]);
  await db.$executeRaw`
    INSERT INTO "AnalyticsDay" ("shopId", day, "pointsIssued", "pointsRedeemed", "pointsExpired", "newMembers")
    SELECT ${shop.id}::uuid, d.day, d.issued, d.redeemed, d.expired, d.new_members
    FROM unnest(${days}::date[], ${days.map((day) => pick(day, "issued"))}::bigint[],
                ${days.map((day) => pick(day, "redeemed"))}::bigint[], ${days.map((day) => pick(day, "expired"))}::bigint[],
                ${days.map((day) => num(byDay.get(day)?.new_members))}::int[])
      AS d(day, issued, redeemed, expired, new_members)
    ON CONFLICT ("shopId", day) DO UPDATE SET "pointsIssued" = EXCLUDED."pointsIssued",
      "pointsRedeemed" = EXCLUDED."pointsRedeemed", "pointsExpired" = EXCLUDED."pointsExpired",
      "newMembers" = EXCLUDED."newMembers"`;
}

/** Rolls up one period length's closed days and stores them for the views of today. */
async function rollUpPeriod(
  db: Db,
  shop: AnalyticsShop,
  days: PeriodDays,
  now: Date,
  withDays = true,
): Promise<ClosedFigures> {
  const p = periodsFor(days, now, shop.timezone);
  const yesterday = addDays(p.today, -1);
  const todayStart = zonedMidnight(p.today, shop.timezone);
  const [current, previous, earlierCustomers] = await Promise.all([
    orderFigures(db, shop.id, { from: p.current.from, to: todayStart }),
    orderFigures(db, shop.id, p.previous),
    customerCount(db, shop.id, { from: zonedMidnight(p.earlierFrom, shop.timezone), to: p.previous.from }),
    withDays ? rollUpDays(db, shop, p.previousFrom, yesterday) : null,
  ]);
  const closed: ClosedFigures = { current, previous, earlierCustomers };
  const data = toStoredJson(closed);
  const row = {
    timezone: shop.timezone,
    fromDay: asDate(p.currentFrom),
    throughDay: asDate(yesterday),
    data,
    computedAt: now,
  };
  await db.analyticsPeriod.upsert({
    where: { shopId_days: { shopId: shop.id, days } },
    create: { shopId: shop.id, days, ...row },
    update: row,
  });
  return closed;
}

/**
 * The roll-up job: every closed day the longest period and the one before it can show,
 * and each period length's closed figures. A shop with a year of 300k orders takes a few
 * seconds; the job runs after the shop's midnight, after imports, and when a view finds
 * the roll-ups more than an hour old (a late webhook can still change a closed day).
 */
export async function rollUpAnalytics(db: Db, shop: AnalyticsShop, now = new Date()): Promise<void> {
  const longest = periodsFor(PERIOD_DAYS.at(-1)!, now, shop.timezone);
  await rollUpDays(db, shop, longest.previousFrom, addDays(longest.today, -1));
  for (const days of PERIOD_DAYS) await rollUpPeriod(db, shop, days, now, false);
  await rollUpRetention(db, shop, now);
}

/** The job's entry: one shop by id. Returns the period lengths rolled up. */
export async function rollUpShopAnalytics(db: Db, shopId: string): Promise<number> {
  const shop = await db.shop.findUnique({
    where: { id: shopId },
    select: { id: true, currency: true, ianaTimezone: true },
  });
  if (!shop) return 0;
  await rollUpAnalytics(db, { id: shop.id, currency: shop.currency, timezone: shop.ianaTimezone });
  return PERIOD_DAYS.length;
}

/** Closed days older than this are rolled up again in the background when a view finds them. */
export const ROLLUP_MAX_AGE_MS = 60 * 60_000;

/** Rolls up one shop's closed days for the dashboard (every period length). */
export const ANALYTICS_QUEUE = "analytics-roll-up";

/** Asks for a roll-up; requests within ten minutes for the same shop share one job. */
export function requestRollUp(shopId: string): Promise<void> {
  return requestThrottled(ANALYTICS_QUEUE, { shopId }, 600, shopId);
}

/**
 * Something rewrote closed days (an order history or member import): the stored roll-ups
 * are marked as due, so views say they are being updated, and the job runs at once.
 */
export async function analyticsChanged(db: Db, shopId: string): Promise<void> {
  await db.analyticsPeriod.updateMany({ where: { shopId }, data: { computedAt: new Date(0) } });
  await db.retentionReport.updateMany({ where: { shopId }, data: { computedAt: new Date(0) } });
  await requestJob(ANALYTICS_QUEUE, { shopId });
}

/** Shops whose roll-ups stop before yesterday in their own time zone: their day has turned. */
export async function shopsDueForRollUp(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ shopId: string }>>`
    SELECT DISTINCT p."shopId"::text AS "shopId" FROM "AnalyticsPeriod" p JOIN "Shop" s ON s.id = p."shopId"
    WHERE p."throughDay" < (now() AT TIME ZONE s."ianaTimezone")::date - 1 OR p.timezone <> s."ianaTimezone"`;
  return rows.map((row) => row.shopId);
}

// ---------------------------------------------------------------------------
// The dashboard: closed days from the roll-ups, today live
// ---------------------------------------------------------------------------

/**
 * The dashboard for the last `days` days. Reads the roll-ups and adds today; when the
 * period's roll-up is missing or for another day (first view after install, or before
 * the job has run after midnight) it is computed here once, and the job is asked for the
 * rest.
 */
export async function loadDashboard(
  db: Db,
  shop: AnalyticsShop,
  days: PeriodDays,
  now = new Date(),
  requestRefresh: (shopId: string) => Promise<void> = async () => {},
): Promise<Dashboard & { stale: boolean }> {
  const p = periodsFor(days, now, shop.timezone);
  const todayStart = zonedMidnight(p.today, shop.timezone);
  const stored = await db.analyticsPeriod.findUnique({ where: { shopId_days: { shopId: shop.id, days } } });
  const valid =
    stored &&
    stored.timezone === shop.timezone &&
    dayOf(stored.fromDay) === p.currentFrom &&
    dayOf(stored.throughDay) === addDays(p.today, -1);
  let closed: ClosedFigures;
  let closedDaysAsOf = now;
  let stale = false;
  if (valid) {
    closed = fromStoredJson<ClosedFigures>(stored.data);
    closedDaysAsOf = stored.computedAt;
    stale = now.getTime() - stored.computedAt.getTime() > ROLLUP_MAX_AGE_MS;
    if (stale) await requestRefresh(shop.id);
  } else {
    closed = await rollUpPeriod(db, shop, days, now);
    if (stored) await requestRefresh(shop.id);
  }

  const [correction, dayRows, todayRows, [members], [value], funnel] = await Promise.all([
    todayCorrection(db, shop.id, p.current.from, todayStart, now),
    db.analyticsDay.findMany({
      where: { shopId: shop.id, day: { gte: asDate(p.previousFrom), lt: asDate(p.today) } },
      orderBy: { day: "asc" },
    }),
    dailyFigures(db, shop.id, shop.timezone, todayStart, now),
    db.$queryRaw<Array<{ total: bigint; before_current: bigint; before_previous: bigint; outstanding: bigint | null }>>`
      SELECT count(*) AS total, count(*) FILTER (WHERE "enrolledAt" < ${p.current.from}) AS before_current,
             count(*) FILTER (WHERE "enrolledAt" < ${p.previous.from}) AS before_previous,
             sum(balance) FILTER (WHERE balance > 0) AS outstanding
      FROM "Member" WHERE "shopId" = ${shop.id}::uuid AND status <> 'REDACTED' AND "enrolledAt" < ${now}`,
    // The best money value per point a member can get: the liability if every point is spent.
    db.$queryRaw<Array<{ value_minor: number; points_cost: number }>>`
      SELECT "valueMinor" AS value_minor, "pointsCost" AS points_cost FROM "Reward"
      WHERE "shopId" = ${shop.id}::uuid AND enabled AND trigger = 'POINTS' AND type IN ('FIXED_AMOUNT', 'STORE_CREDIT')
        AND "pointsCost" > 0 AND "valueMinor" > 0 AND currency = ${shop.currency}
      ORDER BY "valueMinor"::float8 / "pointsCost" DESC LIMIT 1`,
    db.$queryRaw<Array<{ name: string; current: bigint; previous: bigint }>>`
      SELECT name, count(*) FILTER (WHERE "createdAt" >= ${p.current.from}) AS current, count(*) FILTER (WHERE "createdAt" < ${p.current.from}) AS previous
      FROM "AnalyticsEvent"
      WHERE "shopId" = ${shop.id}::uuid AND name IN (${THANK_YOU_EVENTS.viewed}, ${THANK_YOU_EVENTS.joined})
        AND "createdAt" >= ${p.previous.from} AND "createdAt" < ${now}
      GROUP BY name`,
  ]);
  const events = (name: string, inCurrent: boolean) =>
    num(funnel.find((row) => row.name === name)?.[inCurrent ? "current" : "previous"]);

  // Every day of both periods, quiet days as zero: the chart shows them, the totals add them.
  const byDay = new Map<string, DailyPoint>();
  for (let day = p.previousFrom; day <= p.today; day = addDays(day, 1))
    byDay.set(day, { day, issued: 0, redeemed: 0, expired: 0, newMembers: 0 });
  for (const row of dayRows) {
    const point = byDay.get(dayOf(row.day));
    if (!point) continue;
    point.issued = num(row.pointsIssued);
    point.redeemed = num(row.pointsRedeemed);
    point.expired = num(row.pointsExpired);
    point.newMembers = row.newMembers;
  }
  for (const row of todayRows) {
    const point = byDay.get(row.day);
    if (!point) continue;
    point.issued = num(row.issued);
    point.redeemed = num(row.redeemed);
    point.expired = num(row.expired);
    point.newMembers = num(row.new_members);
  }
  const points = [...byDay.values()];
  const inCurrent = (point: DailyPoint) => point.day >= p.currentFrom;

  const figures = (
    current: boolean,
    orders: OrderTotals,
    membersAtStart: number,
    membersAtEnd: number,
    start: number,
  ): PeriodFigures => {
    const period = points.filter((point) => inCurrent(point) === current);
    const sum = (field: "issued" | "redeemed" | "expired") => period.reduce((total, point) => total + point[field], 0);
    const issued = sum("issued");
    const redeemed = sum("redeemed");
    const end = orders.memberCustomers + orders.otherCustomers;
    return {
      members: membersAtEnd,
      newMembers: membersAtEnd - membersAtStart,
      enrollmentRate: ratio(orders.memberCustomers, end),
      pointsIssued: issued,
      pointsRedeemed: redeemed,
      pointsExpired: sum("expired"),
      redemptionRate: ratio(redeemed, issued),
      memberCustomers: {
        customers: orders.memberCustomers,
        orders: orders.memberOrders,
        repeatCustomers: orders.memberRepeat,
        revenueMinor: orders.memberRevenue,
      },
      otherCustomers: {
        customers: orders.otherCustomers,
        orders: orders.otherOrders,
        repeatCustomers: orders.otherRepeat,
        revenueMinor: orders.otherRevenue,
      },
      retentionRate: start > 0 ? (end - orders.newCustomers) / start : null,
      retention: { end, new: orders.newCustomers, start },
      loyaltyOrderRevenueMinor: orders.loyaltyRevenue,
      loyaltyOrders: orders.loyaltyOrders,
      postPurchase: {
        viewed: events(THANK_YOU_EVENTS.viewed, current),
        joined: events(THANK_YOU_EVENTS.joined, current),
      },
    };
  };

  const previousCustomers = closed.previous.memberCustomers + closed.previous.otherCustomers;
  const beforeCurrent = num(members?.before_current);
  const outstandingPoints = num(members?.outstanding);
  return {
    days,
    currency: shop.currency,
    current: figures(true, plus(closed.current, correction), beforeCurrent, num(members?.total), previousCustomers),
    previous: figures(false, closed.previous, num(members?.before_previous), beforeCurrent, closed.earlierCustomers),
    outstandingPoints,
    liabilityMinor: value ? (BigInt(outstandingPoints) * BigInt(value.value_minor)) / BigInt(value.points_cost) : null,
    daily: points.filter(inCurrent),
    closedDaysAsOf,
    stale,
  };
}

/** "Refresh now": the merchant wants the closed days rolled up again, not in an hour. */
export async function refreshDashboard(db: Db, shop: AnalyticsShop, days: PeriodDays, now = new Date()) {
  await rollUpPeriod(db, shop, days, now);
  await requestJob(ANALYTICS_QUEUE, { shopId: shop.id });
}
