import { createHmac, randomUUID } from "node:crypto";
import type { Provider } from "./providers";

/**
 * A review app's webhook as that app sends it: its payload shape and its signature (see
 * providers.ts for each vendor's documented scheme). The admin's "send a test event"
 * uses it to prove the URL and secret work end to end, the demo to send a review, and
 * the tests to play the vendor.
 */

export interface OutboundReview {
  id: string;
  email: string;
  productId: string;
  rating: number;
  hasPhoto: boolean;
}

/** Review ids starting with this are test events: verified and recorded as such, never credited. */
export const TEST_REVIEW_PREFIX = "comeback-test-";

function payload(provider: Provider, review: OutboundReview): unknown {
  switch (provider) {
    // Judge.me's review/created webhook body (judge.me/api/docs#webhooks): { review: {...} }.
    case "judgeme":
      return {
        review: {
          id: review.id,
          rating: review.rating,
          product_external_id: Number(review.productId),
          reviewer: { email: review.email },
          pictures: review.hasPhoto ? [{ urls: { original: "https://judge.me/example.jpg" } }] : [],
        },
      };
    // Yotpo's review webhook: { event, data: {...} }.
    case "yotpo":
      return {
        event: "review_create",
        data: {
          id: review.id,
          score: review.rating,
          customer_email: review.email,
          external_product_id: review.productId,
          images_data: review.hasPhoto ? [{ image_url: "https://yotpo.com/example.jpg" }] : [],
        },
      };
    // Okendo's review.created webhook (Svix): { resource: {...} }.
    case "okendo":
      return {
        resource: {
          reviewId: review.id,
          productId: `shopify-${review.productId}`,
          rating: review.rating,
          reviewer: { email: review.email },
          media: review.hasPhoto ? [{ type: "image", isHidden: false }] : [],
        },
      };
    // Stamped's review webhook.
    case "stamped":
      return {
        id: review.id,
        customerEmail: review.email,
        reviewRating: review.rating,
        productId: review.productId,
        reviewUserPhotos: review.hasPhoto ? "https://stamped.io/example.jpg" : "",
      };
    case "generic":
      return {
        id: review.id,
        email: review.email,
        product_id: review.productId,
        rating: review.rating,
        has_photo: review.hasPhoto,
      };
  }
}

/** The URL the merchant pastes into the review app (Yotpo's carries the secret as a token). */
export function reviewWebhookUrl(appUrl: string, provider: Provider, shopDomain: string, secret?: string): string {
  const url = new URL(`/webhooks/reviews/${provider}`, appUrl);
  url.searchParams.set("shop", shopDomain);
  if (provider === "yotpo") url.searchParams.set("token", secret ?? "<token>");
  return url.toString();
}

/** The request the review app would send for `review`, signed with `secret`. */
export function signedReviewRequest(
  provider: Provider,
  secret: string,
  review: OutboundReview,
  target: { appUrl: string; shopDomain: string },
  now = new Date(),
): { url: string; init: RequestInit } {
  const body = JSON.stringify(payload(provider, review));
  const headers: Record<string, string> = { "content-type": "application/json" };
  const seconds = Math.floor(now.getTime() / 1000).toString();
  switch (provider) {
    case "judgeme":
      headers["JUDGEME-HMAC-SHA256"] = createHmac("sha256", secret).update(body).digest("hex");
      break;
    case "okendo": {
      const id = `msg_${randomUUID().replaceAll("-", "")}`;
      const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
      headers["svix-id"] = id;
      headers["svix-timestamp"] = seconds;
      headers["svix-signature"] = `v1,${createHmac("sha256", key).update(`${id}.${seconds}.${body}`).digest("base64")}`;
      break;
    }
    case "stamped":
      headers["X-Stamped-Webhook-Secret"] = secret;
      break;
    case "generic":
      headers["X-Comeback-Signature"] =
        `t=${seconds},v1=${createHmac("sha256", secret).update(`${seconds}.${body}`).digest("hex")}`;
      break;
    case "yotpo":
      break;
  }
  return {
    url: reviewWebhookUrl(target.appUrl, provider, target.shopDomain, secret),
    init: { method: "POST", headers, body },
  };
}
