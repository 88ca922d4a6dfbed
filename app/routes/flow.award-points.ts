import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { errorResponse, jsonResponse } from "../http/responses";
import { awardFromFlow } from "../services/admin/members";
import { loadShopContext } from "../services/shop-context";
import { requestShopifySync } from "../shopify/customer-sync.server";
import { authenticate } from "../shopify.server";

/**
 * POST /flow/award-points: the runtime URL of the "Award loyalty points" Flow action
 * (extensions/flow-award-points). authenticate.flow checks Shopify's HMAC of the body and
 * finds the shop's offline session; the action run id keys the ledger entry, so Flow's
 * retries credit once. Answers 200 with the new balance, 404 for a customer who is not a
 * member, 422 for bad properties (Flow shows the message in the workflow's run log).
 */
const properties = z.object({
  customer_id: z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]).transform((v) => BigInt(v)),
  points: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d+$/)
        .transform(Number),
    ])
    .pipe(
      z
        .number()
        .int()
        .min(-1_000_000)
        .max(1_000_000)
        .refine((n) => n !== 0, "must not be 0"),
    ),
  reason: z.string().trim().min(1).max(200),
});
const body = z.object({
  action_run_id: z.string().min(1).max(200),
  shopify_domain: z.string(),
  properties: properties,
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, session } = await authenticate.flow(request);
  const parsed = body.safeParse(payload);
  if (!parsed.success)
    return errorResponse(
      422,
      "invalid_properties",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  const shop = await loadShopContext(prisma, { domain: session.shop });
  if (!shop || shop.uninstalled) return errorResponse(404, "unknown_shop", "The shop has not installed Comeback");
  const { customer_id: customerId, points, reason } = parsed.data.properties;
  const result = await awardFromFlow(prisma, shop, { customerId, points, reason, runId: parsed.data.action_run_id });
  if (!result.ok) return errorResponse(result.status, result.error, result.message);
  if (result.created) void requestShopifySync(shop.id);
  return jsonResponse({ ok: true, balance: result.balance });
};
