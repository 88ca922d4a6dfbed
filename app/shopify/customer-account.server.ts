import prisma from "../db.server";
import { errorResponse, PRIVATE } from "../http/responses";
import { hitRateLimit } from "../platform/rate-limit.server";
import { loadShopContext } from "../services/shop-context";
import { authenticate } from "../shopify.server";
import { parseGid, shopFromTokenDest } from "./ids";
import type { ShopperContext } from "./shopper-api.server";

/**
 * Requests from Comeback's customer-account extension (the Rewards page, the profile and
 * order-status blocks). `authenticate.public.customerAccount` checks the session token
 * (signature, expiry) and answers CORS preflights; the shop is the token's `dest` and the
 * customer its `sub` (gid://shopify/Customer/<id>), never anything the request says.
 * Customer accounts are signed in, so a token without a customer is refused.
 */

/** Per customer, per minute: the page asks a few times on open, a shopper taps a few times. */
export const ACCOUNT_LIMITS = { read: 120, write: 30 } as const;

export type AccountAuth =
  | { ok: true; context: ShopperContext & { customerId: bigint }; cors: (response: Response) => Response }
  | { ok: false; response: Response };

export async function authenticateCustomerAccount(request: Request): Promise<AccountAuth> {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  const refuse = (status: number, error: string, message: string, headers: HeadersInit = PRIVATE) => ({
    ok: false as const,
    response: cors(errorResponse(status, error, message, {}, headers)),
  });
  const domain = shopFromTokenDest(sessionToken.dest);
  const shop = domain ? await loadShopContext(prisma, { domain }) : null;
  if (!shop || shop.uninstalled) return refuse(401, "unknown_shop", "This shop does not use Comeback");
  const customerId = typeof sessionToken.sub === "string" ? parseGid(sessionToken.sub, "Customer") : null;
  if (!customerId) return refuse(401, "login_required", "Sign in to your account first");
  const kind = request.method === "GET" ? "read" : "write";
  const rate = await hitRateLimit(prisma, `account:${kind}:${shop.id}:${customerId}`, ACCOUNT_LIMITS[kind], 60);
  if (!rate.allowed)
    return refuse(429, "rate_limited", "Too many requests; try again shortly", {
      ...PRIVATE,
      "Retry-After": String(rate.retryAfterSeconds),
    });
  return { ok: true, context: { shop, customerId, via: "account" }, cors };
}
