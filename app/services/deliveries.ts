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

export type DeliveryResult = { duplicate: true } | { duplicate: false; outcome: DeliveryOutcome };

export async function applyDeliveryOnce(
  db: PrismaClient,
  options: {
    shop: ShopContext;
    topic: string;
    deliveryId: string;
    eventId?: string | null;
    triggeredAt?: Date | null;
    apply(tx: Tx): Promise<DeliveryOutcome>;
  },
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
