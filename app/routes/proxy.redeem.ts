import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { errorResponse, privateJson, readJsonBody, PRIVATE } from "../http/responses";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { redeemReward, redemptionSummary } from "../shopify/redemption.server";

const body = z.object({ rewardId: z.string().uuid() });

/**
 * POST /proxy/redeem { rewardId } → 201 { code, … } once Shopify has the discount (or
 * 201 { credited: { amountMinor, currency } } for store credit, which has no code);
 * 202 { status: "pending" } if Shopify is slow (a job finishes it or returns the
 * points); 409 when the balance does not cover it; 502 when Shopify refuses (points
 * returned).
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE);
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId, admin } = context;
  if (!customerId) return errorResponse(401, "login_required", "Sign in to redeem rewards", {}, PRIVATE);
  const input = await readJsonBody(request, body, { headers: PRIVATE });
  if (!input.ok) return input.response;

  const result = await redeemReward(prisma, shop, { customerId, rewardId: input.data.rewardId, admin });
  if (!result.ok) return errorResponse(result.error.status, result.error.code, result.error.message, {}, PRIVATE);
  const { redemption, balance } = result;
  const summary = { ...redemptionSummary(redemption), balance };
  if (redemption.status === "ISSUED") return privateJson(summary, 201);
  if (redemption.status === "FAILED") {
    return privateJson(
      { ...summary, error: "shopify_rejected", message: "The reward could not be issued; your points are back" },
      502,
    );
  }
  return privateJson({ ...summary, message: "Your reward is being prepared" }, 202);
};
