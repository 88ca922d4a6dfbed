import { Prisma } from "../generated/prisma/client";
import { inTransaction, type Db } from "../platform/database/db";
import { requestJob } from "../platform/job-queue.server";
import { postSelectedEntries } from "./ledger";
import { finishProgress, latestProgress, reportProgress, startProgress } from "./progress";
import { upgradeMembersAfterEarning } from "./tiers";
import type { ShopContext } from "./shop-context";

/**
 * Points for the orders the history import brought in: off unless the merchant asks, and
 * only after they have seen what it would grant. Each past order of a member earns at the
 * program's base rate (no tier or campaign bonus: those did not exist then), once: the
 * entry's key is the order's, so a second grant, or two instances granting at the same
 * moment, write nothing twice. Guests and customers who have not joined get nothing.
 */

export const PAST_POINTS_QUEUE = "history-past-points";
const BATCH = 2_000;

export interface PastPointsPreview {
  members: number;
  orders: number;
  points: number;
  /** Imported orders of customers who are not members: they earn nothing. */
  otherOrders: number;
  earnPoints: number;
  earnSpendMinor: number;
  currency: string;
}

export class PastPointsChanged extends Error {
  override name = "PastPointsChanged";
}

/** Imported, paid, uncancelled orders of active members that have not earned yet. */
function due(shop: ShopContext) {
  return Prisma.sql`
    FROM "Order" o JOIN "Member" m ON m.id = o."memberId" AND m.status = 'ACTIVE'
    WHERE o."shopId" = ${shop.id}::uuid AND o."importedAt" IS NOT NULL AND o."paidAt" IS NOT NULL
      AND o."cancelledAt" IS NULL AND o."pointsEarned" = 0
      AND NOT EXISTS (SELECT 1 FROM "LedgerEntry" l WHERE l."shopId" = o."shopId" AND l."idempotencyKey" = 'past:' || o.id)`;
}

/** An order's points at the base rate, rounded down once, as orders/paid would. */
function points(shop: ShopContext) {
  return Prisma.sql`LEAST((o."earnableMinor" * ${shop.settings.earnPoints}) / ${shop.settings.earnSpendMinor}, 2000000000)`;
}

export async function previewPastPoints(db: Db, shop: ShopContext): Promise<PastPointsPreview> {
  const [row] = await db.$queryRaw<Array<{ members: bigint; orders: bigint; points: bigint | null }>>`
    SELECT count(DISTINCT o."memberId") AS members, count(*) FILTER (WHERE ${points(shop)} > 0) AS orders,
           sum(${points(shop)})::bigint AS points
    ${due(shop)}`;
  const [others] = await db.$queryRaw<Array<{ orders: bigint }>>`
    SELECT count(*) AS orders FROM "Order" o
    WHERE o."shopId" = ${shop.id}::uuid AND o."importedAt" IS NOT NULL AND o."paidAt" IS NOT NULL
      AND o."cancelledAt" IS NULL AND o."memberId" IS NULL`;
  return {
    members: Number(row?.members ?? 0),
    orders: Number(row?.orders ?? 0),
    points: Number(row?.points ?? 0),
    otherOrders: Number(others?.orders ?? 0),
    earnPoints: shop.settings.earnPoints,
    earnSpendMinor: shop.settings.earnSpendMinor,
    currency: shop.currency,
  };
}

/**
 * Starts the grant the merchant previewed. `expectedPoints` is the total they saw: if the
 * figures have moved since (a rate change, new members), nothing starts and they preview
 * again.
 */
export async function startPastPoints(db: Db, shop: ShopContext, expectedPoints: number, actor: string) {
  const running = await latestProgress(db, shop.id, "history.pastPoints");
  if (running?.status === "RUNNING") throw new PastPointsChanged("running.already");
  const preview = await previewPastPoints(db, shop);
  if (preview.points !== expectedPoints || preview.points === 0) throw new PastPointsChanged("changed");
  const progress = await startProgress(db, {
    shopId: shop.id,
    kind: "history.pastPoints",
    actor,
    details: { points: preview.points, orders: preview.orders, members: preview.members },
  });
  await reportProgress(db, progress.id, { total: preview.orders });
  await db.activityLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "history.pastPoints",
      details: { points: preview.points, orders: preview.orders, members: preview.members },
    },
  });
  await requestJob(PAST_POINTS_QUEUE, { shopId: shop.id });
  return preview;
}

/**
 * The job: grants in batches of orders, each batch one transaction that locks its members
 * (a live redemption waits, it is never lost). Safe to run twice or to resume after a crash.
 */
export async function runPastPoints(db: Db, shop: ShopContext): Promise<number> {
  const progress = await latestProgress(db, shop.id, "history.pastPoints");
  if (!progress || progress.status !== "RUNNING") return 0;
  let granted = 0;
  let after = -1n;
  try {
    for (;;) {
      const batch = await inTransaction(db, async (tx) => {
        const ids = await tx.$queryRaw<Array<{ id: bigint }>>`
          SELECT o.id ${due(shop)} AND o.id > ${after} AND ${points(shop)} > 0 ORDER BY o.id LIMIT ${BATCH}`;
        if (ids.length === 0) return null;
        const orderIds = ids.map((row) => row.id);
        const members = await postSelectedEntries(
          tx,
          Prisma.sql`
            SELECT o."shopId", o."memberId", ${points(shop)}::int AS points, 'EARN' AS kind, 'ORDER' AS source,
                   'past:' || o.id AS key, o.id AS "orderId"
            ${due(shop)} AND o.id = ANY(${orderIds}::bigint[])
            ORDER BY o."memberId" FOR UPDATE OF m`,
          new Date(),
          { code: "past_order" },
          { withOrder: true },
        );
        // A refund of the order later takes back a share of these points, as for any order.
        await tx.$executeRaw`
          UPDATE "Order" o SET "pointsEarned" = l.points, "updatedAt" = now()
          FROM "LedgerEntry" l
          WHERE o."shopId" = ${shop.id}::uuid AND o.id = ANY(${orderIds}::bigint[])
            AND l."shopId" = o."shopId" AND l."idempotencyKey" = 'past:' || o.id`;
        return { last: orderIds.at(-1)!, count: orderIds.length, members };
      });
      if (!batch) break;
      after = batch.last;
      granted += batch.count;
      await reportProgress(db, progress.id, { done: granted });
      // Under the points metric, the new points can carry members over a threshold.
      await upgradeMembersAfterEarning(db, batch.members, "points for past orders");
    }
    await finishProgress(db, progress.id, {
      status: "DONE",
      details: { ...(progress.details as object), granted },
    });
    return granted;
  } catch (error) {
    await finishProgress(db, progress.id, { status: "FAILED", error: String(error) });
    throw error;
  }
}

export function pastPointsProgress(db: Db, shopId: string) {
  return latestProgress(db, shopId, "history.pastPoints");
}
