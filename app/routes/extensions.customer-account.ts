import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { errorResponse, privateJson, readJsonBody, PRIVATE } from "../http/responses";
import { orderPoints } from "../services/account-view";
import { storefrontView } from "../services/member-view";
import { authenticateCustomerAccount } from "../shopify/customer-account.server";
import { parseGid } from "../shopify/ids";
import { actionBody, shopperAction, shopperHistory, shopperJoin, shopperRedeem } from "../shopify/shopper-api.server";

/**
 * The customer-account extension's backend (extensions/comeback-customer-account).
 *   GET  ?locale=ru                         the program and the member, as the widget gets them, and the expiry date
 *   GET  ?view=history&cursor=&locale=      the member's ledger, a page at a time
 *   GET  ?view=order&order=<Order GID>      what that order of the customer earned
 *   POST { action: "join" }                 one-tap join
 *   POST { action: "redeem", rewardId }     a reward, as in the widget
 *   POST { action: "birthday" | "social_follow" | "birthday_gift" | …, … }   as /proxy/actions
 * The customer is the session token's `sub`; a bad, forged or expired token gets 401.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticateCustomerAccount(request);
  if (!auth.ok) return auth.response;
  const { context, cors } = auth;
  const { shop, customerId } = context;
  const url = new URL(request.url);
  const view = url.searchParams.get("view");
  if (view === "history") return cors(await shopperHistory(context, url));
  if (view === "order") {
    const orderId = parseGid(url.searchParams.get("order") ?? "", "Order");
    if (!orderId) return cors(errorResponse(400, "bad_order", "order is an Order GID", {}, PRIVATE));
    return cors(privateJson(await orderPoints(prisma, shop, customerId, orderId)));
  }
  if (view !== null) return cors(errorResponse(400, "bad_view", "view is history or order", {}, PRIVATE));
  const locale = url.searchParams.get("locale");
  const standing = await storefrontView(prisma, shop, customerId, locale);
  return cors(privateJson({ ...standing, live: shop.live, expiresAt: standing.member?.expiresAt ?? null }));
};

const body = z.union([
  z.object({ action: z.literal("join") }),
  z.object({ action: z.literal("redeem"), rewardId: z.string().uuid() }),
  actionBody,
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  // Preflight OPTIONS requests are answered inside authenticate (CORS).
  const auth = await authenticateCustomerAccount(request);
  if (!auth.ok) return auth.response;
  const { context, cors } = auth;
  if (request.method !== "POST") return cors(errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE));
  const input = await readJsonBody(request, body, { headers: PRIVATE });
  if (!input.ok) return cors(input.response);
  const data = input.data;
  const locale = new URL(request.url).searchParams.get("locale");
  if (data.action === "join") return cors(await shopperJoin(context, locale));
  if (data.action === "redeem") return cors(await shopperRedeem(context, data.rewardId));
  return cors(await shopperAction(context, data));
};
