import { DAY_MS as DAY, periodsFor, type Period, type PeriodDays } from "../domain/periods";
import { requestThrottled } from "../platform/job-queue.server";
import { THANK_YOU_EVENTS } from "./funnel";
import type { Db } from "../platform/database/db";

/**
 * Retention analytics for the merchant's dashboard: is the program bringing customers back?
 *
 * Every figure is computed in PostgreSQL with a handful of set-based queries (one pass over
 * the period's orders, ledger entries and members each), never per member in JavaScript,
 * so the dashboard stays fast with 100k members and 1M ledger entries. A figure is always
 * shown for the chosen period next to the same figure for the period just before it.
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
}

const num = (value: bigint | number | null | undefined): number => Number(value ?? 0);
const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

interface OrderRow {
  member_customers: bigint;
  other_customers: bigint;
  member_repeat: bigint;
  other_repeat: bigint;
  member_orders: bigint | null;
  other_orders: bigint | null;
  member_revenue: bigint | null;
  other_revenue: bigint | null;
  loyalty_orders: bigint;
  loyalty_revenue: bigint | null;
  new_customers: bigint;
}

async function orderFigures(db: Db, shopId: string, period: Period): Promise<OrderRow> {
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
  return row!;
}

interface DailyRow {
  day: string;
  /** Whether the row's instants fall in the current period: a day can straddle the boundary. */
  current: boolean;
  issued: bigint | null;
  redeemed: bigint | null;
  expired: bigint | null;
  new_members: bigint | null;
}

async function dailyFigures(
  db: Db,
  shopId: string,
  timeZone: string,
  previous: Period,
  current: Period,
): Promise<DailyRow[]> {
  // Points issued are earnings and positive adjustments; reversals of refunded orders are
  // not "redeemed". A cancelled redemption gives its points back, so it nets out.
  return db.$queryRaw<DailyRow[]>`
    WITH ledger AS (
      SELECT (("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS day,
             "createdAt" >= ${current.from} AS current,
             sum(points) FILTER (WHERE points > 0 AND kind IN ('EARN', 'ADJUST', 'IMPORT')) AS issued,
             -sum(points) FILTER (WHERE kind IN ('REDEEM', 'REDEMPTION_REFUND')) AS redeemed,
             -sum(points) FILTER (WHERE kind = 'EXPIRE') AS expired
      FROM "LedgerEntry"
      WHERE "shopId" = ${shopId}::uuid AND "createdAt" >= ${previous.from} AND "createdAt" < ${current.to}
      GROUP BY 1, 2
    ),
    enrolled AS (
      SELECT (("enrolledAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS day,
             "enrolledAt" >= ${current.from} AS current, count(*) AS new_members
      FROM "Member"
      WHERE "shopId" = ${shopId}::uuid AND "enrolledAt" >= ${previous.from} AND "enrolledAt" < ${current.to} AND status <> 'REDACTED'
      GROUP BY 1, 2
    )
    SELECT to_char(COALESCE(l.day, e.day), 'YYYY-MM-DD') AS day, COALESCE(l.current, e.current) AS current, l.issued, l.redeemed, l.expired, e.new_members
    FROM ledger l FULL JOIN enrolled e ON e.day = l.day AND e.current = l.current
    ORDER BY 1`;
}

/** The local calendar day of an instant in a time zone, as yyyy-mm-dd. */
function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Every local day from `from` to `to`, so the chart shows quiet days as zero, not as gaps. */
function daysBetween(from: Date, to: Date, timeZone: string): string[] {
  const days: string[] = [];
  const last = localDay(new Date(to.getTime() - 1), timeZone);
  for (let at = from.getTime(); ; at += DAY) {
    const day = localDay(new Date(at), timeZone);
    if (days.at(-1) !== day) days.push(day);
    if (day >= last) break;
  }
  return days;
}

/** The current period day by day; a day straddling its start shows only the current part. */
function chartDays(rows: DailyRow[], current: Period, timeZone: string): DailyPoint[] {
  const byDay = new Map(rows.filter((row) => row.current).map((row) => [row.day, row]));
  return daysBetween(current.from, current.to, timeZone).map((day) => {
    const row = byDay.get(day);
    return {
      day,
      issued: num(row?.issued),
      redeemed: num(row?.redeemed),
      expired: num(row?.expired),
      newMembers: num(row?.new_members),
    };
  });
}

export async function loadDashboard(
  db: Db,
  shop: { id: string; currency: string; timezone: string },
  days: PeriodDays,
  now = new Date(),
): Promise<Dashboard> {
  const { current, previous } = periodsFor(days, now);
  const beforePreviousPeriod = { from: new Date(previous.from.getTime() - days * DAY), to: previous.from };
  const [currentOrders, previousOrders, [earlier], daily, [members], [value], funnel] = await Promise.all([
    orderFigures(db, shop.id, current),
    orderFigures(db, shop.id, previous),
    // S of the previous period's retention rate: its customers' count is all it needs.
    db.$queryRaw<Array<{ customers: bigint }>>`
      SELECT count(DISTINCT COALESCE("customerId"::text, email)) AS customers FROM "Order"
      WHERE "shopId" = ${shop.id}::uuid AND "processedAt" >= ${beforePreviousPeriod.from} AND "processedAt" < ${beforePreviousPeriod.to}
        AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL AND ("customerId" IS NOT NULL OR email IS NOT NULL)`,
    // Daily rows cover both periods, so one pass gives the chart and both totals.
    dailyFigures(db, shop.id, shop.timezone, previous, current),
    db.$queryRaw<Array<{ total: bigint; before_current: bigint; before_previous: bigint; outstanding: bigint | null }>>`
      SELECT count(*) AS total, count(*) FILTER (WHERE "enrolledAt" < ${current.from}) AS before_current,
             count(*) FILTER (WHERE "enrolledAt" < ${previous.from}) AS before_previous,
             sum(balance) FILTER (WHERE balance > 0) AS outstanding
      FROM "Member" WHERE "shopId" = ${shop.id}::uuid AND status <> 'REDACTED' AND "enrolledAt" < ${current.to}`,
    // The best money value per point a member can get: the liability if every point is spent.
    db.$queryRaw<Array<{ value_minor: number; points_cost: number }>>`
      SELECT "valueMinor" AS value_minor, "pointsCost" AS points_cost FROM "Reward"
      WHERE "shopId" = ${shop.id}::uuid AND enabled AND trigger = 'POINTS' AND type IN ('FIXED_AMOUNT', 'STORE_CREDIT')
        AND "pointsCost" > 0 AND "valueMinor" > 0 AND currency = ${shop.currency}
      ORDER BY "valueMinor"::float8 / "pointsCost" DESC LIMIT 1`,
    db.$queryRaw<Array<{ name: string; current: bigint; previous: bigint }>>`
      SELECT name, count(*) FILTER (WHERE "createdAt" >= ${current.from}) AS current, count(*) FILTER (WHERE "createdAt" < ${current.from}) AS previous
      FROM "AnalyticsEvent"
      WHERE "shopId" = ${shop.id}::uuid AND name IN (${THANK_YOU_EVENTS.viewed}, ${THANK_YOU_EVENTS.joined})
        AND "createdAt" >= ${previous.from} AND "createdAt" < ${current.to}
      GROUP BY name`,
  ]);
  const events = (name: string, inCurrent: boolean) =>
    num(funnel.find((row) => row.name === name)?.[inCurrent ? "current" : "previous"]);

  const sum = (inCurrent: boolean, pick: (row: DailyRow) => bigint | null) =>
    daily.reduce((total, row) => total + (row.current === inCurrent ? num(pick(row)) : 0), 0);
  const figures = (
    inCurrent: boolean,
    orders: OrderRow,
    membersAtStart: number,
    membersAtEnd: number,
    start: number,
  ): PeriodFigures => {
    const issued = sum(inCurrent, (r) => r.issued);
    const redeemed = sum(inCurrent, (r) => r.redeemed);
    const memberCustomers = num(orders.member_customers);
    const otherCustomers = num(orders.other_customers);
    const end = memberCustomers + otherCustomers;
    const newCustomers = num(orders.new_customers);
    return {
      members: membersAtEnd,
      newMembers: membersAtEnd - membersAtStart,
      enrollmentRate: ratio(memberCustomers, end),
      pointsIssued: issued,
      pointsRedeemed: redeemed,
      pointsExpired: sum(inCurrent, (r) => r.expired),
      redemptionRate: ratio(redeemed, issued),
      memberCustomers: {
        customers: memberCustomers,
        orders: num(orders.member_orders),
        repeatCustomers: num(orders.member_repeat),
        revenueMinor: orders.member_revenue ?? 0n,
      },
      otherCustomers: {
        customers: otherCustomers,
        orders: num(orders.other_orders),
        repeatCustomers: num(orders.other_repeat),
        revenueMinor: orders.other_revenue ?? 0n,
      },
      retentionRate: start > 0 ? (end - newCustomers) / start : null,
      retention: { end, new: newCustomers, start },
      loyaltyOrderRevenueMinor: orders.loyalty_revenue ?? 0n,
      loyaltyOrders: num(orders.loyalty_orders),
      postPurchase: {
        viewed: events(THANK_YOU_EVENTS.viewed, inCurrent),
        joined: events(THANK_YOU_EVENTS.joined, inCurrent),
      },
    };
  };

  const previousCustomers = num(previousOrders.member_customers) + num(previousOrders.other_customers);
  const beforeCurrent = num(members?.before_current);
  const beforePrevious = num(members?.before_previous);
  const allMembers = num(members?.total);
  const outstandingPoints = num(members?.outstanding);
  return {
    days,
    currency: shop.currency,
    current: figures(true, currentOrders, beforeCurrent, allMembers, previousCustomers),
    previous: figures(false, previousOrders, beforePrevious, beforeCurrent, num(earlier?.customers)),
    outstandingPoints,
    liabilityMinor: value ? (BigInt(outstandingPoints) * BigInt(value.value_minor)) / BigInt(value.points_cost) : null,
    daily: chartDays(daily, current, shop.timezone),
  };
}

// ---------------------------------------------------------------------------
// Snapshots: what the dashboard shows
// ---------------------------------------------------------------------------

/** Older snapshots are still shown at once, and recomputed in the background. */
export const DASHBOARD_MAX_AGE_MS = 5 * 60_000;

// JSON has no bigint: money is stored as {"$minor": "123"} and revived exactly.
const encode = (_key: string, value: unknown) => (typeof value === "bigint" ? { $minor: value.toString() } : value);
const decode = (_key: string, value: unknown) =>
  value && typeof value === "object" && "$minor" in value && typeof value.$minor === "string"
    ? BigInt(value.$minor)
    : value;

/** Computes the figures now and stores them as the shop's snapshot for that period. */
export async function refreshDashboard(
  db: Db,
  shop: { id: string; currency: string; timezone: string },
  days: PeriodDays,
  now = new Date(),
): Promise<Dashboard> {
  const dashboard = await loadDashboard(db, shop, days, now);
  const data = JSON.parse(JSON.stringify(dashboard, encode)) as object;
  await db.dashboardSnapshot.upsert({
    where: { shopId_days: { shopId: shop.id, days } },
    create: { shopId: shop.id, days, data, computedAt: now },
    update: { data, computedAt: now },
  });
  return dashboard;
}

/**
 * The dashboard as the merchant sees it: the stored snapshot when there is one (asking
 * for a background refresh when it is stale), computed on the spot the first time.
 */
export async function dashboardSnapshot(
  db: Db,
  shop: { id: string; currency: string; timezone: string },
  days: PeriodDays,
  requestRefresh: (shopId: string, days: PeriodDays) => Promise<void>,
  now = new Date(),
): Promise<{ dashboard: Dashboard; computedAt: Date; stale: boolean }> {
  const stored = await db.dashboardSnapshot.findUnique({ where: { shopId_days: { shopId: shop.id, days } } });
  // A snapshot in another currency (the shop changed it) would mislabel every amount.
  const snapshot = stored ? (JSON.parse(JSON.stringify(stored.data), decode) as Dashboard) : null;
  if (!stored || !snapshot || snapshot.currency !== shop.currency) {
    return { dashboard: await refreshDashboard(db, shop, days, now), computedAt: now, stale: false };
  }
  const stale = now.getTime() - stored.computedAt.getTime() > DASHBOARD_MAX_AGE_MS;
  if (stale) await requestRefresh(shop.id, days);
  return { dashboard: snapshot, computedAt: stored.computedAt, stale };
}

/** Recomputes one shop's dashboard snapshot for one period length. */
export const DASHBOARD_QUEUE = "analytics-refresh-dashboard";

/**
 * Asks for a fresh dashboard snapshot. Requests within a minute for the same shop and
 * period share one job. Without a job queue (tests, scripts) it does nothing: the stale
 * snapshot stays until the merchant refreshes it.
 */
export function requestDashboardRefresh(shopId: string, days: PeriodDays): Promise<void> {
  return requestThrottled(DASHBOARD_QUEUE, { shopId, days }, 60, `${shopId}:${days}`);
}
