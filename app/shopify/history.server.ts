import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DAY_MS } from "../domain/time";
import { parseMinor } from "../domain/money";
import type { Db } from "../platform/database/db";
import { logger } from "../platform/logger.server";
import {
  failHistory,
  finishHistory,
  recordHistoryBatch,
  requestHistoryStep,
  type HistoricalOrder,
} from "../services/history";
import type { ShopContext } from "../services/shop-context";
import { adminClientForShop, type AdminGraphql } from "./admin-api.server";
import { parseGid } from "./ids";

/**
 * The order history through a bulk operation (shopify.dev usage/bulk-operations/queries):
 * bulkOperationRunQuery with the orders of the chosen window, grouped, so each order's
 * lines follow it in the JSONL; the bulk_operations/finish webhook (or the minute's poll,
 * as delivery is not guaranteed) says when the file is ready; the file is read line by
 * line at constant memory, committing where it stopped after every batch, so a crash
 * resumes and a second run adds nothing.
 */

/** The bulk query itself (named so codegen and the schema test check it against 2026-10). */
export const HISTORY_ORDERS = `#graphql
  query ComebackHistoryOrders {
    orders(query: "__SINCE__", sortKey: PROCESSED_AT) {
      edges {
        node {
          id
          name
          email
          processedAt
          cancelledAt
          test
          displayFinancialStatus
          customer {
            id
          }
          totalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          lineItems {
            edges {
              node {
                id
                product {
                  id
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const BULK_RUN = `#graphql
  mutation ComebackBulkRun($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION = `#graphql
  query ComebackBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      rootObjectCount
      url
    }
  }
`;

/** Asks Shopify for the orders of the last `months` months; the import waits for the file. */
export async function startHistoryImport(
  db: Db,
  shop: ShopContext,
  admin: AdminGraphql,
  months: number,
  actor: string,
  now = new Date(),
): Promise<string> {
  const since = new Date(now.getTime() - Math.round(months * 30.44) * DAY_MS);
  const history = await db.historyImport.create({
    data: { shopId: shop.id, months, since, status: "RUNNING", actor },
  });
  try {
    const query = HISTORY_ORDERS.replace("#graphql", "").replace(
      "__SINCE__",
      `processed_at:>='${since.toISOString()}'`,
    );
    const result = await admin.request(BULK_RUN, { query });
    const payload = result.bulkOperationRunQuery;
    if (!payload?.bulkOperation) {
      const message = payload?.userErrors.map((e) => e.message).join("; ") || "Shopify did not start the export";
      await failHistory(db, history.id, message);
      return history.id;
    }
    await db.historyImport.update({ where: { id: history.id }, data: { bulkOperationId: payload.bulkOperation.id } });
  } catch (error) {
    await failHistory(db, history.id, (error as Error).message);
  }
  return history.id;
}

const PAID = new Set(["PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED"]);

interface OrderLine {
  id?: string;
  name?: string | null;
  email?: string | null;
  processedAt?: string;
  cancelledAt?: string | null;
  test?: boolean;
  displayFinancialStatus?: string | null;
  customer?: { id?: string } | null;
  totalPriceSet?: { shopMoney?: { amount?: string; currencyCode?: string } };
  product?: { id?: string } | null;
  __parentId?: string;
}

function historicalOrder(line: OrderLine, fallbackCurrency: string): HistoricalOrder | null {
  const id = line.id ? parseGid(line.id, "Order") : null;
  const processedAt = line.processedAt ? new Date(line.processedAt) : null;
  if (id === null || !processedAt || Number.isNaN(processedAt.getTime()) || line.test) return null;
  const currency = line.totalPriceSet?.shopMoney?.currencyCode ?? fallbackCurrency;
  return {
    id,
    name: line.name ?? null,
    email: line.email?.toLowerCase() ?? null,
    customerId: line.customer?.id ? parseGid(line.customer.id, "Customer") : null,
    currency,
    totalMinor: parseMinor(line.totalPriceSet?.shopMoney?.amount ?? "0", currency),
    processedAt,
    paidAt: PAID.has(line.displayFinancialStatus ?? "") ? processedAt : null,
    cancelledAt: line.cancelledAt ? new Date(line.cancelledAt) : null,
    productIds: [],
  };
}

/**
 * One step of an import: while Shopify is writing, ask how it goes; once the file is
 * there, read it from where the last run stopped. Returns what it did.
 */
export async function historyStep(db: Db, historyId: string, batchSize = 500): Promise<string> {
  const history = await db.historyImport.findUnique({ where: { id: historyId }, include: { shop: true } });
  if (!history || !["RUNNING", "READING"].includes(history.status)) return "nothing";
  if (history.status === "RUNNING") {
    if (!history.bulkOperationId) return "waiting";
    const admin = await adminClientForShop(db, history.shop.domain);
    if (!admin) return "no_token";
    const { bulkOperation: operation } = await admin.request(BULK_OPERATION, { id: history.bulkOperationId });
    if (!operation) {
      await failHistory(db, historyId, "Shopify no longer knows the export");
      return "failed";
    }
    if (operation.status === "CREATED" || operation.status === "RUNNING") return "waiting";
    if (operation.status !== "COMPLETED") {
      await failHistory(
        db,
        historyId,
        `Shopify's export ended ${operation.status} ${operation.errorCode ?? ""}`.trim(),
      );
      return "failed";
    }
    const moved = await db.historyImport.updateMany({
      where: { id: historyId, status: "RUNNING" },
      data: { status: "READING", url: operation.url ?? null, objectCount: Number(operation.rootObjectCount ?? 0) },
    });
    if (moved.count === 0) return "nothing";
    if (!operation.url) {
      // No orders in the window: Shopify gives no file.
      await finishHistory(db, historyId, history.shopId);
      return "done";
    }
    history.url = operation.url;
    history.status = "READING";
  }
  if (!history.url) return "nothing";
  // The result URL is a signed link to Shopify's storage: no token goes with it.
  const response = await fetch(history.url);
  if (!response.ok || !response.body) throw new Error(`history file answered ${response.status}`);
  const lines = createInterface({
    input: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    crlfDelay: Infinity,
  });
  let lineNo = 0;
  let batch: HistoricalOrder[] = [];
  let current: HistoricalOrder | null = null;
  for await (const text of lines) {
    lineNo += 1;
    // Resuming: these lines are committed already. An order is committed with the line
    // of its last item, so a batch never ends between an order and its lines.
    if (lineNo <= history.linesRead || !text.trim()) continue;
    let line: OrderLine;
    try {
      line = JSON.parse(text) as OrderLine;
    } catch {
      logger.warn({ historyId, line: lineNo }, "history line is not JSON");
      continue;
    }
    if (line.__parentId) {
      const product = line.product?.id ? parseGid(line.product.id, "Product") : null;
      if (current && product !== null && !current.productIds.includes(product.toString()))
        current.productIds.push(product.toString());
      continue;
    }
    if (current) batch.push(current);
    if (batch.length >= batchSize) {
      await recordHistoryBatch(db, historyId, history.shopId, batch, lineNo - 1);
      batch = [];
      // Stopped meanwhile (the merchant, or a failure elsewhere): leave the rest.
      const still = await db.historyImport.findUnique({ where: { id: historyId }, select: { status: true } });
      if (still?.status !== "READING") return "stopped";
    }
    current = historicalOrder(line, history.shop.currency);
  }
  if (current) batch.push(current);
  await recordHistoryBatch(db, historyId, history.shopId, batch, lineNo);
  await finishHistory(db, historyId, history.shopId);
  return "done";
}

/** The job's entry: one step, and another soon if Shopify is still writing. */
export async function runHistoryStep(db: Db, historyId: string): Promise<string> {
  try {
    return await historyStep(db, historyId);
  } catch (error) {
    logger.warn({ err: error, historyId }, "history import step failed; it will be retried");
    throw error;
  }
}

export { requestHistoryStep };
