import prisma from "../db.server";
import { loadShopContext, type ShopContext } from "../services/shop-context";
import { errorResponse, jsonResponse, PRIVATE } from "../http/responses";
import { logger } from "../platform/logger.server";
import { clientAddress } from "../platform/client-address";
import { hitRateLimit } from "../platform/rate-limit.server";
import type { AuthenticatedAdmin } from "./admin-api.server";
import { parseDbId } from "./ids";
import { authenticate } from "../shopify.server";

/**
 * Requests from the storefront through Shopify's App Proxy
 * (`/apps/comeback/*` on the shop's domain → `/proxy/*` here).
 *
 * Shopify signs the query string (HMAC-SHA256 with the app secret) and adds `shop`,
 * `logged_in_customer_id` (empty for guests), `path_prefix` and `timestamp`. The
 * signature is checked by `authenticate.public.appProxy`, which also refuses stale
 * timestamps. The customer comes only from that signed query, never from the body.
 */

export interface ProxyContext {
  shop: ShopContext;
  /** The Admin client authentication provides (absent without an offline session). */
  admin: AuthenticatedAdmin | undefined;
  customerId: bigint | null;
  pathPrefix: string;
}

/** Per-customer budgets (per shop and client address for guests), per minute. */
export const PROXY_LIMITS = { read: 300, write: 60 } as const;

/**
 * Shopify signs a repeated query key as one comma-joined value, so `id=A&id=B` (or a lone
 * `A,`) carries a valid signature for "A,B". The keys that say who and where must appear
 * exactly once with a plain value; only a guest's customer id may be empty.
 */
const SIGNED_ONCE = ["logged_in_customer_id", "path_prefix", "shop", "timestamp"] as const;

function ambiguousKey(url: URL): string | null {
  for (const key of SIGNED_ONCE) {
    const values = url.searchParams.getAll(key);
    const value = values[0] ?? "";
    if (values.length !== 1 || value.includes(",") || (value === "" && key !== "logged_in_customer_id")) return key;
  }
  return null;
}

/** Writes from the storefront are JSON; a cross-site HTML form can only send form types. */
function isJson(request: Request): boolean {
  return /^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "");
}

export async function authenticateProxy(
  request: Request,
  options: { forms?: boolean } = {},
): Promise<ProxyContext | Response> {
  const url = new URL(request.url);
  if (!url.searchParams.get("signature")) return jsonResponse({ error: "missing_signature" }, 401);
  const ambiguous = ambiguousKey(url);
  if (ambiguous) {
    return jsonResponse(
      { error: "ambiguous_parameter", message: `${ambiguous} must appear exactly once, with one value` },
      400,
    );
  }
  // Pages with a plain HTML form (the email preference page) accept form posts too.
  const form = options.forms && /^application\/x-www-form-urlencoded\b/.test(request.headers.get("content-type") ?? "");
  if (request.method !== "GET" && request.method !== "HEAD" && !isJson(request) && !form) {
    return jsonResponse({ error: "unsupported_media_type", message: "Send the body as application/json" }, 415);
  }
  let admin: AuthenticatedAdmin | undefined;
  try {
    admin = (await authenticate.public.appProxy(request)).admin;
  } catch (error) {
    if (error instanceof Response) return jsonResponse({ error: "invalid_signature" }, 401);
    // The library throws for a stale timestamp or a repeated parameter.
    logger.debug({ err: error instanceof Error ? error.message : String(error) }, "app proxy signature rejected");
    return jsonResponse({ error: "invalid_signature" }, 401);
  }
  const domain = url.searchParams.get("shop") ?? "";
  const shop = await loadShopContext(prisma, { domain });
  if (!shop || shop.uninstalled) return jsonResponse({ error: "unknown_shop" }, 404);
  const customerText = url.searchParams.get("logged_in_customer_id") ?? "";
  const customerId = customerText ? parseDbId(customerText) : null;
  if (customerText && customerId === null) return jsonResponse({ error: "bad_customer_id" }, 400);
  const kind = request.method === "GET" ? "read" : "write";
  const who = customerText ? `c:${customerText}` : `ip:${clientAddress(request)}`;
  const limit = customerText ? PROXY_LIMITS[kind] : PROXY_LIMITS[kind] * 5;
  const rate = await hitRateLimit(prisma, `proxy:${kind}:${shop.id}:${who}`, limit, 60);
  if (!rate.allowed) {
    return errorResponse(
      429,
      "rate_limited",
      "Too many requests; try again shortly",
      {},
      { ...PRIVATE, "Retry-After": String(rate.retryAfterSeconds) },
    );
  }
  return {
    shop,
    admin,
    customerId,
    // Signed by Shopify, and still checked: the storefront script will call this path.
    pathPrefix: /^\/(apps|a|community|tools)\/[A-Za-z0-9_-]{1,64}$/.test(url.searchParams.get("path_prefix") ?? "")
      ? url.searchParams.get("path_prefix")!
      : "/apps/comeback",
  };
}
