import prisma from "../db.server";
import { isRetryableConflict, type Tx } from "../loyalty/db";
import { EarningError } from "../loyalty/earning";
import { LedgerError } from "../loyalty/ledger";
import { MoneyError } from "../loyalty/money";
import type { ShopContext } from "../loyalty/shop-context";
import { PayloadError } from "../shopify/payloads";
import { logger } from "./logger.server";

/**
 * Exactly-once effects for inbound events (Shopify webhooks, review apps): the delivery
 * is recorded by its id and its effects are applied in one transaction. A repeated
 * delivery stops at the record; a failure rolls both back and answers 5xx so the sender
 * retries. The answer is sent only after the commit.
 */

export interface DeliveryOutcome {
  status: "PROCESSED" | "IGNORED";
  note?: string;
}

export function json(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export async function applyDeliveryOnce(options: {
  shop: ShopContext;
  topic: string;
  deliveryId: string;
  eventId?: string | null;
  triggeredAt?: Date | null;
  apply(tx: Tx): Promise<DeliveryOutcome>;
}): Promise<Response> {
  const { shop, topic, deliveryId } = options;
  try {
    const outcome = await withConflictRetries(() => prisma.$transaction(
      async (tx) => {
        const recorded = await tx.$queryRaw<Array<{ id: bigint }>>`
          INSERT INTO "WebhookEvent" ("shopId", "shopDomain", topic, "webhookId", "eventId", "triggeredAt")
          VALUES (${shop.id}::uuid, ${shop.domain}, ${topic}, ${deliveryId}, ${options.eventId ?? null}, ${options.triggeredAt ?? null})
          ON CONFLICT ("shopDomain", "webhookId") DO NOTHING
          RETURNING id`;
        const eventId = recorded[0]?.id;
        if (eventId === undefined) return { duplicate: true as const };
        const result = await options.apply(tx);
        // updateMany: shop/redact deletes the shop, and this row with it.
        await tx.webhookEvent.updateMany({
          where: { id: eventId },
          data: { status: result.status, processedAt: new Date(), error: result.note ?? null },
        });
        return { duplicate: false as const, result };
      },
      { maxWait: 5_000, timeout: 10_000 },
    ));
    if (outcome.duplicate) return json(200, { status: "duplicate" });
    return json(200, {
      status: outcome.result.status.toLowerCase(),
      ...(outcome.result.note ? { note: outcome.result.note } : {}),
    });
  } catch (error) {
    if (error instanceof PayloadError || error instanceof EarningError || error instanceof MoneyError) {
      return json(422, { error: "invalid_payload", issues: error instanceof PayloadError ? error.issues : [error.message] });
    }
    if (error instanceof LedgerError) {
      logger.warn({ shop: shop.domain, topic, deliveryId, err: error.message }, "delivery rejected by ledger");
      return json(422, { error: "rejected", message: error.message });
    }
    if (isRetryableConflict(error)) {
      // Lost a race with a parallel delivery; the sender's retry settles it.
      return json(503, { error: "busy", message: "Please retry" });
    }
    logger.error({ shop: shop.domain, topic, deliveryId, err: error }, "delivery failed");
    return json(500, { error: "internal_error" });
  }
}

/**
 * Runs a delivery's transaction again (rolled back, from the start) when it lost a race
 * it can win on a second try: a deadlock PostgreSQL broke, or an order whose member
 * appeared while we waited for it. Shopify would retry too, but minutes later.
 */
async function withConflictRetries<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
