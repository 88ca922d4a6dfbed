import { createHmac, randomUUID } from "node:crypto";

export const TEST_SECRET = "test-api-secret";

/** What the storefront widget sends with its App Proxy writes. */
export const JSON_BODY = { "Content-Type": "application/json" };

/** Signs a body exactly as Shopify signs webhooks: base64 HMAC-SHA256 of the raw bytes. */
export function signWebhook(body: string, secret = TEST_SECRET): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface WebhookDelivery {
  topic: string;
  shop: string;
  body: string;
  webhookId?: string;
  secret?: string;
  headers?: Record<string, string | null>;
}

export function webhookHeaders(delivery: WebhookDelivery): Record<string, string> {
  const headers: Record<string, string | null> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Hmac-Sha256": signWebhook(delivery.body, delivery.secret),
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Event-Id": randomUUID(),
    ...delivery.headers,
  };
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null));
}

export async function postWebhook(baseUrl: string, delivery: WebhookDelivery): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/${delivery.topic}`, {
    method: "POST",
    headers: webhookHeaders(delivery),
    body: delivery.body,
  });
}

/**
 * Signs App Proxy query parameters as Shopify does: HMAC-SHA256 (hex) of the sorted
 * "key=value" pairs concatenated with no separator, values of repeated keys joined by ",".
 */
export function signProxyQuery(params: Record<string, string>, secret = TEST_SECRET): URLSearchParams {
  const message = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  return new URLSearchParams({ ...params, signature });
}

/**
 * Signs a query with repeated keys the way Shopify's App Proxy does (and
 * @shopify/shopify-api's hmac-validator checks it): a repeated key's values are joined
 * with "," in the signed string. Source: shopify-api lib/utils/hmac-validator.ts and its
 * test "signator is appProxy" (repeated consentGiven parameter).
 */
export function signProxyPairs(pairs: Array<[string, string]>, secret = TEST_SECRET): URLSearchParams {
  const joined = new Map<string, string[]>();
  for (const [key, value] of pairs) joined.set(key, [...(joined.get(key) ?? []), value]);
  const message = [...joined.keys()]
    .sort((a, b) => a.localeCompare(b))
    .map((key) => `${key}=${joined.get(key)!.join(",")}`)
    .join("");
  const query = new URLSearchParams(pairs);
  query.append("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return query;
}

export function proxyUrl(
  baseUrl: string,
  path: string,
  options: { shop: string; customerId?: string | number | null; timestamp?: number; extra?: Record<string, string> },
): string {
  const params = signProxyQuery({
    shop: options.shop,
    logged_in_customer_id:
      options.customerId === null || options.customerId === undefined ? "" : String(options.customerId),
    path_prefix: "/apps/comeback",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    ...options.extra,
  });
  return `${baseUrl}/proxy/${path}?${params.toString()}`;
}
