import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { RedemptionError, reserveRedemption } from "../loyalty/rewards";
import { adminClientForRequest } from "../shopify/admin-api.server";
import { authenticateProxy, proxyJson } from "../shopify/app-proxy.server";
import { issueRedemption } from "../shopify/redemption.server";
import { requestShopifySync } from "../platform/jobs.server";

const body = z.object({ rewardId: z.string().uuid() });

/**
 * POST /proxy/redeem { rewardId } → 201 { code, … } once Shopify has the discount;
 * 202 { status: "pending" } if Shopify is slow (a job finishes it or returns the
 * points); 409 when the balance does not cover it; 502 when Shopify refuses (points
 * returned).
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return proxyJson(405, { error: "method_not_allowed" });
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId, admin: authenticatedAdmin } = context;
  if (!customerId) return proxyJson(401, { error: "login_required", message: "Sign in to redeem rewards" });

  let input: z.infer<typeof body>;
  try {
    const parsed = body.safeParse(JSON.parse(await request.text()));
    if (!parsed.success) return proxyJson(400, { error: "invalid_request", message: "Send { rewardId } with a reward id" });
    input = parsed.data;
  } catch {
    return proxyJson(400, { error: "malformed_json", message: "Body is not valid JSON" });
  }

  let redemption;
  try {
    redemption = await reserveRedemption(prisma, shop, { customerId, rewardId: input.rewardId });
  } catch (error) {
    if (error instanceof RedemptionError) return proxyJson(error.status, { error: error.code, message: error.message });
    throw error;
  }

  const admin = await adminClientForRequest(prisma, shop.domain, authenticatedAdmin, { attempts: 3, timeoutMs: 4000 });
  const issued = (await issueRedemption(prisma, redemption.id, admin)) ?? redemption;
  // The balance moved: Shopify's copy (metafields) is due.
  void requestShopifySync(redemption.shopId);
  const member = await prisma.member.findUniqueOrThrow({ where: { id: redemption.memberId }, select: { balance: true } });
  const summary = {
    redemptionId: issued.id,
    status: issued.status.toLowerCase(),
    code: issued.status === "ISSUED" ? issued.code : null,
    endsAt: issued.endsAt?.toISOString() ?? null,
    pointsSpent: issued.pointsSpent,
    balance: member.balance,
  };
  if (issued.status === "ISSUED") return proxyJson(201, summary);
  if (issued.status === "FAILED") {
    return proxyJson(502, { ...summary, error: "shopify_rejected", message: "The reward could not be issued; your points are back" });
  }
  return proxyJson(202, { ...summary, message: "Your reward is being prepared" });
};
