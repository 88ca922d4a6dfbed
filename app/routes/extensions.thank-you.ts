import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { inTransaction } from "../loyalty/db";
import { loadShopContext } from "../loyalty/shop-context";
import { joinFromThankYou, recordThankYouEvent, thankYouView, type ThankYouView } from "../loyalty/thank-you";
import { requestShopifySync } from "../platform/jobs.server";
import { hitRateLimit } from "../platform/rate-limit.server";
import { adminClientForShop } from "../shopify/admin-api.server";
import { shopFromTokenDest } from "../shopify/ids";
import { confirmationMatches, fetchThankYouOrder, orderIdFromExtension, type FetchedOrder } from "../shopify/thank-you.server";
import { authenticate } from "../shopify.server";

/**
 * The Thank-you page block's backend.
 *   GET  /extensions/thank-you?order=<orderConfirmation.order.id>&first=0|1  → what to show
 *   POST /extensions/thank-you { order, event: "join" | "join_clicked" }      → one-tap join
 * Authenticated with the checkout session token (authenticate.public.checkout, which also
 * answers CORS preflights). The order is read from the Admin API, never from the browser.
 */

// The block belongs to the moment after checkout; older orders are not served, so a
// session token cannot be used to browse other customers' orders.
const FRESH_MS = 72 * 3600 * 1000;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "private, no-store" } });
}

type Checkout = Awaited<ReturnType<typeof authenticate.public.checkout>>;

/** Per minute. A Thank-you page asks a few times (the block retries while the order is new). */
export const THANK_YOU_LIMITS = { perToken: 30, perShop: 1200 } as const;

async function thankYouRateLimited(shopId: string, token: Checkout["sessionToken"]): Promise<Response | null> {
  const tokenKey = typeof token.jti === "string" && token.jti ? token.jti : `${token.iat}:${token.sub ?? ""}`;
  for (const [key, limit] of [
    [`thank-you:token:${shopId}:${tokenKey}`, THANK_YOU_LIMITS.perToken],
    [`thank-you:shop:${shopId}`, THANK_YOU_LIMITS.perShop],
  ] as const) {
    const rate = await hitRateLimit(prisma, key, limit, 60);
    if (!rate.allowed) {
      return new Response(JSON.stringify({ error: "rate_limited", message: "Too many requests; try again shortly" }), {
        status: 429,
        headers: { "Content-Type": "application/json", "Retry-After": String(rate.retryAfterSeconds) },
      });
    }
  }
  return null;
}

/**
 * Without a signed-in buyer, only this order's points show, never the account's balance:
 * Shopify attaches a guest checkout to the existing customer with that email, so the
 * person on the page may not be the account's owner. A guest is told which email the
 * account needs: the confirmation number, required before anything is shown, proved the
 * page is theirs.
 */
function present(view: ThankYouView, buyer: string | null, order: FetchedOrder) {
  if (view.state === "member" && !buyer) return { ...view, balance: null, next: null };
  if (view.state === "guest") return { ...view, email: order.email };
  return view;
}

async function context({ sessionToken, cors }: Checkout, orderParam: string | null, numberParam: string | null) {
  const domain = shopFromTokenDest(sessionToken.dest);
  const shop = domain ? await loadShopContext(prisma, { domain }) : null;
  // A token for a shop that never installed the app, or uninstalled it.
  if (!shop || shop.uninstalled) return { error: cors(json(401, { error: "unknown_shop" })) };
  // Each call spends the shop's Admin API budget: a budget per token, and one per shop.
  const limited = await thankYouRateLimited(shop.id, sessionToken);
  if (limited) return { error: cors(limited) };
  const orderId = orderIdFromExtension(orderParam ?? "");
  if (!orderId) return { error: cors(json(400, { error: "bad_order_id", message: "Send the order id from orderConfirmation" })) };
  const admin = await adminClientForShop(prisma, shop.domain);
  if (!admin) return { error: cors(json(401, { error: "not_installed" })) };
  const order = await fetchThankYouOrder(admin, orderId);
  // Not found yet is normal for a few seconds after checkout (the block asks again);
  // an old order is final, with its own code so the block does not.
  if (!order) return { error: cors(json(404, { error: "order_not_found" })) };
  if (Date.now() - order.createdAt.getTime() > FRESH_MS) return { error: cors(json(404, { error: "order_too_old" })) };
  // A signed-in buyer's token names them: it must be this order's customer.
  const buyer = typeof sessionToken.sub === "string" && sessionToken.sub ? sessionToken.sub : null;
  if (buyer && buyer !== order.customerGid) return { error: cors(json(403, { error: "not_your_order" })) };
  if (!confirmationMatches(order, numberParam)) return { error: cors(json(403, { error: "not_your_order" })) };
  return { shop, order, cors, buyer };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const found = await context(await authenticate.public.checkout(request), url.searchParams.get("order"), url.searchParams.get("number"));
  if ("error" in found) return found.error;
  const { shop, order, cors, buyer } = found;
  const view = await thankYouView(prisma, shop, order, url.searchParams.get("first") === "1");
  if (view.state === "off") return cors(json(200, view));
  await recordThankYouEvent(prisma, shop.id, "viewed", order.id);
  return cors(json(200, present(view, buyer, order)));
};

const body = z.object({ order: z.string().max(100), number: z.string().max(64).optional(), event: z.enum(["join", "join_clicked"]) });

export const action = async ({ request }: ActionFunctionArgs) => {
  // Preflight OPTIONS requests are answered inside authenticate (CORS).
  const checkout = await authenticate.public.checkout(request);
  if (request.method !== "POST") return checkout.cors(json(405, { error: "method_not_allowed" }));
  let input: z.infer<typeof body>;
  try {
    const parsed = body.safeParse(JSON.parse(await request.text()));
    if (!parsed.success) return checkout.cors(json(400, { error: "invalid_request", message: 'Send { order, event: "join" | "join_clicked" }' }));
    input = parsed.data;
  } catch {
    return checkout.cors(json(400, { error: "malformed_json" }));
  }
  const found = await context(checkout, input.order, input.number ?? null);
  if ("error" in found) return found.error;
  const { shop, order, cors, buyer } = found;
  if (input.event === "join_clicked") {
    await recordThankYouEvent(prisma, shop.id, "joinClicked", order.id);
    return cors(json(200, { recorded: true }));
  }
  if (!shop.live) return cors(json(409, { error: "program_not_live" }));
  if (!order.customerId) return cors(json(409, { error: "guest_order", message: "Create an account to join" }));
  const existing = await prisma.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId: order.customerId } } });
  if (existing && existing.status !== "ACTIVE") return cors(json(403, { error: "not_eligible" }));
  const { created } = await inTransaction(prisma, (tx) => joinFromThankYou(tx, shop, order));
  const member = await prisma.member.findUniqueOrThrow({ where: { shopId_customerId: { shopId: shop.id, customerId: order.customerId } } });
  await recordThankYouEvent(prisma, shop.id, "joined", order.id, member.id);
  void requestShopifySync(shop.id);
  return cors(json(created ? 201 : 200, present(await thankYouView(prisma, shop, order, false), buyer, order)));
};
