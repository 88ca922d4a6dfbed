import type { ActionFunctionArgs } from "@remix-run/node";
import { errorResponse, readJsonBody, PRIVATE } from "../http/responses";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { redeemBody, shopperRedeem } from "../shopify/shopper-api.server";

/** POST /proxy/redeem { rewardId }: see shopperRedeem for the answers. */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE);
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  if (!context.customerId) return errorResponse(401, "login_required", "Sign in to redeem rewards", {}, PRIVATE);
  const input = await readJsonBody(request, redeemBody, { headers: PRIVATE });
  if (!input.ok) return input.response;
  return shopperRedeem({ ...context, via: "widget" }, input.data.rewardId);
};
