import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { awardSocialFollow } from "../loyalty/actions";
import { inTransaction } from "../loyalty/db";
import { authenticateProxy, proxyJson } from "../shopify/app-proxy.server";

const body = z.discriminatedUnion("action", [
  z.object({ action: z.literal("social_follow"), network: z.string().regex(/^[a-z0-9_-]{1,32}$/) }),
  // Month and day only; the year is nobody's business. Stored once.
  z.object({ action: z.literal("birthday"), birthday: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/) }),
]);

/**
 * POST /proxy/actions: what a member tells us from the widget.
 *   { action: "social_follow", network: "instagram" }  points once per network
 *   { action: "birthday", birthday: "MM-DD" }          set once; points arrive on the day
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return proxyJson(405, { error: "method_not_allowed" });
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId } = context;
  if (!customerId) return proxyJson(401, { error: "login_required" });
  let input: z.infer<typeof body>;
  try {
    const parsed = body.safeParse(JSON.parse(await request.text()));
    if (!parsed.success) return proxyJson(400, { error: "invalid_request", issues: parsed.error.issues.map((i) => i.message) });
    input = parsed.data;
  } catch {
    return proxyJson(400, { error: "malformed_json" });
  }
  const member = await prisma.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
  if (!member || member.status !== "ACTIVE") return proxyJson(403, { error: "not_a_member" });

  if (input.action === "social_follow") {
    const awarded = await inTransaction(prisma, (tx) => awardSocialFollow(tx, shop, member.id, input.network));
    if (awarded === null) return proxyJson(404, { error: "unknown_network" });
    return proxyJson(200, { awarded });
  }
  const [month, day] = input.birthday.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(2000, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return proxyJson(400, { error: "invalid_date" });
  const updated = await prisma.member.updateMany({ where: { id: member.id, birthday: null }, data: { birthday: date } });
  return updated.count === 1 ? proxyJson(200, { saved: true }) : proxyJson(409, { error: "already_set", message: "Your birthday is already saved" });
};
