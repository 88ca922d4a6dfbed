import { InvalidInputError } from "../../domain/errors";
import { describeIssues, normalizeEmail } from "../../domain/validation";
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { ReviewInput } from "../../services/reviews";

/**
 * Review apps' webhooks, each verified the way its vendor documents:
 *
 * - Judge.me: `JUDGEME-HMAC-SHA256`, hex HMAC-SHA256 of the raw body, keyed with the
 *   private API token (or the OAuth app secret) that created the webhook.
 * - Okendo: Svix signatures: `svix-id`, `svix-timestamp`, `svix-signature` ("v1,<base64>"
 *   entries), HMAC-SHA256 of "id.timestamp.body" keyed with the base64 secret after
 *   "whsec_", within 5 minutes.
 * - Stamped: no body signature; the `X-Stamped-Webhook-Secret` header carries the secret
 *   set in Stamped's webhook settings.
 * - Yotpo: Yotpo documents no signature, so the webhook URL carries a secret token
 *   (`token=` query parameter) that only Yotpo and the merchant know.
 * - Generic (any other app, or the merchant's own code): `X-Comeback-Signature:
 *   t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, within 5 minutes, Stripe-style.
 *
 * Secrets are per shop and per provider (ReviewProviderConfig); all comparisons are in
 * constant time.
 */

import { REVIEW_PROVIDERS, type ReviewProvider } from "../../domain/program-catalog";

export const PROVIDERS = REVIEW_PROVIDERS;
export type Provider = ReviewProvider;

export const TOLERANCE_SECONDS = 5 * 60;

export interface SignedRequest {
  rawBody: string;
  headers: Headers;
  url: URL;
  now: Date;
}

export type Verification = { ok: true; deliveryId: string | null } | { ok: false; reason: string };

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function hmac(key: string | Buffer, data: string, encoding: "hex" | "base64"): string {
  return createHmac("sha256", key).update(data, "utf8").digest(encoding);
}

function fresh(timestamp: string | null, now: Date): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= TOLERANCE_SECONDS;
}

export function verify(provider: Provider, request: SignedRequest, secret: string): Verification {
  const { headers, rawBody, now } = request;
  switch (provider) {
    case "judgeme": {
      const signature = headers.get("judgeme-hmac-sha256");
      if (!signature) return { ok: false, reason: "missing JUDGEME-HMAC-SHA256 header" };
      return safeEqual(signature.toLowerCase(), hmac(secret, rawBody, "hex"))
        ? { ok: true, deliveryId: null }
        : { ok: false, reason: "signature mismatch" };
    }
    case "okendo": {
      const id = headers.get("svix-id");
      const timestamp = headers.get("svix-timestamp");
      const signatures = headers.get("svix-signature");
      if (!id || !timestamp || !signatures)
        return { ok: false, reason: "missing svix-id, svix-timestamp or svix-signature" };
      if (!fresh(timestamp, now)) return { ok: false, reason: "timestamp outside the 5 minute tolerance" };
      const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
      const expected = hmac(key, `${id}.${timestamp}.${rawBody}`, "base64");
      const match = signatures
        .split(" ")
        .map((entry) => entry.split(","))
        .some(([version, value]) => version === "v1" && value !== undefined && safeEqual(value, expected));
      return match ? { ok: true, deliveryId: id } : { ok: false, reason: "signature mismatch" };
    }
    case "stamped": {
      const given = headers.get("x-stamped-webhook-secret");
      if (!given) return { ok: false, reason: "missing X-Stamped-Webhook-Secret header" };
      return safeEqual(given, secret) ? { ok: true, deliveryId: null } : { ok: false, reason: "secret mismatch" };
    }
    case "yotpo": {
      const token = request.url.searchParams.get("token");
      if (!token) return { ok: false, reason: "missing token query parameter" };
      return safeEqual(token, secret) ? { ok: true, deliveryId: null } : { ok: false, reason: "token mismatch" };
    }
    case "generic": {
      const header = headers.get("x-comeback-signature");
      if (!header) return { ok: false, reason: "missing X-Comeback-Signature header" };
      const parts = Object.fromEntries(header.split(",").map((part) => part.trim().split("=", 2) as [string, string]));
      if (!fresh(parts.t ?? null, now)) return { ok: false, reason: "timestamp outside the 5 minute tolerance" };
      const expected = hmac(secret, `${parts.t}.${rawBody}`, "hex");
      return parts.v1 && safeEqual(parts.v1, expected)
        ? { ok: true, deliveryId: null }
        : { ok: false, reason: "signature mismatch" };
    }
  }
}

const idLike = z.union([z.string().min(1).max(100), z.number().int()]).transform(String);
const email = z.string().max(320).nullish();
// Stars, 0 to 5. Some apps send halves (4.5); we keep whole stars, as the Review table does.
const rating = z.coerce.number().min(0).max(5).transform(Math.round).nullish();

/** A Shopify product id from "123", 123, "gid://shopify/Product/123" or "shopify-123". */
function productId(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const match = /(\d{1,20})$/.exec(String(value));
  return match ? match[1]! : null;
}

const schemas = {
  judgeme: z.object({
    review: z.object({
      id: idLike,
      rating,
      product_external_id: z.union([z.string(), z.number()]).nullish(),
      reviewer: z.object({ email }).passthrough().nullish(),
      pictures: z.array(z.unknown()).nullish(),
      has_published_pictures: z.boolean().nullish(),
    }),
  }),
  yotpo: z.object({
    event: z.string().nullish(),
    data: z.object({
      id: idLike,
      score: rating,
      customer_email: email,
      external_product_id: z.union([z.string(), z.number()]).nullish(),
      product_id: z.union([z.string(), z.number()]).nullish(),
      images_data: z.array(z.unknown()).nullish(),
    }),
  }),
  okendo: z.object({
    resource: z.object({
      reviewId: idLike,
      productId: z.union([z.string(), z.number()]).nullish(),
      rating,
      reviewer: z.object({ email }).passthrough().nullish(),
      media: z.array(z.object({ type: z.string().nullish(), isHidden: z.boolean().nullish() }).passthrough()).nullish(),
    }),
  }),
  stamped: z.object({
    id: idLike,
    customerEmail: email,
    reviewRating: rating,
    productId: z.union([z.string(), z.number()]).nullish(),
    reviewUserPhotos: z.union([z.string(), z.array(z.unknown())]).nullish(),
  }),
  generic: z.object({
    id: idLike,
    email,
    product_id: z.union([z.string(), z.number()]).nullish(),
    rating,
    has_photo: z.boolean().nullish(),
  }),
};

export class ReviewPayloadError extends InvalidInputError {
  override name = "ReviewPayloadError";
  constructor(issues: string[]) {
    super("invalid review payload", issues);
  }
}

export function parseReview(provider: Provider, payload: unknown): ReviewInput {
  const result = schemas[provider].safeParse(payload);
  if (!result.success) {
    throw new ReviewPayloadError(describeIssues(result.error));
  }
  const body = result.data as never;
  switch (provider) {
    case "judgeme": {
      const { review } = body as z.infer<typeof schemas.judgeme>;
      return {
        provider,
        externalId: review.id,
        email: normalizeEmail(review.reviewer?.email),
        productId: productId(review.product_external_id),
        rating: review.rating ?? null,
        hasPhoto: Boolean(review.has_published_pictures) || (review.pictures?.length ?? 0) > 0,
      };
    }
    case "yotpo": {
      const { data } = body as z.infer<typeof schemas.yotpo>;
      return {
        provider,
        externalId: data.id,
        email: normalizeEmail(data.customer_email),
        productId: productId(data.external_product_id ?? data.product_id),
        rating: data.score ?? null,
        hasPhoto: (data.images_data?.length ?? 0) > 0,
      };
    }
    case "okendo": {
      const { resource } = body as z.infer<typeof schemas.okendo>;
      return {
        provider,
        externalId: resource.reviewId,
        email: normalizeEmail(resource.reviewer?.email),
        productId: productId(resource.productId),
        rating: resource.rating ?? null,
        hasPhoto: (resource.media ?? []).some((m) => m.type === "image" && !m.isHidden),
      };
    }
    case "stamped": {
      const review = body as z.infer<typeof schemas.stamped>;
      const photos = review.reviewUserPhotos;
      return {
        provider,
        externalId: review.id,
        email: normalizeEmail(review.customerEmail),
        productId: productId(review.productId),
        rating: review.reviewRating ?? null,
        hasPhoto: Array.isArray(photos) ? photos.length > 0 : Boolean(photos && photos.trim()),
      };
    }
    case "generic": {
      const review = body as z.infer<typeof schemas.generic>;
      return {
        provider,
        externalId: review.id,
        email: normalizeEmail(review.email),
        productId: productId(review.product_id),
        rating: review.rating ?? null,
        hasPhoto: Boolean(review.has_photo),
      };
    }
  }
}
