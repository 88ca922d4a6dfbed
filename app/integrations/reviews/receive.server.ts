import prisma from "../../db.server";
import { recordReview } from "../../services/reviews";
import { loadShopContext } from "../../services/shop-context";
import { deliveryResponse } from "../../http/deliveries";
import { jsonResponse } from "../../http/responses";
import { applyDeliveryOnce } from "../../services/deliveries";
import { isShopDomain } from "../../shopify/ids";
import { PROVIDERS, ReviewPayloadError, parseReview, verify, type Provider } from "./providers";
import { TEST_REVIEW_PREFIX } from "./outbound";

/**
 * POST /webhooks/reviews/<provider>?shop=<shop>.myshopify.com
 *
 * The merchant copies this URL (with their shop) into the review app's webhook settings
 * and stores the app's secret in Comeback. Unknown providers and shops answer 404, a bad
 * signature 401, an unusable payload 422; nothing is written in any of those cases.
 */
export async function receiveReviewWebhook(request: Request, providerParam: string | undefined): Promise<Response> {
  if (request.method !== "POST") return jsonResponse({ error: "method_not_allowed" }, 405);
  const provider = PROVIDERS.find((p) => p === providerParam) as Provider | undefined;
  if (!provider) return jsonResponse({ error: "unknown_provider", message: `Supported: ${PROVIDERS.join(", ")}` }, 404);

  const url = new URL(request.url);
  const domain = url.searchParams.get("shop")?.toLowerCase() ?? "";
  if (!isShopDomain(domain)) {
    return jsonResponse(
      { error: "missing_shop", message: "Add ?shop=<your-shop>.myshopify.com to the webhook URL" },
      400,
    );
  }
  const rawBody = await request.text();

  const shop = await loadShopContext(prisma, { domain });
  const config = shop
    ? await prisma.reviewProviderConfig.findUnique({ where: { shopId_provider: { shopId: shop.id, provider } } })
    : null;
  // One answer for "no such shop" and "provider not set up", so the endpoint does not
  // reveal which shops use Comeback.
  if (!shop || !config?.enabled)
    return jsonResponse({ error: "not_configured", message: `${provider} is not set up for this shop` }, 404);

  const verification = verify(provider, { rawBody, headers: request.headers, url, now: new Date() }, config.secret);
  if (!verification.ok) return jsonResponse({ error: "invalid_signature", message: verification.reason }, 401);

  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return jsonResponse({ error: "malformed_json", message: "Body is not valid JSON" }, 400);
  }
  let review;
  try {
    review = parseReview(provider, payload);
  } catch (error) {
    if (error instanceof ReviewPayloadError)
      return jsonResponse({ error: "invalid_payload", issues: error.issues }, 422);
    throw error;
  }

  // Retries reuse the review id (and Svix's message id); either identifies the delivery.
  const deliveryId = `${provider}:${verification.deliveryId ?? review.externalId}`;
  const topic = `reviews/${provider}`;
  return deliveryResponse({ shop: shop.domain, topic, deliveryId }, () =>
    applyDeliveryOnce(prisma, {
      shop,
      topic,
      deliveryId,
      apply: async (tx) => {
        if (shop.uninstalled) return { status: "IGNORED", note: "app uninstalled" };
        // The admin's "send a test event": verified like any other, credited to no one.
        if (review.externalId.startsWith(TEST_REVIEW_PREFIX)) return { status: "IGNORED", note: "test event" };
        const outcome = await recordReview(tx, shop, review);
        return { status: outcome === "credited" || outcome === "held" ? "PROCESSED" : "IGNORED", note: outcome };
      },
    }),
  );
}
