import prisma from "../db.server";
import { loadShopContext } from "../services/shop-context";
import { deliveryResponse } from "../http/deliveries";
import { jsonResponse } from "../http/responses";
import { applyDeliveryOnce, hasWaitingDeliveries, recordDelivery, type DeliveryOutcome } from "../services/deliveries";
import { afterDeliveryCommitted, trackDelivery, wakeInbox } from "./webhook-inbox.server";
import type { WebhookHandler } from "./webhook-handler";
import { authenticate } from "../shopify.server";
import { isShopDomain } from "./ids";
import { jsonNestsDeeperThan, PayloadError, parseJsonExact } from "./payloads";

/**
 * Receiving a Shopify webhook, the same way for every topic:
 *
 * 1. `authenticate.webhook` verifies the HMAC with SHOPIFY_API_SECRET (401 if forged,
 *    400 if headers are missing).
 * 2. The payload is validated into the loyalty core's types before anything is written
 *    (422 with the reasons if it is not what Shopify sends).
 * 3. When the instance has nothing else to do, in one transaction: the delivery is
 *    recorded by X-Shopify-Webhook-Id (a repeat delivery stops here) and its effects are
 *    applied. Only after the commit does Shopify get its 200; any failure rolls
 *    everything back and answers 500, and Shopify retries.
 * 4. When it is busy (other deliveries in flight, or recorded ones waiting), a topic that
 *    allows it is recorded with its payload in one statement and answered 200
 *    `accepted` once that is committed; the webhook inbox applies it moments later, in the
 *    background (webhook-inbox.server.ts). A burst then costs Shopify one insert per
 *    delivery, not the whole of its effects, and nothing is acknowledged before it is
 *    durable either way.
 *
 * Each effect is also idempotent on its own keys, because one event can reach us under
 * several webhook ids (several subscriptions, re-sends by Shopify support, replays).
 */

const MAX_JSON_DEPTH = 64;

export async function receiveWebhook<T>(request: Request, handler: WebhookHandler<T>): Promise<Response> {
  const raw = request.method === "POST" ? await request.clone().text() : "";
  // Checked before Shopify's library sees the request: it throws (a 500) on a shop domain
  // that is not a myshopify.com host, and its JSON parsing overflows on absurd nesting.
  const shopHeader = request.headers.get("x-shopify-shop-domain");
  if (shopHeader !== null && !isShopDomain(shopHeader)) {
    return jsonResponse(
      { error: "invalid_shop_domain", message: "X-Shopify-Shop-Domain must be a myshopify.com domain" },
      400,
    );
  }
  if (jsonNestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    return jsonResponse({ error: "too_deeply_nested", message: `JSON may nest at most ${MAX_JSON_DEPTH} levels` }, 400);
  }
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
      return jsonResponse({ error: reason }, error.status);
    }
    if (error instanceof SyntaxError)
      return jsonResponse({ error: "malformed_json", message: "Body is not valid JSON" }, 400);
    throw error;
  }

  const topicHeader = request.headers.get("x-shopify-topic");
  if (topicHeader !== handler.topic) {
    return jsonResponse(
      { error: "wrong_topic", message: `This endpoint receives ${handler.topic}, not ${topicHeader}` },
      400,
    );
  }
  const webhookId = context.webhookId;
  if (!webhookId || webhookId.length > 255) {
    return jsonResponse({ error: "missing_webhook_id", message: "X-Shopify-Webhook-Id is required" }, 400);
  }

  let input: T;
  let payload: unknown;
  try {
    payload = parseJsonExact(raw);
    input = handler.parse(payload);
  } catch (error) {
    if (error instanceof PayloadError) return jsonResponse({ error: "invalid_payload", issues: error.issues }, 422);
    if (error instanceof SyntaxError)
      return jsonResponse({ error: "malformed_json", message: "Body is not valid JSON" }, 400);
    throw error;
  }

  const shop = await loadShopContext(prisma, { domain: context.shop });
  if (!shop) {
    if (handler.unknownShop === "ok") return jsonResponse({ status: "no_data_for_shop" }, 200);
    return jsonResponse({ error: "unknown_shop", message: `No installation for ${context.shop}` }, 404);
  }

  if (handler.afterRecordedDeliveries && (await hasWaitingDeliveries(prisma, shop.id))) {
    return jsonResponse({ error: "busy", message: "Earlier deliveries for this shop are being applied; retry" }, 503);
  }
  const delivery = {
    shop,
    topic: handler.topic,
    deliveryId: webhookId,
    eventId: request.headers.get("x-shopify-event-id"),
    triggeredAt: parseDate(request.headers.get("x-shopify-triggered-at")),
  };
  const log = { shop: shop.domain, topic: handler.topic, deliveryId: webhookId };
  return trackDelivery(async (applyNow) => {
    if (!applyNow && !shop.uninstalled && handler.deferrable) {
      return deliveryResponse(log, async () => {
        const { duplicate } = await recordDelivery(prisma, { ...delivery, payload });
        if (duplicate) return { duplicate: true };
        wakeInbox();
        return { duplicate: false, outcome: { status: "ACCEPTED" } };
      });
    }
    let outcome: DeliveryOutcome | null = null;
    const response = await deliveryResponse(log, () =>
      applyDeliveryOnce(prisma, {
        ...delivery,
        apply: async (tx) => {
          if (shop.uninstalled && !handler.runAfterUninstall)
            return { status: "IGNORED" as const, note: "app uninstalled" };
          outcome = await handler.apply(tx, shop, input, { webhookId });
          return outcome;
        },
      }),
    );
    // After the commit: balances and tiers may have moved, so Shopify's copy is due, and
    // codes granted (the order ladder) are created in Shopify now rather than at the sweep.
    if (response.status === 200 && outcome && !shop.uninstalled) afterDeliveryCommitted(shop.id, outcome);
    return response;
  });
}

function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}
