import { requestJob } from "../platform/job-queue.server";
import { analyticsChanged } from "./analytics";
import { inTransaction, type Db } from "../platform/database/db";

/**
 * The shop's order history brought in on install and on demand (a Shopify bulk operation,
 * app/shopify/history.server.ts), so retention analytics start with the past. Imported
 * orders earn nothing: they are recorded as the webhooks would have recorded them, with no
 * points, marked with importedAt; an order the app already has is left as it is.
 */

export const HISTORY_QUEUE = "history-import";

export interface HistoricalOrder {
  id: bigint;
  name: string | null;
  email: string | null;
  customerId: bigint | null;
  currency: string;
  totalMinor: bigint;
  processedAt: Date;
  /** Null when the order was never paid (or fully refunded): analytics leave it out. */
  paidAt: Date | null;
  cancelledAt: Date | null;
  productIds: string[];
}

/**
 * Records a batch of orders and where reading stopped, in one transaction: a crash
 * between batches resumes after the last committed line, and a batch read twice adds
 * nothing (orders are keyed by Shopify's id).
 */
export async function recordHistoryBatch(
  db: Db,
  historyId: string,
  shopId: string,
  orders: HistoricalOrder[],
  linesRead: number,
): Promise<number> {
  return inTransaction(db, async (tx) => {
    const added = orders.length
      ? await tx.$executeRaw`
          INSERT INTO "Order" (id, "shopId", "customerId", "memberId", email, name, currency, "totalMinor", "earnableMinor",
                               "processedAt", "paidAt", "cancelledAt", "productIds", "importedAt", "updatedAt")
          SELECT v.id, ${shopId}::uuid, v.customer_id, m.id, v.email, v.name, v.currency, v.total, v.total,
                 v.processed_at, v.paid_at, v.cancelled_at, string_to_array(v.products, ','), now(), now()
          FROM unnest(${orders.map((o) => o.id.toString())}::bigint[], ${orders.map((o) => o.customerId?.toString() ?? null)}::bigint[],
                      ${orders.map((o) => o.email)}::text[], ${orders.map((o) => o.name)}::text[],
                      ${orders.map((o) => o.currency)}::text[], ${orders.map((o) => o.totalMinor.toString())}::bigint[],
                      ${orders.map((o) => o.processedAt)}::timestamp[], ${orders.map((o) => o.paidAt)}::timestamp[],
                      ${orders.map((o) => o.cancelledAt)}::timestamp[], ${orders.map((o) => o.productIds.join(","))}::text[])
            AS v(id, customer_id, email, name, currency, total, processed_at, paid_at, cancelled_at, products)
          LEFT JOIN "Member" m ON m."shopId" = ${shopId}::uuid AND m."customerId" = v.customer_id
          ON CONFLICT ("shopId", id) DO NOTHING`
      : 0;
    await tx.$executeRaw`
      UPDATE "HistoryImport" SET "linesRead" = ${linesRead}, "ordersSeen" = "ordersSeen" + ${orders.length},
             "ordersAdded" = "ordersAdded" + ${added}, "updatedAt" = now()
      WHERE id = ${historyId}::uuid`;
    return added;
  });
}

/** The import is done: the dashboard's closed days are rolled up again with the history in them. */
export async function finishHistory(db: Db, historyId: string, shopId: string) {
  await db.historyImport.updateMany({
    where: { id: historyId, status: "READING" },
    data: { status: "DONE", finishedAt: new Date() },
  });
  await analyticsChanged(db, shopId);
}

export function failHistory(db: Db, historyId: string, error: string) {
  return db.historyImport.updateMany({
    where: { id: historyId, status: { in: ["RUNNING", "READING"] } },
    data: { status: "FAILED", error: error.slice(0, 500), finishedAt: new Date() },
  });
}

export function latestHistory(db: Db, shopId: string) {
  return db.historyImport.findFirst({ where: { shopId }, orderBy: { createdAt: "desc" } });
}

/** History imports waiting on Shopify or being read (the minute sweep moves them on). */
export function openHistories(db: Db) {
  return db.historyImport.findMany({
    where: { status: { in: ["RUNNING", "READING"] } },
    select: { id: true, shopId: true, status: true },
  });
}

export function requestHistoryStep(historyId: string): Promise<void> {
  return requestJob(HISTORY_QUEUE, { historyId });
}
