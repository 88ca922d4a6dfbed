import type { PrismaClient } from "../generated/prisma/client";
import { isRetryableConflict, type Tx } from "../platform/database/db";
import type { ShopContext } from "./shop-context";

/**
 * Exactly-once effects for inbound events (Shopify webhooks, review apps): the delivery
 * is recorded by its id and its effects are applied in one transaction. A repeated
 * delivery stops at the record; a failure rolls both back and the caller answers so the
 * sender retries. Nothing is acknowledged before the commit.
 */
export interface DeliveryOutcome {
  status: "PROCESSED" | "IGNORED";
  note?: string;
  /** Codes were created for members (the order ladder): issue them in Shopify after the commit. */
  codesGranted?: boolean;
}

export type DeliveryResult =
  | { duplicate: true }
  // ACCEPTED: recorded, to be applied by the webhook inbox.
  | { duplicate: false; outcome: DeliveryOutcome | { status: "ACCEPTED"; note?: undefined } };

/** An inbound delivery as the sender names it: its id is what makes a repeat a repeat. */
export interface Delivery {
  shop: ShopContext;
  topic: string;
  deliveryId: string;
  eventId?: string | null;
  triggeredAt?: Date | null;
}

export async function applyDeliveryOnce(
  db: PrismaClient,
  options: Delivery & { apply(tx: Tx): Promise<DeliveryOutcome> },
): Promise<DeliveryResult> {
  const { shop, topic, deliveryId } = options;
  return withConflictRetries(() =>
    db.$transaction(
      async (tx) => {
        const recorded = await tx.$queryRaw<Array<{ id: bigint }>>`
          INSERT INTO "WebhookEvent" ("shopId", "shopDomain", topic, "webhookId", "eventId", "triggeredAt")
          VALUES (${shop.id}::uuid, ${shop.domain}, ${topic}, ${deliveryId}, ${options.eventId ?? null}, ${options.triggeredAt ?? null})
          ON CONFLICT ("shopDomain", "webhookId") DO NOTHING
          RETURNING id`;
        const eventId = recorded[0]?.id;
        if (eventId === undefined) return { duplicate: true as const };
        const outcome = await options.apply(tx);
        // updateMany: shop/redact deletes the shop, and this row with it.
        await tx.webhookEvent.updateMany({
          where: { id: eventId },
          data: { status: outcome.status, processedAt: new Date(), error: outcome.note ?? null },
        });
        return { duplicate: false as const, outcome };
      },
      { maxWait: 5_000, timeout: 10_000 },
    ),
  );
}

/**
 * Recording a delivery to apply later (the instance was busy): one statement, durable when
 * it returns, so the sender can be acknowledged. A repeat of a recorded delivery is
 * reported, not recorded twice.
 */
export async function recordDelivery(
  db: PrismaClient,
  options: Delivery & { payload: unknown },
): Promise<{ duplicate: boolean }> {
  const { shop, topic, deliveryId } = options;
  const recorded = await db.$queryRaw<Array<{ id: bigint }>>`
    INSERT INTO "WebhookEvent" ("shopId", "shopDomain", topic, "webhookId", "eventId", "triggeredAt", payload)
    VALUES (${shop.id}::uuid, ${shop.domain}, ${topic}, ${deliveryId}, ${options.eventId ?? null}, ${options.triggeredAt ?? null}, ${JSON.stringify(options.payload)}::jsonb)
    ON CONFLICT ("shopDomain", "webhookId") DO NOTHING
    RETURNING id`;
  return { duplicate: recorded.length === 0 };
}

export interface RecordedDelivery {
  id: bigint;
  shopId: string;
  topic: string;
  webhookId: string;
  payload: unknown;
  attempts: number;
}

/** Whether the shop has recorded deliveries the inbox has yet to apply (due now or later). */
export async function hasWaitingDeliveries(db: PrismaClient, shopId: string): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT 1 FROM "WebhookEvent" WHERE status = 'RECEIVED' AND "shopId" = ${shopId}::uuid AND payload IS NOT NULL LIMIT 1`;
  return rows.length > 0;
}

/** Recorded deliveries due for the inbox, oldest first (a hint: `applyRecordedDelivery` claims). */
export async function dueDeliveries(db: PrismaClient, limit: number): Promise<bigint[]> {
  const rows = await db.$queryRaw<Array<{ id: bigint }>>`
    SELECT id FROM "WebhookEvent"
    WHERE status = 'RECEIVED' AND "availableAt" <= now() AND payload IS NOT NULL
    ORDER BY "availableAt", id
    LIMIT ${limit}`;
  return rows.map((row) => row.id);
}

/**
 * Applies a recorded delivery exactly once, whichever instance gets to it: the row is
 * claimed under its lock (another instance skips it) and marked done in the effects'
 * transaction, its payload dropped. Null when it was not due any more (done, or taken).
 */
export async function applyRecordedDelivery(
  db: PrismaClient,
  id: bigint,
  apply: (tx: Tx, delivery: RecordedDelivery) => Promise<DeliveryOutcome>,
): Promise<{ delivery: RecordedDelivery; outcome: DeliveryOutcome } | null> {
  return withConflictRetries(() =>
    db.$transaction(
      async (tx) => {
        const [delivery] = await tx.$queryRaw<RecordedDelivery[]>`
          SELECT id, "shopId", topic, "webhookId", payload, attempts FROM "WebhookEvent"
          WHERE id = ${id} AND status = 'RECEIVED' AND payload IS NOT NULL
          FOR UPDATE SKIP LOCKED`;
        if (!delivery) return null;
        const outcome = await apply(tx, delivery);
        await tx.$executeRaw`
          UPDATE "WebhookEvent" SET status = ${outcome.status}::"WebhookStatus", "processedAt" = clock_timestamp(),
            error = ${outcome.note ?? null}, payload = NULL
          WHERE id = ${id}`;
        return { delivery, outcome };
      },
      { maxWait: 5_000, timeout: 10_000 },
    ),
  );
}

/**
 * A recorded delivery whose effects failed: tried again later, with a growing pause, and
 * given up (FAILED, payload dropped) after `maxAttempts` or at once when `final`.
 */
export async function deferRecordedDelivery(
  db: PrismaClient,
  id: bigint,
  error: string,
  options: { final: boolean; maxAttempts: number },
): Promise<"retry" | "failed"> {
  const [row] = await db.$queryRaw<Array<{ status: string }>>`
    UPDATE "WebhookEvent" SET
      attempts = attempts + 1,
      error = ${error.slice(0, 500)},
      status = CASE WHEN ${options.final} OR attempts + 1 > ${options.maxAttempts} THEN 'FAILED'::"WebhookStatus" ELSE status END,
      payload = CASE WHEN ${options.final} OR attempts + 1 > ${options.maxAttempts} THEN NULL ELSE payload END,
      "processedAt" = CASE WHEN ${options.final} OR attempts + 1 > ${options.maxAttempts} THEN now() ELSE NULL END,
      "availableAt" = now() + make_interval(secs => least(power(2, attempts + 1), 600))
    WHERE id = ${id} AND status = 'RECEIVED'
    RETURNING status::text`;
  return row?.status === "FAILED" ? "failed" : "retry";
}

/**
 * Runs a transaction again (rolled back, from the start) when it lost a race it can win
 * on a second try: a deadlock PostgreSQL broke, or an order whose member appeared while
 * we waited for it. The sender would retry too, but minutes later.
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
