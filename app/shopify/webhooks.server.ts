import prisma from "../db.server";
import { Prisma } from "../generated/prisma/client";
import type { Tx } from "../loyalty/db";
import { EarningError } from "../loyalty/earning";
import { LedgerError } from "../loyalty/ledger";
import { MoneyError } from "../loyalty/money";
import { loadShopContext, type ShopContext } from "../loyalty/shop-context";
import { logger } from "../platform/logger.server";
import { authenticate } from "../shopify.server";
import { PayloadError, parseJsonExact } from "./payloads";

/**
 * Receiving a Shopify webhook, the same way for every topic:
 *
 * 1. `authenticate.webhook` verifies the HMAC with SHOPIFY_API_SECRET (401 if forged,
 *    400 if headers are missing).
 * 2. The payload is validated into the loyalty core's types before anything is written
 *    (422 with the reasons if it is not what Shopify sends).
 * 3. In one transaction: the delivery is recorded by X-Shopify-Webhook-Id (a repeat
 *    delivery stops here) and its effects are applied. Only after the commit does
 *    Shopify get its 200, so nothing is acknowledged that is not durably recorded; any
 *    failure rolls everything back and answers 500, and Shopify retries.
 *
 * Each effect is also idempotent on its own keys, because one event can reach us under
 * several webhook ids (several subscriptions, re-sends by Shopify support, replays).
 */

export interface WebhookOutcome {
  status: "PROCESSED" | "IGNORED";
  note?: string;
}

export interface WebhookHandler<T> {
  topic: string;
  /** Validates and converts the payload; throws PayloadError when it is not usable. */
  parse(payload: unknown): T;
  apply(tx: Tx, shop: ShopContext, input: T, meta: { webhookId: string }): Promise<WebhookOutcome>;
  /** Compliance and lifecycle topics answer 200 for shops we hold nothing for. */
  unknownShop?: "ok" | "reject";
  /** Most work stops when the app is uninstalled; compliance topics must still run. */
  runAfterUninstall?: boolean;
}

function json(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export async function receiveWebhook<T>(request: Request, handler: WebhookHandler<T>): Promise<Response> {
  const raw = request.method === "POST" ? await request.clone().text() : "";
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) {
      const reason =
        error.status === 401
          ? "invalid_hmac"
          : error.status === 405
            ? "method_not_allowed"
            : "missing_or_invalid_webhook_headers";
      return json(error.status, { error: reason });
    }
    if (error instanceof SyntaxError) return json(400, { error: "malformed_json", message: "Body is not valid JSON" });
    throw error;
  }

  const topicHeader = request.headers.get("x-shopify-topic");
  if (topicHeader !== handler.topic) {
    return json(400, { error: "wrong_topic", message: `This endpoint receives ${handler.topic}, not ${topicHeader}` });
  }
  const webhookId = context.webhookId;
  if (!webhookId || webhookId.length > 255) {
    return json(400, { error: "missing_webhook_id", message: "X-Shopify-Webhook-Id is required" });
  }

  let input: T;
  try {
    input = handler.parse(parseJsonExact(raw));
  } catch (error) {
    if (error instanceof PayloadError) return json(422, { error: "invalid_payload", issues: error.issues });
    if (error instanceof SyntaxError) return json(400, { error: "malformed_json", message: "Body is not valid JSON" });
    throw error;
  }

  const shop = await loadShopContext(prisma, { domain: context.shop });
  if (!shop) {
    if (handler.unknownShop === "ok") return json(200, { status: "no_data_for_shop" });
    return json(404, { error: "unknown_shop", message: `No installation for ${context.shop}` });
  }

  try {
    const outcome = await prisma.$transaction(
      async (tx) => {
        const recorded = await tx.$queryRaw<Array<{ id: bigint }>>`
          INSERT INTO "WebhookEvent" ("shopId", "shopDomain", topic, "webhookId", "eventId", "triggeredAt")
          VALUES (${shop.id}::uuid, ${shop.domain}, ${handler.topic}, ${webhookId},
                  ${request.headers.get("x-shopify-event-id")}, ${parseDate(request.headers.get("x-shopify-triggered-at"))})
          ON CONFLICT ("shopDomain", "webhookId") DO NOTHING
          RETURNING id`;
        const eventId = recorded[0]?.id;
        if (eventId === undefined) return { duplicate: true as const };
        const result: WebhookOutcome =
          shop.uninstalled && !handler.runAfterUninstall
            ? { status: "IGNORED", note: "app uninstalled" }
            : await handler.apply(tx, shop, input, { webhookId });
        // updateMany: shop/redact deletes the shop, and this row with it.
        await tx.webhookEvent.updateMany({
          where: { id: eventId },
          data: { status: result.status, processedAt: new Date(), error: result.note ?? null },
        });
        return { duplicate: false as const, result };
      },
      { timeout: 10_000, maxWait: 5_000 },
    );
    if (outcome.duplicate) return json(200, { status: "duplicate" });
    return json(200, { status: outcome.result.status.toLowerCase(), ...(outcome.result.note ? { note: outcome.result.note } : {}) });
  } catch (error) {
    if (error instanceof PayloadError || error instanceof EarningError || error instanceof MoneyError) {
      return json(422, { error: "invalid_payload", issues: error instanceof PayloadError ? error.issues : [error.message] });
    }
    if (error instanceof LedgerError) {
      logger.warn({ shop: shop.domain, topic: handler.topic, webhookId, err: error.message }, "webhook rejected by ledger");
      return json(422, { error: "rejected", message: error.message });
    }
    if (isSerializationFailure(error)) {
      // Lost a race with a parallel delivery; Shopify's retry (or the next attempt) settles it.
      return json(503, { error: "busy", message: "Please retry" });
    }
    logger.error({ shop: shop.domain, topic: handler.topic, webhookId, err: error }, "webhook failed");
    return json(500, { error: "internal_error" });
  }
}

function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

function isSerializationFailure(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2034";
  const message = error instanceof Error ? error.message : "";
  return /deadlock detected|could not serialize/.test(message);
}
